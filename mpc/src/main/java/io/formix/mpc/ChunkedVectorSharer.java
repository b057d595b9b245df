package io.formix.mpc;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The {@link VectorSharer} behind every scheme. Works through the vector in chunks (4096 elements by
 * default) so that every buffer touched twice is still in L1/L2 the second time, and every combining
 * loop indexes all its arrays alike, which lets C2 vectorise it (with unlike indices it must assume the
 * arrays may alias and does not).
 *
 * <ul>
 *   <li>Full size: each random component's key stream is generated into a chunk buffer and copied as
 *       {@code int}s straight into the component; then {@code last[i] = secret[i] - c0[i] - …} over the
 *       chunk, reading the components back from cache.
 *   <li>Compressed: the secret's chunk is copied into a scratch chunk, each key stream chunk is
 *       subtracted from it (both streams in one pass when there are two), and the scratch chunk is
 *       copied to the last component. The secret is read and the last component written once each.
 * </ul>
 */
final class ChunkedVectorSharer implements VectorSharer {

    /** Elements per chunk by default: 16 KiB of key stream per random component. */
    static final int DEFAULT_CHUNK = 4096;

    private final int chunk;
    private final SharingScheme scheme;
    private final SecureRandom random;
    private final KeyStream[] streams;
    private final int[] scratch;
    private final byte[] seed = new byte[AesCtrPrg.SEED_BYTES];

    ChunkedVectorSharer(SharingScheme scheme, SecureRandom random) {
        this(scheme, random, DEFAULT_CHUNK);
    }

    /** {@code chunk} in {@code 1..KeyStream.CHUNK_INTS}; small values let tests cross many chunk boundaries. */
    ChunkedVectorSharer(SharingScheme scheme, SecureRandom random, int chunk) {
        if (chunk < 1 || chunk > KeyStream.CHUNK_INTS) {
            throw new IllegalArgumentException("chunk must be in 1.." + KeyStream.CHUNK_INTS + ", got " + chunk);
        }
        this.chunk = chunk;
        this.scratch = new int[chunk];
        this.scheme = scheme;
        this.random = random;
        this.streams = new KeyStream[scheme.componentCount() - 1];
        for (int c = 0; c < streams.length; c++) {
            streams[c] = new KeyStream();
        }
    }

    @Override
    public SharingScheme scheme() {
        return scheme;
    }

    @Override
    public void shareInto(int[] secret, int[][] components) {
        int length = checkSecret(secret);
        if (components.length != streams.length + 1) {
            throw new IllegalArgumentException(scheme + " has " + (streams.length + 1) + " components, got "
                    + components.length + " arrays");
        }
        for (int c = 0; c < components.length; c++) {
            checkOutput(components[c], length, "component " + c);
            for (int d = 0; d < c; d++) {
                if (components[d] == components[c]) {
                    throw new IllegalArgumentException("components " + d + " and " + c + " are the same array");
                }
            }
            if (c < components.length - 1 && components[c] == secret) {
                throw new IllegalArgumentException("component " + c + " is the secret array: only the last may be");
            }
        }
        reseedAll(null);
        int m = components.length;
        int[] lastComponent = components[m - 1];
        for (int off = 0; off < length; off += chunk) {
            int n = Math.min(chunk, length - off);
            int end = off + n;
            streams[0].write(components[0], off, n);
            int[] k0 = components[0];
            if (m == 3) {
                // the common case (3 parties), fused into one pass over the chunk
                streams[1].write(components[1], off, n);
                int[] k1 = components[1];
                for (int i = off; i < end; i++) {
                    lastComponent[i] = secret[i] - k0[i] - k1[i];
                }
                continue;
            }
            for (int i = off; i < end; i++) {
                lastComponent[i] = secret[i] - k0[i];
            }
            for (int c = 1; c < m - 1; c++) {
                streams[c].write(components[c], off, n);
                int[] k = components[c];
                for (int i = off; i < end; i++) {
                    lastComponent[i] -= k[i];
                }
            }
        }
    }

    @Override
    public void shareCompressedInto(int[] secret, byte[][] seeds, int[] lastComponent) {
        int length = checkSecret(secret);
        if (seeds.length != streams.length) {
            throw new IllegalArgumentException(scheme + " compresses " + streams.length + " components to seeds, got "
                    + seeds.length + " seed arrays");
        }
        for (int c = 0; c < seeds.length; c++) {
            if (seeds[c] == null || seeds[c].length != AesCtrPrg.SEED_BYTES) {
                throw new IllegalArgumentException("seed array " + c + " must have " + AesCtrPrg.SEED_BYTES
                        + " bytes, got " + (seeds[c] == null ? "null" : seeds[c].length));
            }
            for (int d = 0; d < c; d++) {
                if (seeds[d] == seeds[c]) {
                    throw new IllegalArgumentException("seed arrays " + d + " and " + c + " are the same array");
                }
            }
        }
        checkOutput(lastComponent, length, "last component");
        reseedAll(seeds);
        int[] t = scratch;
        for (int off = 0; off < length; off += chunk) {
            int n = Math.min(chunk, length - off);
            System.arraycopy(secret, off, t, 0, n);
            if (streams.length == 2) {
                // the common case (3 parties), fused into one pass over the chunk
                int[] k0 = streams[0].next(n);
                int[] k1 = streams[1].next(n);
                for (int i = 0; i < n; i++) {
                    t[i] = t[i] - k0[i] - k1[i];
                }
            } else {
                for (KeyStream s : streams) {
                    int[] k = s.next(n);
                    for (int i = 0; i < n; i++) {
                        t[i] -= k[i];
                    }
                }
            }
            System.arraycopy(t, 0, lastComponent, off, n);
        }
    }

    private static int checkSecret(int[] secret) {
        ComponentSharing.checkLength(secret);
        return secret.length;
    }

    private static void checkOutput(int[] out, int length, String what) {
        if (out == null || out.length != length) {
            throw new IllegalArgumentException(what + " must have " + length + " elements (the secret's), got "
                    + (out == null ? "null" : out.length));
        }
    }

    /** Keys every stream with a fresh seed, in component order; copies the seeds to {@code seedsOut} if given. */
    private void reseedAll(byte[][] seedsOut) {
        for (int c = 0; c < streams.length; c++) {
            random.nextBytes(seed);
            streams[c].reseed(seed);
            if (seedsOut != null) {
                System.arraycopy(seed, 0, seedsOut[c], 0, seed.length);
            }
        }
        Arrays.fill(seed, (byte) 0);
    }

    @Override
    public String toString() {
        return "VectorSharer[" + scheme + "]";
    }
}
