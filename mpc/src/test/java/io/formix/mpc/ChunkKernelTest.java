package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
        return Stream.of(new NamedKernel("scalar", ScalarChunkKernel::new),
                new NamedKernel("simd", SimdChunkKernel::new));
    }

    record NamedKernel(String name, java.util.function.Supplier<ChunkKernel> factory) {
        @Override
        public String toString() {
            return name;
        }
    }

    @Test
    void theTestJvmChoosesTheSimdKernel() {
        assertTrue(ChunkKernels.description().startsWith("simd "), ChunkKernels.description());
        assertTrue(ChunkKernels.create().describe().startsWith("simd "));
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

    private static void checkFullSize(SharingScheme scheme, NamedKernel kernel, int chunk, int[] secret, long seed,
            boolean inPlace) {
        int m = scheme.componentCount();
        int[][] components = new int[m][secret.length];
        int[] input = secret.clone();
        if (inPlace) {
            components[m - 1] = input;
        }
        new ChunkedVectorSharer(scheme, Schemes.seeded(seed), chunk, kernel.factory().get()).shareInto(input, components);
        int[][] expected = oracle(secret, seeds(Schemes.seeded(seed), m - 1));
        String where = kernel + ", " + m + " components, chunk " + chunk + ", length " + secret.length
                + (inPlace ? ", in place" : "");
        assertArrayEquals(expected, components, where);
    }

    private static void checkCompressed(SharingScheme scheme, NamedKernel kernel, int chunk, int[] secret, long seed,
            boolean inPlace) {
        int m = scheme.componentCount();
        byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
        int[] input = secret.clone();
        int[] last = inPlace ? input : new int[secret.length];
        new ChunkedVectorSharer(scheme, Schemes.seeded(seed), chunk, kernel.factory().get())
                .shareCompressedInto(input, seeds, last);
        byte[][] expectedSeeds = seeds(Schemes.seeded(seed), m - 1);
        assertArrayEquals(expectedSeeds, seeds);
        int[][] expected = oracle(secret, expectedSeeds);
        assertArrayEquals(expected[m - 1], last, kernel + ", compressed, " + m + " components, chunk " + chunk
                + ", length " + secret.length + (inPlace ? ", in place" : ""));
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
                for (int off = 0; off < length; off += 1000) {  // offsets that are not multiples of a vector
                    k.accumulate(stream, target, off, Math.min(1000, length - off), subtract);
                }
                for (int j = 0; j < length; j++) {
                    long expected = (start[j] & 0xFFFFFFFFL) + (subtract ? -1 : 1) * (expansion[j] & 0xFFFFFFFFL);
                    assertEquals((int) (expected & 0xFFFFFFFFL), target[j], kernel + " element " + j);
                }
            }
        }
    }

    @Test
    void theScalarKernelIsChosenWhenAskedOrWhenTheModuleIsMissing() {
        assertEquals("scalar (formix.mpc.simd=off)", ChunkKernels.choose("off", true).description());
        assertEquals("scalar (jdk.incubator.vector not enabled)", ChunkKernels.choose("auto", false).description());
        assertEquals("scalar (formix.mpc.simd=yes is neither auto nor off)",
                ChunkKernels.choose("yes", true).description());
        assertTrue(ChunkKernels.choose("off", true).factory().get() instanceof ScalarChunkKernel);
        assertTrue(ChunkKernels.choose("AUTO", true).description().startsWith("simd "));
    }

    @Test
    void theSelfTestCatchesAKernelWrongInItsLastElement() {
        ChunkKernel reference = new ScalarChunkKernel();
        assertTrue(ChunkKernels.agrees(new SimdChunkKernel(), reference));
        ChunkKernel offByOneAtTheEnd = new ChunkKernel() {
            private final ChunkKernel inner = new ScalarChunkKernel();

            @Override
            public void share(KeyStream[] streams, int[] secret, int off, int n, int[][] random, int[] last) {
                inner.share(streams, secret, off, n, random, last);
                last[off + n - 1]++;
            }

            @Override
            public void accumulate(KeyStream stream, int[] dst, int off, int n, boolean subtract) {
                inner.accumulate(stream, dst, off, n, subtract);
            }

            @Override
            public int preferredChunk(boolean fullSize) {
                return inner.preferredChunk(fullSize);
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        assertFalse(ChunkKernels.agrees(offByOneAtTheEnd, reference));
    }
}
