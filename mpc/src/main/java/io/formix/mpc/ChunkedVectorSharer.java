package io.formix.mpc;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The {@link VectorSharer} behind every scheme. Works through the vector in chunks of
 * {@link KeyStream#CHUNK_INTS} elements so every buffer it touches twice stays in L1/L2: for each
 * chunk, each random component's key stream is generated into a 32 KiB buffer, copied out as
 * {@code int}s and subtracted from a copy of the secret's chunk, which is finally written to the last
 * component. Every combining loop indexes all its arrays alike, which lets C2 vectorise it.
 */
final class ChunkedVectorSharer implements VectorSharer {

    private final SharingScheme scheme;
    private final SecureRandom random;
    private final KeyStream[] streams;
    private final int[] last = new int[KeyStream.CHUNK_INTS];
    private final byte[] seed = new byte[AesCtrPrg.SEED_BYTES];

    ChunkedVectorSharer(SharingScheme scheme, SecureRandom random) {
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
        }
        reseedAll(null);
        int[] t = last;
        for (int off = 0; off < length; off += KeyStream.CHUNK_INTS) {
            int n = Math.min(KeyStream.CHUNK_INTS, length - off);
            System.arraycopy(secret, off, t, 0, n);  // read before any output (which may be secret) is written
            for (int c = 0; c < streams.length; c++) {
                int[] k = streams[c].next(n);
                System.arraycopy(k, 0, components[c], off, n);
                for (int i = 0; i < n; i++) {
                    t[i] -= k[i];
                }
            }
            System.arraycopy(t, 0, components[streams.length], off, n);
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
        int[] t = last;
        for (int off = 0; off < length; off += KeyStream.CHUNK_INTS) {
            int n = Math.min(KeyStream.CHUNK_INTS, length - off);
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
