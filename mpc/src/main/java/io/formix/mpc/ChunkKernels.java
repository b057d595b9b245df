package io.formix.mpc;

import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Chooses the {@link ChunkKernel} of this JVM, once. The SIMD kernel is used when all of these hold:
 * <ul>
 *   <li>the JVM was started with {@code --add-modules jdk.incubator.vector};
 *   <li>the system property {@value #PROPERTY} is unset or {@code auto};
 *   <li>the JIT can compile the Vector API to vector instructions: C2 is enabled (not {@code -Xint},
 *       not {@code -XX:TieredStopAtLevel} below 4) and the preferred vector is at least 128 bits wide —
 *       otherwise the API runs as plain Java, slower than the scalar kernel;
 *   <li>the kernel passes a self-test against the scalar kernel (which also links every Vector API
 *       method it calls, so a JDK whose incubating API differs falls back here instead of failing
 *       mid-share).
 * </ul>
 * Otherwise every sharer uses the scalar kernel, whose {@link ChunkKernel#describe()} says why. Both
 * give identical results; only speed differs (see {@code docs/mpc.md}).
 */
final class ChunkKernels {

    /** System property: {@code auto} (the default) or {@code off} to force the scalar kernel. */
    static final String PROPERTY = "formix.mpc.simd";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String SIMD_CLASS = "io.formix.mpc.SimdChunkKernel";

    private static final Choice CHOICE = choose(
            System.getProperty(PROPERTY, "auto"),
            ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent());

    private ChunkKernels() {}

    /** A new kernel of the chosen kind (kernels own scratch buffers: one per sharer or stream). */
    static ChunkKernel create() {
        return CHOICE.factory.get();
    }

    /** The chosen kernel and, for the scalar one, why, e.g. {@code "scalar (jdk.incubator.vector not enabled)"}. */
    static String description() {
        return CHOICE.description;
    }

    /** A kind of kernel: how to make one, and what to call it. */
    record Choice(Supplier<ChunkKernel> factory, String description) {
        static Choice scalar(String why) {
            return new Choice(() -> new ScalarChunkKernel(why), ScalarChunkKernel.description(why));
        }
    }

    /**
     * The choice for a JVM whose {@value #PROPERTY} is {@code property} and which has (or lacks) the
     * Vector API module. A value other than {@code auto} or {@code off} selects the scalar kernel and
     * says so in the description (a typo in a tuning flag must not break sharing, nor pass unnoticed by
     * whoever reads the description).
     */
    static Choice choose(String property, boolean vectorModulePresent) {
        if ("off".equalsIgnoreCase(property)) {
            return Choice.scalar(PROPERTY + "=off");
        }
        if (!"auto".equalsIgnoreCase(property)) {
            return Choice.scalar(PROPERTY + "=" + property + " is neither auto nor off");
        }
        if (!vectorModulePresent) {
            return Choice.scalar(VECTOR_MODULE + " not enabled");
        }
        String noC2 = JitCapabilities.whyNoOptimisingCompiler();
        if (noC2 != null) {
            return Choice.scalar(noC2 + ": the Vector API would run as plain Java");
        }
        try {
            Constructor<?> constructor = Class.forName(SIMD_CLASS).getDeclaredConstructor();
            String unsupported = (String) Class.forName(SIMD_CLASS)
                    .getDeclaredMethod("whyUnsupported")
                    .invoke(null);
            if (unsupported != null) {
                return Choice.scalar(unsupported);
            }
            Supplier<ChunkKernel> simd = () -> {
                try {
                    return (ChunkKernel) constructor.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create " + SIMD_CLASS, e);
                }
            };
            ChunkKernel kernel = simd.get();
            if (!agrees(kernel, new ScalarChunkKernel())) {
                return Choice.scalar(kernel.describe() + " failed its self-test");
            }
            return new Choice(simd, kernel.describe());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Choice.scalar(VECTOR_MODULE + " unusable: " + e);
        }
    }

    /**
     * Whether {@code candidate} computes what {@code reference} does on every path: shares with one, two
     * and three streams, full-size and compressed, in place and into the encoding layout, and both
     * accumulations, at an offset and with a length that leaves a partial vector at the end; and the
     * same over Z/2^64.
     */
    static boolean agrees(ChunkKernel candidate, ChunkKernel reference) {
        Random random = new Random(20261121);
        int off = 3;
        int n = 1021;
        int length = off + n + 5;
        for (int streams = 1; streams <= 3; streams++) {
            int[] secret = random.ints(length).toArray();
            for (boolean full : new boolean[] {false, true}) {
                for (boolean inPlace : new boolean[] {false, true}) {
                    int[][] expected = shareChunk(reference, streams, secret, off, n, full, inPlace);
                    int[][] actual = shareChunk(candidate, streams, secret, off, n, full, inPlace);
                    if (!Arrays.deepEquals(expected, actual)) {
                        return false;
                    }
                }
            }
        }
        for (int streams = 1; streams <= 3; streams++) {
            int[] secret = random.ints(length).toArray();
            for (boolean full : new boolean[] {false, true}) {
                if (!Arrays.deepEquals(
                        shareChunkAsBytes(reference, streams, secret, off, n, full),
                        shareChunkAsBytes(candidate, streams, secret, off, n, full))) {
                    return false;
                }
            }
        }
        for (boolean subtract : new boolean[] {false, true}) {
            int[] expected = random.ints(length).toArray();
            int[] actual = expected.clone();
            reference.accumulate(new KeyStream(testSeed(0)), expected, off, n, subtract);
            candidate.accumulate(new KeyStream(testSeed(0)), actual, off, n, subtract);
            if (!Arrays.equals(expected, actual)) {
                return false;
            }
        }
        return agreesOverZ64(candidate, reference, random);
    }

    /** As {@link #agrees}, for the Z/2^64 paths: sharing with one to three streams, in place or not, and accumulation. */
    private static boolean agreesOverZ64(ChunkKernel candidate, ChunkKernel reference, Random random) {
        int off = 3;
        int n = 509;
        int length = off + n + 5;
        for (int streams = 1; streams <= 3; streams++) {
            long[] secret = random.longs(length).toArray();
            for (boolean inPlace : new boolean[] {false, true}) {
                if (!Arrays.equals(
                        shareLongsChunk(reference, streams, secret, off, n, inPlace),
                        shareLongsChunk(candidate, streams, secret, off, n, inPlace))) {
                    return false;
                }
            }
        }
        long[] expected = random.longs(length).toArray();
        long[] actual = expected.clone();
        reference.accumulateLongs(new KeyStream(testSeed(0)), expected, off, n);
        candidate.accumulateLongs(new KeyStream(testSeed(0)), actual, off, n);
        return Arrays.equals(expected, actual);
    }

    /** The last component one kernel's {@code shareLongs} wrote. */
    private static long[] shareLongsChunk(
            ChunkKernel kernel, int streams, long[] secret, int off, int n, boolean inPlace) {
        KeyStream[] keyStreams = new KeyStream[streams];
        for (int c = 0; c < streams; c++) {
            keyStreams[c] = new KeyStream(testSeed(c));
        }
        long[] in = secret.clone();
        long[] last = inPlace ? in : new long[secret.length];
        kernel.shareLongs(keyStreams, in, off, n, last);
        return last;
    }

    /** Every array one kernel's {@code share} wrote (random components first, the last component at the end). */
    private static int[][] shareChunk(
            ChunkKernel kernel, int streams, int[] secret, int off, int n, boolean full, boolean inPlace) {
        KeyStream[] keyStreams = new KeyStream[streams];
        int[][] out = new int[streams + 1][secret.length];
        for (int c = 0; c < streams; c++) {
            keyStreams[c] = new KeyStream(testSeed(c));
        }
        int[] secretCopy = secret.clone();
        if (inPlace) {
            out[streams] = secretCopy;
        }
        kernel.share(keyStreams, secretCopy, off, n, full ? out : null, out[streams]);
        return out;
    }

    /** Every array one kernel's {@code shareBytes} wrote, at byte offset 5. */
    private static byte[][] shareChunkAsBytes(
            ChunkKernel kernel, int streams, int[] secret, int off, int n, boolean full) {
        KeyStream[] keyStreams = new KeyStream[streams];
        byte[][] out = new byte[streams + 1][5 + 4 * secret.length];
        for (int c = 0; c < streams; c++) {
            keyStreams[c] = new KeyStream(testSeed(c));
        }
        kernel.shareBytes(keyStreams, secret, off, n, full ? out : null, out[streams], 5);
        return out;
    }

    private static byte[] testSeed(int c) {
        byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
        Arrays.fill(seed, (byte) (c + 1));
        return seed;
    }
}
