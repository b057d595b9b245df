package io.formix.mpc;

/**
 * The chunk loops of sharing and seed accumulation over Z/2^64: {@code long} arithmetic, which wraps
 * mod 2^64 by itself. Compressed sharing and accumulation go through this JVM's {@link ChunkKernel}
 * ({@link ChunkKernel#shareLongs}, {@link ChunkKernel#accumulateLongs}: SIMD or scalar, as for Z/2^32),
 * wiped after every call. Full-size sharing has the cipher's output copied into each random component
 * ({@link KeyStream#writeLongs}) and computes the last component with loops that index every array alike,
 * which C2 vectorises. Stateless; the streams are the caller's.
 */
final class Z64Chunks {

    /** Elements per cipher call: 16 KiB of key stream, as the 32-bit kernels. */
    static final int CHUNK = 2048;

    private Z64Chunks() {}

    /**
     * With every stream keyed: {@code last[j] = secret[j] - stream_0[j] - … - stream_{k-1}[j]} (mod 2^64)
     * for every {@code j}, and, when {@code random} is not null, {@code random[c][j] = stream_c[j]}.
     * {@code last} may be {@code secret}; the caller has checked the shapes.
     */
    static void share(KeyStream[] streams, long[] secret, long[][] random, long[] last) {
        int length = secret.length;
        if (random != null) {
            for (int off = 0; off < length; off += CHUNK) {
                shareFull(streams, secret, off, Math.min(CHUNK, length - off), random, last);
            }
            return;
        }
        ChunkKernel kernel = ChunkKernels.create();
        try {
            for (int off = 0; off < length; off += CHUNK) {
                kernel.shareLongs(streams, secret, off, Math.min(CHUNK, length - off), last);
            }
        } finally {
            kernel.wipe();
        }
    }

    /** Each key stream goes straight into its component; the last component is computed from them. */
    private static void shareFull(KeyStream[] streams, long[] secret, int off, int n, long[][] random, long[] last) {
        int end = off + n;
        streams[0].writeLongs(random[0], off, n);
        long[] k0 = random[0];
        for (int i = off; i < end; i++) {
            last[i] = secret[i] - k0[i];
        }
        for (int c = 1; c < streams.length; c++) {
            streams[c].writeLongs(random[c], off, n);
            long[] k = random[c];
            for (int i = off; i < end; i++) {
                last[i] -= k[i];
            }
        }
    }

    /** {@code dst[j] += stream[j]} (mod 2^64) for every {@code j < dst.length}; the stream is keyed. */
    static void accumulate(KeyStream stream, long[] dst) {
        ChunkKernel kernel = ChunkKernels.create();
        try {
            for (int off = 0; off < dst.length; off += CHUNK) {
                kernel.accumulateLongs(stream, dst, off, Math.min(CHUNK, dst.length - off));
            }
        } finally {
            kernel.wipe();
        }
    }
}
