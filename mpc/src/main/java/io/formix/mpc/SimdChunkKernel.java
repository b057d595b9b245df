package io.formix.mpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link ChunkKernel} for JVMs started with {@code --add-modules jdk.incubator.vector}: explicit
 * vectors of the platform's preferred width. A key-stream chunk is loaded as bytes and reinterpreted as
 * {@code int} lanes (the Vector API reinterprets in little-endian order, which is the PRG's element
 * order), so the cipher's output is read once, where it lies; and explicit vectors need no alias
 * analysis, so the caller's arrays are read and written at {@code off} directly. Compared with
 * {@link ScalarChunkKernel} this removes the byte→int copy of every key stream and the two scratch
 * copies per chunk. Elements past the last whole vector are done one at a time. Over Z/2^64
 * ({@link #shareLongs}, {@link #accumulateLongs}) the same, with {@code long} lanes of the same shape.
 *
 * <p>Loaded only by {@link ChunkKernels}, reflectively, after it has found the module; no other main
 * code may name this class, so that JVMs without the module never link it (tests name it: their JVM
 * has the module).
 */
final class SimdChunkKernel implements ChunkKernel {

    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, INTS.vectorShape());
    private static final int LANES = INTS.length();
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VectorSpecies<Long> LONGS = VectorSpecies.of(long.class, INTS.vectorShape());
    private static final int LONG_LANES = LONGS.length();
    private static final VarHandle LE_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Where each stream's chunk lies during {@link #shareBytes}; references only, reused across calls.
     * Package-private so that tests can check {@link #wipe()}.
     */
    byte[][] sources = new byte[0][];

    /**
     * Why this kernel would not pay off on this JVM, or null: below 128 bits a vector holds too few
     * {@code int}s for the Vector API to beat the scalar loops (C2 may not intrinsify it at all).
     * Called reflectively by {@link ChunkKernels}.
     */
    static String whyUnsupported() {
        int bits = INTS.vectorBitSize();
        return bits < 128 ? "preferred vector width is " + bits + " bits, below 128" : null;
    }

    /** The key-stream elements {@code [i, i + LANES)} of a chunk. */
    private static IntVector keyStream(byte[] bytes, int i) {
        return ints(bytes, i * Integer.BYTES);
    }

    /** Key-stream element {@code i} of a chunk. */
    private static int keyStreamAt(byte[] bytes, int i) {
        return (int) LE_INT.get(bytes, i * Integer.BYTES);
    }

    @Override
    public void shareBytes(
            KeyStream[] streams, int[] secret, int off, int n, byte[][] randomComponents, byte[] last, int byteOffset) {
        int at = byteOffset + off * Integer.BYTES;
        if (sources.length != streams.length) {
            sources = new byte[streams.length][];
        }
        int from;
        if (randomComponents != null) {
            for (int c = 0; c < streams.length; c++) {
                streams[c].writeBytes(randomComponents[c], at, n);
                sources[c] = randomComponents[c];
            }
            from = at; // read each component back where the cipher wrote it, still in L1/L2
        } else {
            for (int c = 0; c < streams.length; c++) {
                sources[c] = streams[c].nextBytes(n);
            }
            from = 0;
        }
        int bound = INTS.loopBound(n);
        int i = 0;
        if (sources.length == 2) {
            byte[] s0 = sources[0];
            byte[] s1 = sources[1];
            for (; i < bound; i += LANES) {
                int b = i * Integer.BYTES;
                IntVector.fromArray(INTS, secret, off + i)
                        .sub(ints(s0, from + b))
                        .sub(ints(s1, from + b))
                        .reinterpretAsBytes()
                        .intoArray(last, at + b);
            }
        } else {
            for (; i < bound; i += LANES) {
                int b = i * Integer.BYTES;
                IntVector x = IntVector.fromArray(INTS, secret, off + i);
                for (byte[] source : sources) {
                    x = x.sub(ints(source, from + b));
                }
                x.reinterpretAsBytes().intoArray(last, at + b);
            }
        }
        for (; i < n; i++) {
            int b = i * Integer.BYTES;
            int x = secret[off + i];
            for (byte[] source : sources) {
                x -= (int) LE_INT.get(source, from + b);
            }
            LE_INT.set(last, at + b, x);
        }
    }

    /** The {@code LANES} little-endian {@code int}s at bytes {@code [at, at + 4 * LANES)}. */
    private static IntVector ints(byte[] bytes, int at) {
        return (IntVector) ByteVector.fromArray(BYTES, bytes, at).reinterpretAsInts();
    }

    @Override
    public void share(KeyStream[] streams, int[] secret, int off, int n, int[][] randomComponents, int[] last) {
        if (streams.length == 2) {
            shareTwo(streams[0].nextBytes(n), streams[1].nextBytes(n), secret, off, n, randomComponents, last);
            return;
        }
        for (int c = 0; c < streams.length; c++) {
            int[] random = randomComponents == null ? null : randomComponents[c];
            subtract(streams[c].nextBytes(n), c == 0 ? secret : last, off, n, random, last);
        }
    }

    /** The common case (3 parties) in one pass: {@code last = secret - k0 - k1}, components stored on the way. */
    private static void shareTwo(byte[] b0, byte[] b1, int[] secret, int off, int n, int[][] random, int[] last) {
        int bound = INTS.loopBound(n);
        int i = 0;
        if (random == null) {
            for (; i < bound; i += LANES) {
                IntVector.fromArray(INTS, secret, off + i)
                        .sub(keyStream(b0, i))
                        .sub(keyStream(b1, i))
                        .intoArray(last, off + i);
            }
        } else {
            int[] r0 = random[0];
            int[] r1 = random[1];
            for (; i < bound; i += LANES) {
                IntVector k0 = keyStream(b0, i);
                IntVector k1 = keyStream(b1, i);
                k0.intoArray(r0, off + i);
                k1.intoArray(r1, off + i);
                IntVector.fromArray(INTS, secret, off + i).sub(k0).sub(k1).intoArray(last, off + i);
            }
        }
        for (; i < n; i++) {
            int k0 = keyStreamAt(b0, i);
            int k1 = keyStreamAt(b1, i);
            if (random != null) {
                random[0][off + i] = k0;
                random[1][off + i] = k1;
            }
            last[off + i] = secret[off + i] - k0 - k1;
        }
    }

    /** {@code out[off+i] = from[off+i] - k[i]}, and {@code random[off+i] = k[i]} when {@code random} is not null. */
    private static void subtract(byte[] k, int[] from, int off, int n, int[] random, int[] out) {
        int bound = INTS.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            IntVector key = keyStream(k, i);
            if (random != null) {
                key.intoArray(random, off + i);
            }
            IntVector.fromArray(INTS, from, off + i).sub(key).intoArray(out, off + i);
        }
        for (; i < n; i++) {
            int key = keyStreamAt(k, i);
            if (random != null) {
                random[off + i] = key;
            }
            out[off + i] = from[off + i] - key;
        }
    }

    /** The {@code LONG_LANES} little-endian {@code long}s at bytes {@code [at, at + 8 * LONG_LANES)}. */
    private static LongVector longs(byte[] bytes, int at) {
        return (LongVector) ByteVector.fromArray(BYTES, bytes, at).reinterpretAsLongs();
    }

    /**
     * Over Z/2^64: every stream's chunk is generated into its buffer, then {@code last = secret - Σ k_c}
     * in one pass, the key streams read as {@code long} lanes where they lie.
     */
    @Override
    public void shareLongs(KeyStream[] streams, long[] secret, int off, int n, long[] last) {
        if (sources.length != streams.length) {
            sources = new byte[streams.length][];
        }
        for (int c = 0; c < streams.length; c++) {
            sources[c] = streams[c].nextBytes(2 * n);
        }
        int bound = LONGS.loopBound(n);
        int i = 0;
        if (sources.length == 2) {
            byte[] s0 = sources[0];
            byte[] s1 = sources[1];
            for (; i < bound; i += LONG_LANES) {
                int b = i * Long.BYTES;
                LongVector.fromArray(LONGS, secret, off + i)
                        .sub(longs(s0, b))
                        .sub(longs(s1, b))
                        .intoArray(last, off + i);
            }
        } else {
            for (; i < bound; i += LONG_LANES) {
                int b = i * Long.BYTES;
                LongVector x = LongVector.fromArray(LONGS, secret, off + i);
                for (byte[] source : sources) {
                    x = x.sub(longs(source, b));
                }
                x.intoArray(last, off + i);
            }
        }
        for (; i < n; i++) {
            long x = secret[off + i];
            for (byte[] source : sources) {
                x -= (long) LE_LONG.get(source, i * Long.BYTES);
            }
            last[off + i] = x;
        }
    }

    @Override
    public void accumulateLongs(KeyStream stream, long[] dst, int off, int n) {
        byte[] k = stream.nextBytes(2 * n);
        int bound = LONGS.loopBound(n);
        int i = 0;
        for (; i < bound; i += LONG_LANES) {
            LongVector.fromArray(LONGS, dst, off + i)
                    .add(longs(k, i * Long.BYTES))
                    .intoArray(dst, off + i);
        }
        for (; i < n; i++) {
            dst[off + i] += (long) LE_LONG.get(k, i * Long.BYTES);
        }
    }

    @Override
    public void accumulate(KeyStream stream, int[] dst, int off, int n, boolean subtract) {
        byte[] k = stream.nextBytes(n);
        if (subtract) {
            subtract(k, dst, off, n, null, dst);
            return;
        }
        int bound = INTS.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            IntVector.fromArray(INTS, dst, off + i).add(keyStream(k, i)).intoArray(dst, off + i);
        }
        for (; i < n; i++) {
            dst[off + i] += keyStreamAt(k, i);
        }
    }

    /**
     * Compressed sharing and sharing into bytes are bound by AES: 4096 elements (16 KiB) per cipher call
     * amortise the call. Full-size sharing into {@code int[]} writes three 4 MB arrays and is bound by
     * memory: 256 elements (1 KiB) per call
     * let the stores of one chunk drain while the cipher computes the next (A/B runs on AVX-512 with VAES,
     * 1M elements: 0.54-0.63 ms against 0.56-0.70 ms with 4096 and 0.68-0.75 ms with 8192; docs/BENCHMARKS.md).
     */
    @Override
    public int preferredChunk(boolean fullSizeInts) {
        return fullSizeInts ? 256 : 4096;
    }

    /** Keeps no buffers of its own: only drops its references to the caller's and the streams' arrays. */
    @Override
    public void wipe() {
        Arrays.fill(sources, null);
    }

    @Override
    public String describe() {
        return "simd " + INTS.vectorBitSize() + "-bit";
    }
}
