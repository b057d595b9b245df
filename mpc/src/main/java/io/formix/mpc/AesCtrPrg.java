package io.formix.mpc;

/**
 * The pseudo-random generator that expands a 32-byte seed into a vector of Z/2^32 elements.
 *
 * <p>Definition (pinned by known-answer tests, so other implementations can reproduce it): the key
 * stream of AES-256 in counter mode with key = the seed and initial counter block = 16 zero bytes,
 * incremented as a 128-bit big-endian integer (that is, {@code AES_seed(0) || AES_seed(1) || …});
 * element {@code j} is the little-endian {@code int32} at key-stream bytes {@code [4j, 4j+4)}. Over
 * Z/2^64 ({@link #expandLongs}) element {@code j} is the little-endian {@code int64} at bytes
 * {@code [8j, 8j+8)}: the same key stream, two 32-bit elements per 64-bit one, low half first.
 * The JDK's {@code AES/CTR/NoPadding} computes it (AES-NI accelerated on x86-64).
 *
 * <p>Internal: callers reach it through {@link SeededComponent} and the schemes; the definition above is
 * what {@code docs/mpc.md} publishes.
 *
 * <p>A seed must be fresh and secret: expanding the same seed twice yields the same vector. Thread-safe
 * (no shared state).
 */
final class AesCtrPrg {

    /** Length of a seed in bytes. */
    static final int SEED_BYTES = SeededComponent.SEED_BYTES;

    private AesCtrPrg() {}

    /**
     * The first {@code length} elements of the expansion of {@code seed}.
     *
     * @throws IllegalArgumentException if the seed is not {@value #SEED_BYTES} bytes or {@code length < 0}
     */
    static int[] expand(byte[] seed, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        int[] out = new int[length];
        KeyStream stream = new KeyStream(seed);
        try {
            for (int off = 0; off < length; off += KeyStream.CHUNK_INTS) {
                stream.write(out, off, Math.min(KeyStream.CHUNK_INTS, length - off));
            }
        } finally {
            stream.wipe();
        }
        return out;
    }

    /**
     * The first {@code length} Z/2^64 elements of the expansion of {@code seed}.
     *
     * @throws IllegalArgumentException if the seed is not {@value #SEED_BYTES} bytes or {@code length < 0}
     */
    static long[] expandLongs(byte[] seed, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        long[] out = new long[length];
        KeyStream stream = new KeyStream(seed);
        try {
            for (int off = 0; off < length; off += KeyStream.CHUNK_LONGS) {
                stream.writeLongs(out, off, Math.min(KeyStream.CHUNK_LONGS, length - off));
            }
        } finally {
            stream.wipe();
        }
        return out;
    }

    /** {@code target[j] += expansion[j]} (Z/2^64 elements, mod 2^64) for every {@code j < target.length}. */
    static void addTo(byte[] seed, long[] target) {
        KeyStream stream = new KeyStream(seed);
        try {
            Z64Chunks.accumulate(stream, target);
        } finally {
            stream.wipe();
        }
    }

    /** {@code target[j] += expansion[j]} for every {@code j < target.length}. */
    static void addTo(byte[] seed, int[] target) {
        accumulate(seed, target, false);
    }

    /** {@code target[j] -= expansion[j]} for every {@code j < target.length}. */
    static void subtractFrom(byte[] seed, int[] target) {
        accumulate(seed, target, true);
    }

    private static void accumulate(byte[] seed, int[] target, boolean subtract) {
        KeyStream stream = new KeyStream(seed);
        ChunkKernel kernel = ChunkKernels.create();
        try {
            for (int off = 0; off < target.length; off += KeyStream.CHUNK_INTS) {
                kernel.accumulate(stream, target, off, Math.min(KeyStream.CHUNK_INTS, target.length - off), subtract);
            }
        } finally {
            stream.wipe();
            kernel.wipe();
        }
    }
}
