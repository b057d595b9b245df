package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Z/2^64 paths of every {@link ChunkKernel} (scalar, SIMD, and the interface's plain default loops)
 * against an oracle built from {@link AesCtrPrg#expandLongs} and {@code long} arithmetic, over chunk
 * sizes, lengths and offsets that leave partial vectors.
 */
@Timeout(60)
class Z64KernelTest {

    static Stream<ChunkKernelTest.NamedKernel> kernels() {
        return Stream.of(
                new ChunkKernelTest.NamedKernel("scalar", ScalarChunkKernel::new),
                new ChunkKernelTest.NamedKernel("simd", SimdChunkKernel::new),
                new ChunkKernelTest.NamedKernel("default", ChunkKernelTest.DelegatingKernel::new));
    }

    private static byte[] seed(Random r) {
        byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
        r.nextBytes(seed);
        return seed;
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void shareLongsIsTheSecretMinusTheExpansions(ChunkKernelTest.NamedKernel named) {
        Random r = new Random(11);
        for (int streams = 1; streams <= 4; streams++) {
            for (int chunk : new int[] {1, 7, 2048, KeyStream.CHUNK_LONGS}) {
                for (int length : new int[] {0, 1, 15, 17, 1000, 2 * KeyStream.CHUNK_LONGS + 77}) {
                    if (chunk == 1 && length > 1000) {
                        continue;
                    }
                    for (boolean inPlace : new boolean[] {false, true}) {
                        long[] secret = r.longs(length).toArray();
                        byte[][] seeds = new byte[streams][];
                        KeyStream[] keyStreams = new KeyStream[streams];
                        long[] expected = secret.clone();
                        for (int c = 0; c < streams; c++) {
                            seeds[c] = seed(r);
                            keyStreams[c] = new KeyStream(seeds[c]);
                            long[] k = AesCtrPrg.expandLongs(seeds[c], length);
                            for (int j = 0; j < length; j++) {
                                expected[j] -= k[j];
                            }
                        }
                        long[] in = secret.clone();
                        long[] last = inPlace ? in : new long[length];
                        ChunkKernel kernel = named.factory().get();
                        for (int off = 0; off < length; off += chunk) {
                            kernel.shareLongs(keyStreams, in, off, Math.min(chunk, length - off), last);
                        }
                        assertArrayEquals(
                                expected,
                                last,
                                named + " streams " + streams + " chunk " + chunk + " length " + length
                                        + (inPlace ? " in place" : ""));
                        if (!inPlace) {
                            assertArrayEquals(secret, in, "the secret is only read");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void accumulateLongsAddsTheExpansionAtEveryOffset(ChunkKernelTest.NamedKernel named) {
        Random r = new Random(12);
        for (int chunk : new int[] {1, 5, 2048, KeyStream.CHUNK_LONGS}) {
            for (int length : new int[] {0, 3, 17, 999, 2 * KeyStream.CHUNK_LONGS + 3}) {
                if (chunk == 1 && length > 999) {
                    continue;
                }
                byte[] seed = seed(r);
                long[] dst = r.longs(length).toArray();
                long[] expected = dst.clone();
                long[] k = AesCtrPrg.expandLongs(seed, length);
                for (int j = 0; j < length; j++) {
                    expected[j] += k[j];
                }
                KeyStream stream = new KeyStream(seed);
                ChunkKernel kernel = named.factory().get();
                for (int off = 0; off < length; off += chunk) {
                    kernel.accumulateLongs(stream, dst, off, Math.min(chunk, length - off));
                }
                assertArrayEquals(expected, dst, named + " chunk " + chunk + " length " + length);
            }
        }
    }

    /** Many random shapes, long enough for C2 to compile both kernels' Z/2^64 loops: SIMD against scalar. */
    @Test
    void simdAgreesWithScalarOnRandomShapes() {
        Random r = new Random(13);
        for (int t = 0; t < 1500; t++) {
            int streams = 1 + r.nextInt(3);
            int off = r.nextInt(40);
            int n = 1 + r.nextInt(KeyStream.CHUNK_LONGS);
            long[] secret = r.longs(off + n + r.nextInt(9)).toArray();
            byte[][] seeds = new byte[streams][];
            for (int c = 0; c < streams; c++) {
                seeds[c] = seed(r);
            }
            long[][] out = new long[2][];
            ChunkKernel[] kernels = {new ScalarChunkKernel(), new SimdChunkKernel()};
            for (int k = 0; k < 2; k++) {
                KeyStream[] keyStreams = new KeyStream[streams];
                for (int c = 0; c < streams; c++) {
                    keyStreams[c] = new KeyStream(seeds[c]);
                }
                out[k] = secret.clone();
                kernels[k].shareLongs(keyStreams, out[k], off, n, out[k]);
                kernels[k].accumulateLongs(new KeyStream(seeds[0]), out[k], off, n);
            }
            assertArrayEquals(out[0], out[1], "shape " + t);
        }
    }

    /** The kernel self-test covers the Z/2^64 paths: a kernel wrong only in its last long is caught. */
    @Test
    void theSelfTestCatchesAKernelWrongOnlyInItsLastLong() {
        assertTrue(ChunkKernels.agrees(new SimdChunkKernel(), new ScalarChunkKernel()));
        assertTrue(ChunkKernels.agrees(new ChunkKernelTest.DelegatingKernel(), new ScalarChunkKernel()));
        ChunkKernel wrongShare = new ChunkKernelTest.DelegatingKernel() {
            @Override
            public void shareLongs(KeyStream[] streams, long[] secret, int off, int n, long[] last) {
                super.shareLongs(streams, secret, off, n, last);
                last[off + n - 1] ^= 1;
            }
        };
        assertFalse(ChunkKernels.agrees(wrongShare, new ScalarChunkKernel()));
        ChunkKernel wrongAdd = new ChunkKernelTest.DelegatingKernel() {
            @Override
            public void accumulateLongs(KeyStream stream, long[] dst, int off, int n) {
                super.accumulateLongs(stream, dst, off, n);
                dst[off + n - 1] += 1L << 63;
            }
        };
        assertFalse(ChunkKernels.agrees(wrongAdd, new ScalarChunkKernel()));
    }

    @Test
    void theScalarKernelWipesItsLongScratch() {
        ScalarChunkKernel kernel = new ScalarChunkKernel();
        byte[] seed = seed(new Random(14));
        long[] v = new Random(15).longs(100).toArray();
        kernel.shareLongs(new KeyStream[] {new KeyStream(seed)}, v, 0, 100, v);
        kernel.accumulateLongs(new KeyStream(seed), v, 0, 100);
        assertArrayEquals(
                v, new Random(15).longs(100).toArray(), "subtracting then adding one expansion is the identity");
        kernel.wipe();
        assertArrayEquals(new long[KeyStream.CHUNK_LONGS], kernel.longScratch);
        Supplier<SimdChunkKernel> simd = SimdChunkKernel::new;
        SimdChunkKernel s = simd.get();
        s.shareLongs(new KeyStream[] {new KeyStream(seed), new KeyStream(seed)}, v, 0, 100, v);
        s.wipe();
        for (byte[] source : s.sources) {
            assertTrue(source == null, "simd kernel still refers to a key-stream buffer");
        }
    }
}
