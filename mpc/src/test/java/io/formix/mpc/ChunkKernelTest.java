package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both {@link ChunkKernel}s against an oracle built only from {@link AesCtrPrg#expand} and
 * {@code long} arithmetic, on every path (full size, compressed, in place, 1-4 key streams, chunk sizes
 * that leave partial vectors), and the way {@link ChunkKernels} chooses between them. The test JVM runs
 * with {@code --add-modules jdk.incubator.vector} (see the pom), so the SIMD kernel is available here.
 */
@Timeout(60)
class ChunkKernelTest {

    /**
     * Scalar and SIMD, each as a factory because kernels own scratch buffers. The SIMD kernel is made
     * directly, not through {@link ChunkKernels}, whose self-test would hide a broken one behind the
     * scalar fallback.
     */
    static Stream<NamedKernel> kernels() {
        return Stream.of(
                new NamedKernel("scalar", ScalarChunkKernel::new), new NamedKernel("simd", SimdChunkKernel::new));
    }

    record NamedKernel(String name, Supplier<ChunkKernel> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Surefire runs this class twice (see the pom): with the module, where SIMD must be chosen, and with
     * {@code -Dformix.mpc.simd=off}, where the scalar kernel must be chosen and say why.
     */
    @Test
    void theTestJvmChoosesTheKernelItWasStartedFor() {
        String sharer = SharingSchemes.additive(3).vectorSharer().toString();
        if ("off".equals(System.getProperty(ChunkKernels.PROPERTY))) {
            assertEquals("scalar (formix.mpc.simd=off)", ChunkKernels.description());
            assertEquals("VectorSharer[additive 3-of-3, scalar (formix.mpc.simd=off)]", sharer);
        } else {
            assertNull(JitCapabilities.whyNoOptimisingCompiler(), "the test JVM runs C2");
            assertTrue(ChunkKernels.description().startsWith("simd "), ChunkKernels.description());
            assertTrue(sharer.matches("VectorSharer\\[additive 3-of-3, simd \\d+-bit]"), sharer);
        }
        assertEquals(ChunkKernels.description(), ChunkKernels.create().describe());
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void sharingMatchesTheSeedExpansionOracle(NamedKernel kernel) {
        Random r = new Random(7);
        for (int parties : new int[] {2, 3, 4, 5}) {
            SharingScheme scheme = SharingSchemes.additive(parties);
            for (int chunk : new int[] {1, 7, 64, 4096, KeyStream.CHUNK_INTS}) {
                for (int length : new int[] {0, 1, 15, 17, 1000, 2 * KeyStream.CHUNK_INTS + 77}) {
                    int[] secret = r.ints(length).toArray();
                    long seed = r.nextLong();
                    checkFullSize(scheme, kernel, chunk, secret, seed, false);
                    checkFullSize(scheme, kernel, chunk, secret, seed, true);
                    checkCompressed(scheme, kernel, chunk, secret, seed, false);
                    checkCompressed(scheme, kernel, chunk, secret, seed, true);
                }
            }
        }
    }

    private static void checkFullSize(
            SharingScheme scheme, NamedKernel kernel, int chunk, int[] secret, long seed, boolean inPlace) {
        int m = scheme.componentCount();
        int[][] components = new int[m][secret.length];
        int[] input = secret.clone();
        if (inPlace) {
            components[m - 1] = input;
        }
        new ChunkedVectorSharer(
                        scheme, Schemes.seeded(seed), chunk, kernel.factory().get())
                .shareInto(input, components);
        int[][] expected = oracle(secret, seeds(Schemes.seeded(seed), m - 1));
        String where = kernel + ", " + m + " components, chunk " + chunk + ", length " + secret.length
                + (inPlace ? ", in place" : "");
        assertArrayEquals(expected, components, where);
    }

    private static void checkCompressed(
            SharingScheme scheme, NamedKernel kernel, int chunk, int[] secret, long seed, boolean inPlace) {
        int m = scheme.componentCount();
        byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
        int[] input = secret.clone();
        int[] last = inPlace ? input : new int[secret.length];
        new ChunkedVectorSharer(
                        scheme, Schemes.seeded(seed), chunk, kernel.factory().get())
                .shareCompressedInto(input, seeds, last);
        byte[][] expectedSeeds = seeds(Schemes.seeded(seed), m - 1);
        assertArrayEquals(expectedSeeds, seeds);
        int[][] expected = oracle(secret, expectedSeeds);
        assertArrayEquals(
                expected[m - 1],
                last,
                kernel + ", compressed, " + m + " components, chunk " + chunk + ", length " + secret.length
                        + (inPlace ? ", in place" : ""));
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void sharingIntoTheEncodingLayoutMatchesTheOracle(NamedKernel kernel) {
        Random r = new Random(13);
        for (int parties : new int[] {2, 3, 5}) {
            SharingScheme scheme = SharingSchemes.additive(parties);
            int m = scheme.componentCount();
            for (int chunk : new int[] {1, 7, 4096, KeyStream.CHUNK_INTS}) {
                for (int length : new int[] {0, 1, 15, 17, 1000, KeyStream.CHUNK_INTS + 77}) {
                    for (int offset : new int[] {0, 3, ShareCodec.SINGLE_COMPONENT_HEADER_BYTES}) {
                        int[] secret = r.ints(length).toArray();
                        long seed = r.nextLong();
                        int[][] expected = oracle(secret, seeds(Schemes.seeded(seed), m - 1));
                        String where = kernel + ", " + m + " components, chunk " + chunk + ", length " + length
                                + ", offset " + offset;

                        byte[][] components = new byte[m][];
                        for (int c = 0; c < m; c++) {
                            components[c] = sentinels(offset + 4 * length + 2);
                        }
                        new ChunkedVectorSharer(
                                        scheme,
                                        Schemes.seeded(seed),
                                        chunk,
                                        kernel.factory().get())
                                .shareInto(secret.clone(), components, offset);
                        for (int c = 0; c < m; c++) {
                            assertArrayEquals(
                                    expected[c], littleEndian(components[c], offset, length), where + ", c " + c);
                            assertSentinelsAround(components[c], offset, length, where);
                        }

                        byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
                        byte[] last = sentinels(offset + 4 * length + 2);
                        new ChunkedVectorSharer(
                                        scheme,
                                        Schemes.seeded(seed),
                                        chunk,
                                        kernel.factory().get())
                                .shareCompressedInto(secret.clone(), seeds, last, offset);
                        assertArrayEquals(seeds(Schemes.seeded(seed), m - 1), seeds, where);
                        assertArrayEquals(expected[m - 1], littleEndian(last, offset, length), where + ", compressed");
                        assertSentinelsAround(last, offset, length, where + ", compressed");
                    }
                }
            }
        }
    }

    private static byte[] sentinels(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 0x5A);
        return b;
    }

    private static void assertSentinelsAround(byte[] b, int offset, int length, String where) {
        for (int i = 0; i < b.length; i++) {
            if (i < offset || i >= offset + 4 * length) {
                assertEquals((byte) 0x5A, b[i], where + ": byte " + i + " outside the elements was written");
            }
        }
    }

    /** Elements decoded one by one with shifts, independently of any buffer view. */
    static int[] littleEndian(byte[] b, int offset, int length) {
        int[] v = new int[length];
        for (int j = 0; j < length; j++) {
            int at = offset + 4 * j;
            v[j] = (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
        }
        return v;
    }

    /** The documented construction: seeds drawn in component order, each 32 bytes. */
    private static byte[][] seeds(SecureRandom random, int count) {
        byte[][] seeds = new byte[count][AesCtrPrg.SEED_BYTES];
        for (byte[] seed : seeds) {
            random.nextBytes(seed);
        }
        return seeds;
    }

    /** Components {@code c < m-1} = expansions of the seeds; the last = secret minus all of them, in {@code long}. */
    private static int[][] oracle(int[] secret, byte[][] seeds) {
        List<int[]> components = new ArrayList<>();
        for (byte[] seed : seeds) {
            components.add(AesCtrPrg.expand(seed, secret.length));
        }
        int[] last = new int[secret.length];
        for (int j = 0; j < secret.length; j++) {
            long v = secret[j] & 0xFFFFFFFFL;
            for (int[] c : components) {
                v -= c[j] & 0xFFFFFFFFL;
            }
            last[j] = (int) (v & 0xFFFFFFFFL);
        }
        components.add(last);
        return components.toArray(new int[0][]);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void accumulationMatchesTheSeedExpansionOracle(NamedKernel kernel) {
        Random r = new Random(11);
        for (int length : new int[] {0, 1, 15, 17, 1000, KeyStream.CHUNK_INTS + 3}) {
            byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
            r.nextBytes(seed);
            int[] expansion = AesCtrPrg.expand(seed, length);
            for (boolean subtract : new boolean[] {false, true}) {
                int[] start = r.ints(length).toArray();
                int[] target = start.clone();
                ChunkKernel k = kernel.factory().get();
                KeyStream stream = new KeyStream(seed);
                // 999 and then 3: offsets and lengths that are not multiples of any vector width
                for (int off = 0; off < length; ) {
                    int n = Math.min(off % 2 == 0 ? 999 : 3, length - off);
                    k.accumulate(stream, target, off, n, subtract);
                    off += n;
                }
                for (int j = 0; j < length; j++) {
                    long expected = (start[j] & 0xFFFFFFFFL) + (subtract ? -1 : 1) * (expansion[j] & 0xFFFFFFFFL);
                    assertEquals((int) (expected & 0xFFFFFFFFL), target[j], kernel + " element " + j);
                }
            }
        }
    }

    @Test
    void theScalarKernelIsChosenWhenAskedOrWhenTheModuleIsMissingAndSaysWhy() {
        assertEquals(
                "scalar (formix.mpc.simd=off)", ChunkKernels.choose("off", true).description());
        assertEquals(
                "scalar (jdk.incubator.vector not enabled)",
                ChunkKernels.choose("auto", false).description());
        assertEquals(
                "scalar (formix.mpc.simd=on is neither auto nor off)",
                ChunkKernels.choose("on", true).description());
        ChunkKernel fallback = ChunkKernels.choose("auto", false).factory().get();
        assertTrue(fallback instanceof ScalarChunkKernel);
        assertEquals("scalar (jdk.incubator.vector not enabled)", fallback.describe(), "the kernel carries the reason");
        assertTrue(ChunkKernels.choose("AUTO", true).description().startsWith("simd "));
        assertNull(SimdChunkKernel.whyUnsupported(), "this machine has vectors of at least 128 bits");
    }

    /**
     * The SIMD kernel against the scalar one on random shapes, long enough for C2 to compile both (the
     * oracle tests above run mostly in the interpreter and C1, where the Vector API is plain Java).
     */
    @Test
    void compiledSimdKernelAgreesWithTheScalarKernelOnRandomShapes() {
        Random r = new Random(2026);
        ChunkKernel simd = new SimdChunkKernel();
        ChunkKernel scalar = new ScalarChunkKernel();
        for (int iteration = 0; iteration < 3000; iteration++) {
            int streams = 1 + r.nextInt(4);
            int off = r.nextInt(70);
            int n = 1 + r.nextInt(r.nextBoolean() ? 40 : KeyStream.CHUNK_INTS);
            int[] secret = r.ints(off + n + r.nextInt(5)).toArray();
            byte[][] seeds = new byte[streams][AesCtrPrg.SEED_BYTES];
            for (byte[] seed : seeds) {
                r.nextBytes(seed);
            }
            boolean full = r.nextBoolean();
            boolean inPlace = r.nextBoolean();
            int[][] expected = shareOneChunk(scalar, seeds, secret, off, n, full, inPlace);
            int[][] actual = shareOneChunk(simd, seeds, secret, off, n, full, inPlace);
            assertArrayEquals(expected, actual, "iteration " + iteration);

            int byteOffset = r.nextInt(20);
            byte[][] bytesScalar = shareOneChunkAsBytes(scalar, seeds, secret, off, n, full, byteOffset);
            byte[][] bytesSimd = shareOneChunkAsBytes(simd, seeds, secret, off, n, full, byteOffset);
            assertArrayEquals(bytesScalar, bytesSimd, "bytes, iteration " + iteration);

            boolean subtract = r.nextBoolean();
            int[] sumScalar = secret.clone();
            int[] sumSimd = secret.clone();
            scalar.accumulate(new KeyStream(seeds[0]), sumScalar, off, n, subtract);
            simd.accumulate(new KeyStream(seeds[0]), sumSimd, off, n, subtract);
            assertArrayEquals(sumScalar, sumSimd, "accumulate, iteration " + iteration);
        }
    }

    /** One kernel call; returns the random components followed by the last component. */
    private static int[][] shareOneChunk(
            ChunkKernel kernel, byte[][] seeds, int[] secret, int off, int n, boolean full, boolean inPlace) {
        KeyStream[] streams = new KeyStream[seeds.length];
        for (int c = 0; c < seeds.length; c++) {
            streams[c] = new KeyStream(seeds[c]);
        }
        int[][] out = new int[seeds.length + 1][secret.length];
        int[] input = secret.clone();
        if (inPlace) {
            out[seeds.length] = input;
        }
        kernel.share(streams, input, off, n, full ? out : null, out[seeds.length]);
        return out;
    }

    /** One kernel {@code shareBytes} call; returns the random components (if full) followed by the last. */
    private static byte[][] shareOneChunkAsBytes(
            ChunkKernel kernel, byte[][] seeds, int[] secret, int off, int n, boolean full, int byteOffset) {
        KeyStream[] streams = new KeyStream[seeds.length];
        for (int c = 0; c < seeds.length; c++) {
            streams[c] = new KeyStream(seeds[c]);
        }
        byte[][] out = new byte[seeds.length + 1][byteOffset + 4 * secret.length];
        kernel.shareBytes(streams, secret, off, n, full ? out : null, out[seeds.length], byteOffset);
        return out;
    }

    /** After every call, whatever it does, the sharer's kernel holds nothing of it. */
    @Test
    void sharersLeaveTheirKernelsWiped() {
        SharingScheme scheme = SharingSchemes.additive(3);
        int[] secret = new Random(9).ints(5000).toArray();
        ScalarChunkKernel scalar = new ScalarChunkKernel();
        SimdChunkKernel simd = new SimdChunkKernel();
        for (ChunkKernel kernel : new ChunkKernel[] {scalar, simd}) {
            VectorSharer sharer = new ChunkedVectorSharer(scheme, new SecureRandom(), 4096, kernel);
            List<Runnable> calls = List.of(
                    () -> sharer.shareInto(secret, new int[3][secret.length]),
                    () -> sharer.shareCompressedInto(secret, new byte[2][32], new int[secret.length]),
                    () -> sharer.shareInto(secret, new byte[3][4 * secret.length], 0),
                    () -> sharer.shareCompressedInto(secret, new byte[2][32], new byte[4 * secret.length], 0));
            for (Runnable call : calls) {
                call.run();
                assertArrayEquals(new int[KeyStream.CHUNK_INTS], scalar.scratch, "scalar scratch");
                assertArrayEquals(new int[KeyStream.CHUNK_INTS], scalar.keyStream, "scalar key stream");
                for (byte[] source : simd.sources) {
                    assertNull(source, "simd kernel still refers to an array");
                }
            }
        }
        // and when the kernel fails half-way through a call
        int[] wipes = {0};
        ChunkKernel failing = new DelegatingKernel() {
            @Override
            public void shareBytes(
                    KeyStream[] streams, int[] secret, int off, int n, byte[][] random, byte[] last, int byteOffset) {
                if (off > 0) {
                    throw new IllegalStateException("injected failure");
                }
                super.shareBytes(streams, secret, off, n, random, last, byteOffset);
            }

            @Override
            public void wipe() {
                wipes[0]++;
                super.wipe();
            }
        };
        VectorSharer sharer = new ChunkedVectorSharer(scheme, new SecureRandom(), 4096, failing);
        assertThrows(IllegalStateException.class, () -> sharer.shareInto(secret, new byte[3][4 * secret.length], 0));
        assertEquals(1, wipes[0], "wiped once although the kernel failed");
    }

    /** A scalar kernel behind an overridable front, for kernels that misbehave on purpose. */
    static class DelegatingKernel implements ChunkKernel {
        private final ChunkKernel inner = new ScalarChunkKernel();

        @Override
        public void share(KeyStream[] streams, int[] secret, int off, int n, int[][] random, int[] last) {
            inner.share(streams, secret, off, n, random, last);
        }

        @Override
        public void shareBytes(
                KeyStream[] streams, int[] secret, int off, int n, byte[][] random, byte[] last, int byteOffset) {
            inner.shareBytes(streams, secret, off, n, random, last, byteOffset);
        }

        @Override
        public void accumulate(KeyStream stream, int[] dst, int off, int n, boolean subtract) {
            inner.accumulate(stream, dst, off, n, subtract);
        }

        @Override
        public int preferredChunk(boolean fullSizeInts) {
            return inner.preferredChunk(fullSizeInts);
        }

        @Override
        public void wipe() {
            inner.wipe();
        }

        @Override
        public String describe() {
            return "delegating";
        }
    }

    @Test
    void aWipedStreamKeepsNothingOfItsSeed() {
        byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
        new Random(3).nextBytes(seed);
        KeyStream stream = new KeyStream(seed);
        stream.next(KeyStream.CHUNK_INTS);
        stream.wipe();
        byte[] buffer = stream.nextBytes(1);
        for (int b = Integer.BYTES; b < buffer.length; b++) {
            assertEquals(0, buffer[b], "byte " + b + " of the chunk buffer survived the wipe");
        }
        int first = ByteBuffer.wrap(buffer, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(
                AesCtrPrg.expand(new byte[AesCtrPrg.SEED_BYTES], 1)[0],
                first,
                "after a wipe the cipher is keyed with the all-zero dummy key, not the old seed");
    }

    @Test
    void theSelfTestCatchesAKernelWrongInItsLastElement() {
        ChunkKernel reference = new ScalarChunkKernel();
        assertTrue(ChunkKernels.agrees(new SimdChunkKernel(), reference));
        ChunkKernel offByOneAtTheEnd = new DelegatingKernel() {
            @Override
            public void share(KeyStream[] streams, int[] secret, int off, int n, int[][] random, int[] last) {
                super.share(streams, secret, off, n, random, last);
                last[off + n - 1]++;
            }
        };
        ChunkKernel offByOneAtTheEndOfTheBytes = new DelegatingKernel() {
            @Override
            public void shareBytes(
                    KeyStream[] streams, int[] secret, int off, int n, byte[][] random, byte[] last, int byteOffset) {
                super.shareBytes(streams, secret, off, n, random, last, byteOffset);
                last[byteOffset + 4 * (off + n) - 1]++;
            }
        };
        assertTrue(ChunkKernels.agrees(new DelegatingKernel(), reference));
        assertFalse(ChunkKernels.agrees(offByOneAtTheEndOfTheBytes, reference));
        assertFalse(ChunkKernels.agrees(offByOneAtTheEnd, reference));
    }
}
