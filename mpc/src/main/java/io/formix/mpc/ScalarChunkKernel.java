package io.formix.mpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * The {@link ChunkKernel} of any JVM: key stream converted to {@code int}s by a bulk copy, then loops in
 * which every array is indexed alike, which C2 vectorises (with unlike indices it must assume the arrays
 * may alias and does not). Where the caller's arrays sit at {@code off} and the key stream at 0, the
 * caller's slice goes through a scratch chunk; those copies are memcpy-fast and stay in L1/L2.
 */
final class ScalarChunkKernel implements ChunkKernel {

    // package-private so that tests can check wipe()
    final int[] scratch = new int[KeyStream.CHUNK_INTS];
    final int[] keyStream = new int[KeyStream.CHUNK_INTS];
    /** The Z/2^64 scratch chunk, allocated on first use. */
    long[] longScratch;

    private final String why;

    /** A scalar kernel with no stated reason (tests, and explicit use). */
    ScalarChunkKernel() {
        this(null);
    }

    /** A scalar kernel that says why it was chosen, e.g. {@code "jdk.incubator.vector not enabled"}. */
    ScalarChunkKernel(String why) {
        this.why = why;
    }

    @Override
    public void share(KeyStream[] streams, int[] secret, int off, int n, int[][] randomComponents, int[] last) {
        if (randomComponents != null) {
            shareFull(streams, secret, off, n, randomComponents, last);
        } else {
            shareCompressed(streams, secret, off, n, last);
        }
    }

    /** Each key stream goes straight into its component; the last component is then computed in place. */
    private static void shareFull(KeyStream[] streams, int[] secret, int off, int n, int[][] random, int[] last) {
        int end = off + n;
        streams[0].write(random[0], off, n);
        int[] k0 = random[0];
        if (streams.length == 2) {
            // the common case (3 parties), fused into one pass over the chunk
            streams[1].write(random[1], off, n);
            int[] k1 = random[1];
            for (int i = off; i < end; i++) {
                last[i] = secret[i] - k0[i] - k1[i];
            }
            return;
        }
        for (int i = off; i < end; i++) {
            last[i] = secret[i] - k0[i];
        }
        for (int c = 1; c < streams.length; c++) {
            streams[c].write(random[c], off, n);
            int[] k = random[c];
            for (int i = off; i < end; i++) {
                last[i] -= k[i];
            }
        }
    }

    /** The secret's chunk is copied to scratch, every key stream subtracted there, and the result copied out. */
    private void shareCompressed(KeyStream[] streams, int[] secret, int off, int n, int[] last) {
        int[] t = scratch;
        System.arraycopy(secret, off, t, 0, n);
        if (streams.length == 2) {
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
        System.arraycopy(t, 0, last, off, n);
    }

    /**
     * The secret's chunk goes through scratch as in compressed sharing; key-stream chunks come from the
     * components (full size, written there by the cipher) or the stream's buffer, read through
     * little-endian views, and the result is written through one.
     */
    @Override
    public void shareBytes(
            KeyStream[] streams, int[] secret, int off, int n, byte[][] randomComponents, byte[] last, int byteOffset) {
        int[] t = scratch;
        System.arraycopy(secret, off, t, 0, n);
        int at = byteOffset + off * Integer.BYTES;
        for (int c = 0; c < streams.length; c++) {
            int[] k;
            if (randomComponents != null) {
                streams[c].writeBytes(randomComponents[c], at, n);
                k = keyStream;
                littleEndianInts(randomComponents[c], at, n).get(k, 0, n);
            } else {
                k = streams[c].next(n);
            }
            for (int i = 0; i < n; i++) {
                t[i] -= k[i];
            }
        }
        littleEndianInts(last, at, n).put(t, 0, n);
    }

    private static IntBuffer littleEndianInts(byte[] bytes, int at, int n) {
        return ByteBuffer.wrap(bytes, at, n * Integer.BYTES)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asIntBuffer();
    }

    @Override
    public void accumulate(KeyStream stream, int[] dst, int off, int n, boolean subtract) {
        int[] k = stream.next(n);
        int[] t = scratch;
        System.arraycopy(dst, off, t, 0, n);
        if (subtract) {
            for (int i = 0; i < n; i++) {
                t[i] -= k[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                t[i] += k[i];
            }
        }
        System.arraycopy(t, 0, dst, off, n);
    }

    /** As {@link #shareCompressed}, over Z/2^64: the secret's chunk goes through the {@code long} scratch chunk. */
    @Override
    public void shareLongs(KeyStream[] streams, long[] secret, int off, int n, long[] last) {
        long[] t = longScratch();
        System.arraycopy(secret, off, t, 0, n);
        if (streams.length == 2) {
            long[] k0 = streams[0].nextLongs(n);
            long[] k1 = streams[1].nextLongs(n);
            for (int i = 0; i < n; i++) {
                t[i] = t[i] - k0[i] - k1[i];
            }
        } else {
            for (KeyStream s : streams) {
                long[] k = s.nextLongs(n);
                for (int i = 0; i < n; i++) {
                    t[i] -= k[i];
                }
            }
        }
        System.arraycopy(t, 0, last, off, n);
    }

    @Override
    public void accumulateLongs(KeyStream stream, long[] dst, int off, int n) {
        long[] k = stream.nextLongs(n);
        long[] t = longScratch();
        System.arraycopy(dst, off, t, 0, n);
        for (int i = 0; i < n; i++) {
            t[i] += k[i];
        }
        System.arraycopy(t, 0, dst, off, n);
    }

    private long[] longScratch() {
        if (longScratch == null) {
            longScratch = new long[KeyStream.CHUNK_LONGS];
        }
        return longScratch;
    }

    /** 16 KiB of key stream per call either way: large enough to amortise a cipher call, small enough for L1/L2. */
    @Override
    public int preferredChunk(boolean fullSizeInts) {
        return 4096;
    }

    @Override
    public void wipe() {
        Arrays.fill(scratch, 0);
        Arrays.fill(keyStream, 0);
        if (longScratch != null) {
            Arrays.fill(longScratch, 0L);
        }
    }

    @Override
    public String describe() {
        return description(why);
    }

    /** What a scalar kernel chosen for {@code why} (null: no reason given) calls itself. */
    static String description(String why) {
        return why == null ? "scalar" : "scalar (" + why + ")";
    }
}
