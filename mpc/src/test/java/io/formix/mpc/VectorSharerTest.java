package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VectorSharer}: against a plaintext oracle, against the documented construction (seeds drawn in
 * component order, expanded with the pinned {@link AesCtrPrg}), and against the allocating
 * {@link SharingScheme#share(int[])}/{@link SharingScheme#shareCompressed(int[])} fed the same randomness.
 */
class VectorSharerTest {

    private static final int[] LENGTHS = {0, 1, 8191, 8192, 8193, 3 * 8192 + 5};

    /** Factories, so a twin with identical randomness can be made. */
    static Stream<Function<SecureRandom, SharingScheme>> schemes() {
        return Stream.of(
                r -> SharingSchemes.additive(2, r),
                r -> SharingSchemes.additive(3, r),
                r -> SharingSchemes.additive(5, r),
                r -> SharingSchemes.replicated2of3(r));
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void reusedArraysReconstructTheSecretEveryTime(Function<SecureRandom, SharingScheme> factory) {
        SharingScheme scheme = factory.apply(new SecureRandom());
        int m = scheme.componentCount();
        VectorSharer sharer = scheme.vectorSharer();
        assertSame(scheme, sharer.scheme());
        Random r = new Random(m);
        for (int length : LENGTHS) {
            int[][] components = new int[m][length];
            byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
            int[] last = new int[length];
            int[] previousLast = null;
            for (int round = 0; round < 3; round++) { // the same output arrays, reused
                int[] secret = r.ints(length).toArray();
                sharer.shareInto(secret, components);
                assertArrayEquals(secret, oracleSum(Arrays.asList(components), length), scheme + " " + length);

                sharer.shareCompressedInto(secret, seeds, last);
                List<int[]> all = new ArrayList<>();
                for (byte[] seed : seeds) {
                    all.add(AesCtrPrg.expand(seed, length));
                }
                all.add(last);
                assertArrayEquals(secret, oracleSum(all, length), scheme + " compressed " + length);
                if (length > 0 && previousLast != null) {
                    assertFalse(Arrays.equals(previousLast, last), "fresh randomness on every call");
                }
                previousLast = last.clone();
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void componentsAreTheExpansionsOfSeedsDrawnInComponentOrder(Function<SecureRandom, SharingScheme> factory) {
        SecureRandom twin = Schemes.seeded(41);
        SharingScheme scheme = factory.apply(Schemes.seeded(41));
        int m = scheme.componentCount();
        int length = 2 * 8192 + 77;
        int[] secret = new Random(5).ints(length).toArray();
        int[][] components = new int[m][length];
        scheme.vectorSharer().shareInto(secret, components);
        List<int[]> expected = new ArrayList<>();
        for (int c = 0; c < m - 1; c++) {
            byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
            twin.nextBytes(seed);
            expected.add(AesCtrPrg.expand(seed, length));
            assertArrayEquals(expected.get(c), components[c], "component " + c);
        }
        // the last is the secret minus the others, computed in long arithmetic
        int[] lastExpected = new int[length];
        for (int j = 0; j < length; j++) {
            long v = secret[j];
            for (int[] e : expected) {
                v -= e[j];
            }
            lastExpected[j] = (int) v;
        }
        assertArrayEquals(lastExpected, components[m - 1]);

        byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
        int[] last = new int[length];
        scheme.vectorSharer().shareCompressedInto(secret, seeds, last);
        for (int c = 0; c < m - 1; c++) {
            byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
            twin.nextBytes(seed);
            assertArrayEquals(seed, seeds[c], "seed " + c);
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void sameRandomnessGivesTheSameSharesAsTheAllocatingMethods(Function<SecureRandom, SharingScheme> factory) {
        SharingScheme allocating = factory.apply(Schemes.seeded(9));
        SharingScheme reusing = factory.apply(Schemes.seeded(9));
        int m = allocating.componentCount();
        int length = 8192 + 3;
        int[] secret = new Random(6).ints(length).toArray();

        VectorShare[] shares = allocating.share(secret);
        int[][] components = new int[m][length];
        reusing.vectorSharer().shareInto(secret, components);
        for (VectorShare s : shares) {
            for (ShareComponent c : s.components()) {
                assertArrayEquals(components[c.index()], c.toArray(), "component " + c.index());
            }
        }

        VectorShare[] compressed = allocating.shareCompressed(secret);
        byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
        int[] last = new int[length];
        reusing.vectorSharer().shareCompressedInto(secret, seeds, last);
        for (VectorShare s : compressed) {
            for (ShareComponent c : s.components()) {
                if (c instanceof SeededComponent seeded) {
                    assertArrayEquals(seeds[c.index()], seeded.seed(), "seed " + c.index());
                } else {
                    assertEquals(m - 1, c.index());
                    assertArrayEquals(last, c.toArray());
                }
            }
        }
    }

    /**
     * The byte-layout methods produce, with a header in front, messages that {@link ShareCodec} decodes
     * to shares reconstructing the secret: the path a node takes to send full-size shares without an
     * encoding pass.
     */
    @Test
    void sharesWrittenInTheEncodingLayoutDecodeAndReconstruct() {
        SharingScheme scheme = SharingSchemes.additive(3);
        VectorSharer sharer = scheme.vectorSharer();
        int header = ShareCodec.SINGLE_COMPONENT_HEADER_BYTES;
        for (int length : LENGTHS) {
            int[] secret = new Random(length).ints(length).toArray();
            byte[][] messages = new byte[3][header + 4 * length];
            sharer.shareInto(secret, messages, header);
            List<VectorShare> shares = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                ShareCodec.writeSingleComponentHeader(messages[p], p, length, p);
                VectorShare share = ShareCodec.decodeShare(messages[p], length);
                assertEquals(p, share.party());
                shares.add(share);
            }
            assertArrayEquals(secret, scheme.reconstruct(shares), "full size, length " + length);

            byte[][] seeds = new byte[2][AesCtrPrg.SEED_BYTES];
            byte[] lastMessage = new byte[header + 4 * length];
            sharer.shareCompressedInto(secret, seeds, lastMessage, header);
            ShareCodec.writeSingleComponentHeader(lastMessage, 2, length, 2);
            List<VectorShare> compressed = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                byte[] seedMessage = ShareCodec.encode(
                        new VectorShare(p, length, List.of(new SeededComponent(p, length, seeds[p]))));
                compressed.add(ShareCodec.decodeShare(seedMessage, length));
            }
            compressed.add(ShareCodec.decodeShare(lastMessage, length));
            assertArrayEquals(secret, scheme.reconstruct(compressed), "compressed, length " + length);
        }
    }

    /** Same randomness: the messages are byte for byte what {@link ShareCodec#encode} makes of the allocated shares. */
    @Test
    void messagesInTheEncodingLayoutAreExactlyWhatEncodeWrites() {
        int header = ShareCodec.SINGLE_COMPONENT_HEADER_BYTES;
        for (int parties : new int[] {2, 3, 5}) {
            // share(int[]) splits secrets of at most DIRECT_MAX elements without the vector sharer
            for (int length : new int[] {0, ComponentSharing.DIRECT_MAX + 1, 8193}) {
                int[] secret = new Random(length).ints(length).toArray();
                long seed = 42 + length + parties;
                VectorShare[] shares =
                        SharingSchemes.additive(parties, Schemes.seeded(seed)).share(secret);
                byte[][] messages = new byte[parties][header + 4 * length];
                SharingSchemes.additive(parties, Schemes.seeded(seed))
                        .vectorSharer()
                        .shareInto(secret, messages, header);
                for (int p = 0; p < parties; p++) {
                    ShareCodec.writeSingleComponentHeader(messages[p], p, length, p);
                    assertArrayEquals(ShareCodec.encode(shares[p]), messages[p], "party " + p + ", length " + length);
                }

                VectorShare[] compressed =
                        SharingSchemes.additive(parties, Schemes.seeded(seed)).shareCompressed(secret);
                byte[][] seeds = new byte[parties - 1][AesCtrPrg.SEED_BYTES];
                byte[] last = new byte[header + 4 * length];
                SharingSchemes.additive(parties, Schemes.seeded(seed))
                        .vectorSharer()
                        .shareCompressedInto(secret, seeds, last, header);
                ShareCodec.writeSingleComponentHeader(last, parties - 1, length, parties - 1);
                assertArrayEquals(ShareCodec.encode(compressed[parties - 1]), last, "compressed, length " + length);
                for (int p = 0; p < parties - 1; p++) {
                    assertArrayEquals(
                            ((SeededComponent) compressed[p].components().get(0)).seedBytes(), seeds[p]);
                }
            }
        }
        byte[] message = new byte[header + 4 * 9];
        assertThrows(IllegalArgumentException.class, () -> ShareCodec.writeSingleComponentHeader(message, 2, 10, 2));
        assertThrows(IllegalArgumentException.class, () -> ShareCodec.writeSingleComponentHeader(message, -1, 9, 2));
        assertThrows(IllegalArgumentException.class, () -> ShareCodec.writeSingleComponentHeader(message, 2, 9, 64));
        assertThrows(
                IllegalArgumentException.class,
                () -> ShareCodec.writeSingleComponentHeader(message, 2, VectorShare.MAX_LENGTH + 1, 2));
    }

    @Test
    void refusedByteLayoutCallsDrawNothingAndWriteNothing() {
        VectorSharer sharer = SharingSchemes.additive(3, Schemes.seeded(5)).vectorSharer();
        int[] secret = {1, 2, 3};
        byte[] a = filled(12);
        byte[] b = filled(12);
        byte[] c = filled(12);
        byte[] s0 = filled(32);
        byte[] s1 = filled(32);
        List<Runnable> refused = List.of(
                () -> sharer.shareInto(secret, new byte[][] {a, b}, 0),
                () -> sharer.shareInto(secret, new byte[][] {a, b, c, filled(12)}, 0),
                () -> sharer.shareInto(secret, new byte[][] {a, b, c}, -1),
                () -> sharer.shareInto(secret, new byte[][] {a, b, c}, 1),
                () -> sharer.shareInto(secret, new byte[][] {a, b, filled(11)}, 0),
                () -> sharer.shareInto(secret, new byte[][] {a, a, c}, 0),
                () -> sharer.shareInto(secret, new byte[][] {a, b, null}, 0),
                () -> sharer.shareInto(secret, new byte[][] {a, b, c}, Integer.MAX_VALUE - 3),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, s1}, filled(11), 0),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, s1}, a, Integer.MAX_VALUE),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, s0}, a, 0),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, s1}, s1, 0),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0}, a, 0),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, filled(31)}, a, 0),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, null}, a, 0));
        for (Runnable call : refused) {
            assertThrows(IllegalArgumentException.class, call::run);
        }
        for (byte[] untouched : new byte[][] {a, b, c, s0, s1}) {
            assertArrayEquals(filled(untouched.length), untouched);
        }
        // nothing was drawn: the first accepted call gets the first seed of the SecureRandom
        sharer.shareCompressedInto(secret, new byte[][] {s0, s1}, a, 0);
        byte[] first = new byte[AesCtrPrg.SEED_BYTES];
        Schemes.seeded(5).nextBytes(first);
        assertArrayEquals(first, s0);
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 0x5A);
        return bytes;
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void sharesInPlace(Function<SecureRandom, SharingScheme> factory) {
        SharingScheme scheme = factory.apply(new SecureRandom());
        int m = scheme.componentCount();
        int length = 8192 * 2 + 1;
        int[] original = new Random(8).ints(length).toArray();

        int[] secret = original.clone();
        byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
        scheme.vectorSharer().shareCompressedInto(secret, seeds, secret);
        List<int[]> all = new ArrayList<>();
        for (byte[] seed : seeds) {
            all.add(AesCtrPrg.expand(seed, length));
        }
        all.add(secret);
        assertArrayEquals(original, oracleSum(all, length));

        int[] s = original.clone();
        int[][] components = new int[m][length];
        components[m - 1] = s;
        scheme.vectorSharer().shareInto(s, components);
        assertArrayEquals(original, oracleSum(Arrays.asList(components), length), "secret as the last component");
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void manySmallChunksGiveTheSameSharesAsTheDefault(Function<SecureRandom, SharingScheme> factory) {
        SharingScheme scheme = factory.apply(new SecureRandom());
        int m = scheme.componentCount();
        int[] secret = new Random(10).ints(1000).toArray();
        for (int chunk : new int[] {1, 7, 999, 1000}) {
            int[][] expected = new int[m][secret.length];
            new ChunkedVectorSharer(scheme, Schemes.seeded(chunk)).shareInto(secret, expected);
            int[][] actual = new int[m][secret.length];
            new ChunkedVectorSharer(scheme, Schemes.seeded(chunk), chunk).shareInto(secret, actual);
            assertArrayEquals(expected, actual, "chunk " + chunk);

            byte[][] seeds = new byte[m - 1][AesCtrPrg.SEED_BYTES];
            int[] last = new int[secret.length];
            new ChunkedVectorSharer(scheme, Schemes.seeded(chunk), chunk).shareCompressedInto(secret, seeds, last);
            assertArrayEquals(expected[m - 1], last, "chunk " + chunk + " compressed");
        }
        assertThrows(IllegalArgumentException.class, () -> new ChunkedVectorSharer(scheme, new SecureRandom(), 0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ChunkedVectorSharer(scheme, new SecureRandom(), KeyStream.CHUNK_INTS + 1));
    }

    @Test
    void refusedCallsDrawNothingAndWriteNothing() {
        SharingScheme scheme = SharingSchemes.replicated2of3(Schemes.seeded(3));
        VectorSharer sharer = scheme.vectorSharer();
        int[] secret = {1, 2, 3};
        int[] a = {7, 7, 7};
        int[] b = {7, 7, 7};
        int[] c = {7, 7, 7};
        byte[] s0 = new byte[32];
        byte[] s1 = new byte[32];
        List<Runnable> refused = List.of(
                () -> sharer.shareInto(secret, new int[][] {a, b}),
                () -> sharer.shareInto(secret, new int[][] {a, b, c, new int[3]}),
                () -> sharer.shareInto(secret, new int[][] {a, b, new int[2]}),
                () -> sharer.shareInto(secret, new int[][] {a, null, c}),
                () -> sharer.shareInto(secret, new int[][] {a, b, a}),
                () -> sharer.shareInto(secret, new int[][] {secret, b, c}),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0}, c),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, new byte[31]}, c),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, null}, c),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, s0}, c),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, s1}, new int[4]),
                () -> sharer.shareCompressedInto(secret, new byte[][] {s0, s1}, null));
        for (Runnable call : refused) {
            assertThrows(IllegalArgumentException.class, call::run);
        }
        for (int[] out : new int[][] {a, b, c}) {
            assertArrayEquals(new int[] {7, 7, 7}, out);
        }
        assertArrayEquals(new byte[32], s0);
        assertArrayEquals(new byte[32], s1);
        // nothing was drawn: the next call uses the first seed of the twin randomness
        sharer.shareCompressedInto(secret, new byte[][] {s0, s1}, c);
        byte[] first = new byte[32];
        Schemes.seeded(3).nextBytes(first);
        assertArrayEquals(first, s0);
    }

    @Test
    void sharersAreIndependentOfEachOther() {
        SharingScheme scheme = SharingSchemes.additive(3);
        VectorSharer one = scheme.vectorSharer();
        VectorSharer two = scheme.vectorSharer();
        int[] secret = new Random(4).ints(20_000).toArray();
        int[][] x = new int[3][secret.length];
        int[][] y = new int[3][secret.length];
        one.shareInto(secret, x);
        two.shareInto(secret, y);
        one.shareInto(new int[secret.length], new int[3][secret.length]); // must not disturb x or y
        assertArrayEquals(secret, oracleSum(Arrays.asList(x), secret.length));
        assertArrayEquals(secret, oracleSum(Arrays.asList(y), secret.length));
        assertFalse(Arrays.equals(x[0], y[0]));
    }

    private static int[] oracleSum(List<int[]> parts, int length) {
        int[] sum = new int[length];
        for (int j = 0; j < length; j++) {
            long[] v = new long[parts.size()];
            for (int k = 0; k < v.length; k++) {
                v[k] = parts.get(k)[j];
            }
            sum[j] = Schemes.oracleSum(v);
        }
        return sum;
    }
}
