package io.formix.proxy;

import io.formix.transport.FrameCodec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A reproducible stream of frames: frame {@code k}'s size and bytes derive from a seed, so a
 * writer and a checker in different threads or processes agree without sharing memory. Most
 * frames are small (0..2 KiB, some empty); every {@code bigEvery}-th is large (up to
 * {@code bigMax}).
 */
final class Traffic {
    final long seed;
    final int frames;
    final int bigEvery;
    final int bigMax;

    Traffic(long seed, int frames, int bigEvery, int bigMax) {
        this.seed = seed;
        this.frames = frames;
        this.bigEvery = bigEvery;
        this.bigMax = bigMax;
    }

    int size(int k) {
        SplittableRandom r = new SplittableRandom(seed * 31 + k);
        if (k % bigEvery == bigEvery / 2) {
            return r.nextInt(bigMax + 1);
        }
        int roll = r.nextInt(10);
        return roll == 0 ? 0 : r.nextInt(2049);
    }

    byte[] payload(int k) {
        byte[] p = new byte[size(k)];
        new Random(seed ^ (k * 0x9E3779B97F4A7C15L)).nextBytes(p);
        if (p.length >= 4) {
            p[0] = (byte) (k >>> 24);
            p[1] = (byte) (k >>> 16);
            p[2] = (byte) (k >>> 8);
            p[3] = (byte) k;
        }
        return p;
    }

    long totalBytes() {
        long t = 0;
        for (int k = 0; k < frames; k++) {
            t += FrameCodec.HEADER_BYTES + size(k);
        }
        return t;
    }

    /** Writes every frame, cut into random chunks (single bytes up to several merged frames). */
    void writeAll(OutputStream out, long chunkSeed) throws IOException {
        ChunkedWriter w = new ChunkedWriter(out, new Random(chunkSeed));
        for (int k = 0; k < frames; k++) {
            byte[] p = payload(k);
            w.write(FrameCodec.header(p.length));
            w.write(p);
        }
        w.finish();
    }

    /** Reads and checks every frame in order; throws AssertionError naming the first difference. */
    void readAndCheck(InputStream in) throws IOException {
        DataInputStream din = new DataInputStream(in);
        byte[] header = new byte[FrameCodec.HEADER_BYTES];
        for (int k = 0; k < frames; k++) {
            try {
                din.readFully(header);
            } catch (EOFException e) {
                throw new AssertionError("stream ended before frame " + k + " of " + frames);
            }
            long len = FrameCodec.getLength(header, 0);
            if (len != size(k)) {
                throw new AssertionError("frame " + k + ": length " + len + ", expected " + size(k));
            }
            byte[] got = new byte[(int) len];
            din.readFully(got);
            if (!Arrays.equals(got, payload(k))) {
                throw new AssertionError("frame " + k + ": payload differs");
            }
        }
    }

    /** Buffers writes and emits them in random slices. */
    static final class ChunkedWriter {
        private final OutputStream out;
        private final Random random;
        private byte[] buf = new byte[1 << 16];
        private int len;
        private int target;

        ChunkedWriter(OutputStream out, Random random) {
            this.out = out;
            this.random = random;
            this.target = nextTarget();
        }

        void write(byte[] b) throws IOException {
            if (len + b.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + b.length));
            }
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            drain(false);
        }

        void finish() throws IOException {
            drain(true);
            out.flush();
        }

        private void drain(boolean all) throws IOException {
            int off = 0;
            while (len - off >= target || (all && off < len)) {
                int n = Math.min(target, len - off);
                out.write(buf, off, n);
                out.flush();
                off += n;
                target = nextTarget();
            }
            System.arraycopy(buf, off, buf, 0, len - off);
            len -= off;
        }

        private int nextTarget() {
            int roll = random.nextInt(10);
            if (roll < 3) {
                return 1 + random.nextInt(16);
            }
            if (roll < 7) {
                return 17 + random.nextInt(4096);
            }
            return 4097 + random.nextInt(256 * 1024);
        }
    }
}
