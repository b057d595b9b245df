package io.formix.mpc;

import java.util.Arrays;

/**
 * The chunk loops of sharing and seed accumulation over Z/2^64: {@code long} arithmetic, which wraps
 * mod 2^64 by itself. Like {@link ScalarChunkKernel}, every loop indexes its arrays alike so that C2
 * vectorises it: where the caller's array sits at a chunk's offset and the key stream at 0, the caller's
 * slice goes through a scratch chunk (memcpy-fast, in L1/L2). The scratch chunk is zeroed after every
 * call. Stateless; the streams are the caller's.
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
        long[] t = new long[Math.min(CHUNK, length)];
        try {
            for (int off = 0; off < length; off += CHUNK) {
                int n = Math.min(CHUNK, length - off);
                if (random != null) {
                    shareFull(streams, secret, off, n, random, last);
                } else {
                    System.arraycopy(secret, off, t, 0, n);
                    for (KeyStream s : streams) {
                        long[] k = s.nextLongs(n);
                        for (int i = 0; i < n; i++) {
                            t[i] -= k[i];
                        }
                    }
                    System.arraycopy(t, 0, last, off, n);
                }
            }
        } finally {
            Arrays.fill(t, 0L);
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
        long[] t = new long[Math.min(CHUNK, dst.length)];
        try {
            for (int off = 0; off < dst.length; off += CHUNK) {
                int n = Math.min(CHUNK, dst.length - off);
                long[] k = stream.nextLongs(n);
                System.arraycopy(dst, off, t, 0, n);
                for (int i = 0; i < n; i++) {
                    t[i] += k[i];
                }
                System.arraycopy(t, 0, dst, off, n);
            }
        } finally {
            Arrays.fill(t, 0L);
        }
    }
}
