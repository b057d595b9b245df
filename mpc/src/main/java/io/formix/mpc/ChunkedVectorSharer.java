package io.formix.mpc;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The {@link VectorSharer} behind every scheme. Works through the vector in chunks (of the sizes the
 * kernel prefers) so that every buffer touched twice is still in L1/L2 the second time, and a
 * {@link ChunkKernel} computes each chunk: into {@code int[]}, each random component's key stream is
 * generated into a chunk buffer, then {@code last = secret - Σ key streams} (full size: storing each key
 * stream into its component on the way); into the encoding layout at full size, the cipher writes each
 * random component in place and the last component is computed from those bytes.
 * {@link ChunkKernels} chooses the kernel (SIMD or scalar); {@link #toString()} names it. After
 * every call the sharer wipes what it holds of that call: key-stream and scratch chunks are zeroed and
 * the ciphers re-keyed with a fixed dummy key, so a retained sharer reveals neither seeds nor secret.
 */
final class ChunkedVectorSharer implements VectorSharer {

    private final int fullSizeIntsChunk;
    private final int aesBoundChunk;
    private final SharingScheme scheme;
    private final SecureRandom random;
    private final KeyStream[] streams;
    private final ChunkKernel kernel;
    private final byte[] seed = new byte[AesCtrPrg.SEED_BYTES];

    /** With this JVM's kernel and the chunk sizes it prefers. */
    ChunkedVectorSharer(SharingScheme scheme, SecureRandom random) {
        this(scheme, random, ChunkKernels.create());
    }

    private ChunkedVectorSharer(SharingScheme scheme, SecureRandom random, ChunkKernel kernel) {
        this(scheme, random, kernel.preferredChunk(true), kernel.preferredChunk(false), kernel);
    }

    /** {@code chunk} in {@code 1..KeyStream.CHUNK_INTS}; small values let tests cross many chunk boundaries. */
    ChunkedVectorSharer(SharingScheme scheme, SecureRandom random, int chunk) {
        this(scheme, random, chunk, ChunkKernels.create());
    }

    /** With an explicit kernel, so tests run every kernel on the same inputs. */
    ChunkedVectorSharer(SharingScheme scheme, SecureRandom random, int chunk, ChunkKernel kernel) {
        this(scheme, random, chunk, chunk, kernel);
    }

    private ChunkedVectorSharer(
            SharingScheme scheme, SecureRandom random, int fullSizeIntsChunk, int aesBoundChunk, ChunkKernel kernel) {
        for (int chunk : new int[] {fullSizeIntsChunk, aesBoundChunk}) {
            if (chunk < 1 || chunk > KeyStream.CHUNK_INTS) {
                throw new IllegalArgumentException("chunk must be in 1.." + KeyStream.CHUNK_INTS + ", got " + chunk);
            }
        }
        this.fullSizeIntsChunk = fullSizeIntsChunk;
        this.aesBoundChunk = aesBoundChunk;
        this.kernel = kernel;
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
        checkComponentCount(components.length);
        for (int c = 0; c < components.length; c++) {
            checkOutput(components[c], length, "component " + c);
            checkDistinct(components, c, "components");
            if (c < components.length - 1 && components[c] == secret) {
                throw new IllegalArgumentException("component " + c + " is the secret array: only the last may be");
            }
        }
        reseedAll(null);
        shareInts(secret, components, components[components.length - 1], fullSizeIntsChunk);
    }

    @Override
    public void shareCompressedInto(int[] secret, byte[][] seeds, int[] lastComponent) {
        int length = checkSecret(secret);
        checkSeeds(seeds);
        checkOutput(lastComponent, length, "last component");
        reseedAll(seeds);
        shareInts(secret, null, lastComponent, aesBoundChunk);
    }

    @Override
    public void shareInto(int[] secret, byte[][] components, int offset) {
        int length = checkSecret(secret);
        checkComponentCount(components.length);
        for (int c = 0; c < components.length; c++) {
            checkOutput(components[c], offset, length, "component " + c);
            checkDistinct(components, c, "components");
        }
        reseedAll(null);
        shareBytes(secret, components, components[components.length - 1], offset);
    }

    @Override
    public void shareCompressedInto(int[] secret, byte[][] seeds, byte[] last, int offset) {
        int length = checkSecret(secret);
        checkSeeds(seeds);
        checkOutput(last, offset, length, "last component");
        for (byte[] seed : seeds) {
            if (seed == last) {
                throw new IllegalArgumentException("the last component's array is also a seed array");
            }
        }
        reseedAll(seeds);
        shareBytes(secret, null, last, offset);
    }

    /** The chunk loop of the {@code int[]} methods; the streams are seeded. Wipes whatever happens. */
    private void shareInts(int[] secret, int[][] randomComponents, int[] last, int chunk) {
        try {
            for (int off = 0; off < secret.length; off += chunk) {
                kernel.share(streams, secret, off, Math.min(chunk, secret.length - off), randomComponents, last);
            }
        } finally {
            wipe();
        }
    }

    /** The chunk loop of the byte-layout methods; the streams are seeded. Wipes whatever happens. */
    private void shareBytes(int[] secret, byte[][] randomComponents, byte[] last, int offset) {
        int chunk = aesBoundChunk;
        try {
            for (int off = 0; off < secret.length; off += chunk) {
                kernel.shareBytes(
                        streams, secret, off, Math.min(chunk, secret.length - off), randomComponents, last, offset);
            }
        } finally {
            wipe();
        }
    }

    private void checkComponentCount(int arrays) {
        if (arrays != streams.length + 1) {
            throw new IllegalArgumentException(
                    scheme + " has " + (streams.length + 1) + " components, got " + arrays + " arrays");
        }
    }

    private void checkSeeds(byte[][] seeds) {
        if (seeds.length != streams.length) {
            throw new IllegalArgumentException(scheme + " compresses " + streams.length + " components to seeds, got "
                    + seeds.length + " seed arrays");
        }
        for (int c = 0; c < seeds.length; c++) {
            if (seeds[c] == null || seeds[c].length != AesCtrPrg.SEED_BYTES) {
                throw new IllegalArgumentException("seed array " + c + " must have " + AesCtrPrg.SEED_BYTES
                        + " bytes, got " + (seeds[c] == null ? "null" : seeds[c].length));
            }
            checkDistinct(seeds, c, "seed arrays");
        }
    }

    /** Refuses {@code arrays[c]} if it is the same array as an earlier one. */
    private static void checkDistinct(Object[] arrays, int c, String what) {
        for (int d = 0; d < c; d++) {
            if (arrays[d] == arrays[c]) {
                throw new IllegalArgumentException(what + " " + d + " and " + c + " are the same array");
            }
        }
    }

    private void wipe() {
        for (KeyStream stream : streams) {
            stream.wipe();
        }
        kernel.wipe();
    }

    private static int checkSecret(int[] secret) {
        ComponentSharing.checkLength(secret);
        return secret.length;
    }

    private static void checkOutput(byte[] out, int offset, int length, String what) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, got " + offset);
        }
        long needed = offset + 4L * length;
        if (out == null || out.length < needed) {
            throw new IllegalArgumentException(what + " must have at least " + needed + " bytes (offset " + offset
                    + " + 4 x " + length + " elements), got " + (out == null ? "null" : out.length));
        }
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
        return "VectorSharer[" + scheme + ", " + kernel.describe() + "]";
    }
}
