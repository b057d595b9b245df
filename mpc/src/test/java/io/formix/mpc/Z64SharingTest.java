package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.MpcException.InconsistentSharesException;
import io.formix.mpc.MpcException.MalformedEncodingException;
import io.formix.mpc.MpcException.NotAQuorumException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The schemes over Z/2^64 against a plaintext oracle in {@link BigInteger} arithmetic mod 2^64. */
class Z64SharingTest {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    static Stream<SharingScheme> schemes() {
        return Stream.of(
                SharingSchemes.forId("additive-3-z64", Schemes.seeded(64)),
                SharingSchemes.forId("replicated-2of3-z64", Schemes.seeded(65)),
                SharingSchemes.forId("additive-2-z64", Schemes.seeded(66)),
                SharingSchemes.forId("additive-5-z64", Schemes.seeded(67)));
    }

    /** Values near ±2^63 and 0, so that every sum wraps. */
    private static long[] extremeVector(Random r, int length) {
        long[] v = new long[length];
        for (int j = 0; j < length; j++) {
            v[j] = switch (r.nextInt(6)) {
                case 0 -> Long.MAX_VALUE - r.nextInt(3);
                case 1 -> Long.MIN_VALUE + r.nextInt(3);
                case 2 -> -1L;
                case 3 -> r.nextInt(3);
                default -> r.nextLong();
            };
        }
        return v;
    }

    /** Σ values mod 2^64 in BigInteger arithmetic, independent of long wrap-around. */
    private static long oracle(List<long[]> secrets, int j) {
        BigInteger s = BigInteger.ZERO;
        for (long[] v : secrets) {
            s = s.add(BigInteger.valueOf(v[j]));
        }
        return s.mod(TWO_64).longValue();
    }

    private static List<VectorShare> of(VectorShare[] shares, Set<Integer> parties) {
        List<VectorShare> out = new ArrayList<>();
        parties.forEach(p -> out.add(shares[p]));
        return out;
    }

    @Test
    void idsNameTheRing() {
        for (String id : new String[] {"additive-3-z64", "replicated-2of3-z64", "additive-64-z64"}) {
            SharingScheme s = SharingSchemes.forId(id);
            assertEquals(64, s.ringBits(), id);
            assertEquals(id, s.id());
            assertTrue(s.toString().endsWith("over Z/2^64"), s.toString());
        }
        for (String id : new String[] {"additive-3", "replicated-2of3"}) {
            assertEquals(32, SharingSchemes.forId(id).ringBits(), id);
            assertEquals(id, SharingSchemes.forId(id).id());
        }
        assertEquals(32, SharingSchemes.additive(3).ringBits());
        assertEquals("additive 3-of-3", SharingSchemes.additive(3).toString(), "the 32-bit names are unchanged");
        for (String bad : new String[] {"additive-3-z64-z64", "-z64", "additive-1-z64", "replicated-2of3-z32", "z64"}) {
            assertThrows(IllegalArgumentException.class, () -> SharingSchemes.forId(bad), bad);
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void scalarsVectorsAndCompressedVectorsReconstructFromEveryQuorumOnly(SharingScheme scheme) {
        Random r = new Random(scheme.id().hashCode());
        for (int length : new int[] {1, 0, 2, 2047, 2048, 2049, 5000}) {
            long[] secret = extremeVector(r, length);
            for (boolean compressed : new boolean[] {false, true}) {
                VectorShare[] shares = compressed ? scheme.shareCompressed(secret) : scheme.share(secret);
                assertEquals(scheme.parties(), shares.length);
                for (VectorShare s : shares) {
                    assertEquals(64, s.ringBits());
                    assertEquals(length, s.length());
                }
                for (Set<Integer> subset : Schemes.subsets(scheme.parties())) {
                    List<VectorShare> present = of(shares, subset);
                    if (Schemes.expectedQuorum(scheme, subset)) {
                        assertArrayEquals(secret, scheme.reconstructLongs(present), scheme + " " + subset);
                    } else {
                        assertThrows(NotAQuorumException.class, () -> scheme.reconstructLongs(present), "" + subset);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void compressedSharesAreSeedsButTheLastComponent(SharingScheme scheme) {
        long[] secret = extremeVector(new Random(4), 100);
        VectorShare[] shares = scheme.shareCompressed(secret);
        int last = scheme.componentCount() - 1;
        for (VectorShare s : shares) {
            for (ShareComponent c : s.components()) {
                assertEquals(c.index() != last, c instanceof SeededComponent, c.toString());
                assertEquals(64, c.ringBits());
            }
        }
        assertNotEquals(
                ShareCodec.encode(shares[0]).length,
                ShareCodec.encode(shares[shares.length - 1]).length,
                "the seed holder's message is small");
    }

    /** Element j of a 64-bit seeded component is key-stream bytes [8j, 8j+8): 32-bit elements 2j (low) and 2j+1. */
    @Test
    void seededElementIsTwoConsecutive32BitElementsLowFirst() {
        byte[] seed = new byte[SeededComponent.SEED_BYTES];
        new Random(9).nextBytes(seed);
        int n = 5000;
        int[] words = new SeededComponent(0, 2 * n, seed).toArray();
        long[] elements = new SeededComponent(0, n, seed, 64).toLongArray();
        for (int j = 0; j < n; j++) {
            assertEquals((words[2 * j] & 0xFFFFFFFFL) | ((long) words[2 * j + 1] << 32), elements[j], "element " + j);
        }
        long[] sum = extremeVector(new Random(10), n);
        long[] expected = sum.clone();
        for (int j = 0; j < n; j++) {
            expected[j] += elements[j];
        }
        new SeededComponent(0, n, seed, 64).addTo(sum);
        assertArrayEquals(expected, sum, "addTo adds the expansion mod 2^64");
        assertThrows(IllegalArgumentException.class, () -> new SeededComponent(0, n, seed, 48));
        assertNotEquals(new SeededComponent(0, n, seed), new SeededComponent(0, n, seed, 64));
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void manyContributorsAccumulateAndRevealTheWrappedTotalFromEveryQuorum(SharingScheme scheme) {
        Random r = new Random(scheme.parties() * 31L + scheme.componentCount());
        for (int length : new int[] {1, 3000}) {
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < 25; i++) {
                ids.add(String.format("light-%04d", i));
            }
            List<ShareAccumulator> acc = new ArrayList<>();
            for (int p = 0; p < scheme.parties(); p++) {
                acc.add(ShareAccumulator.forContributors(scheme, p, length, ids));
            }
            List<long[]> secrets = new ArrayList<>();
            int i = 0;
            for (String id : ids) {
                long[] secret = i++ < 10 ? filled(length, Long.MAX_VALUE) : extremeVector(r, length);
                secrets.add(secret);
                VectorShare[] shares = r.nextBoolean() ? scheme.shareCompressed(secret) : scheme.share(secret);
                for (int p = 0; p < scheme.parties(); p++) {
                    acc.get(p).add(id, ShareCodec.decodeShare(ShareCodec.encode(shares[p]), length, 64));
                }
            }
            long[] expected = new long[length];
            for (int j = 0; j < length; j++) {
                expected[j] = oracle(secrets, j);
            }
            // ten times 2^63-1 wraps: the total is exact only mod 2^64
            assertNotEquals(
                    BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TEN).longValue(),
                    BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TEN).doubleValue());
            List<PartialSum> sums = new ArrayList<>();
            for (ShareAccumulator a : acc) {
                PartialSum p = a.partialSum();
                assertEquals(64, p.ringBits());
                assertEquals(length, p.length());
                sums.add(p);
            }
            for (Set<Integer> subset : Schemes.subsets(scheme.parties())) {
                List<PartialSum> present = new ArrayList<>();
                subset.forEach(p -> present.add(sums.get(p)));
                if (Schemes.expectedQuorum(scheme, subset)) {
                    assertArrayEquals(expected, scheme.revealLongs(present), scheme + " " + subset);
                } else {
                    assertThrows(NotAQuorumException.class, () -> scheme.revealLongs(present), "" + subset);
                }
            }
        }
    }

    private static long[] filled(int length, long value) {
        long[] v = new long[length];
        java.util.Arrays.fill(v, value);
        return v;
    }

    @Test
    void tenTimesTheLargestValueWrapsExactly() {
        SharingScheme scheme = SharingSchemes.forId("additive-3-z64", Schemes.seeded(1));
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            acc.add(ShareAccumulator.open(scheme, p, 2));
        }
        for (int i = 0; i < 10; i++) {
            VectorShare[] shares = scheme.shareCompressed(new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            for (int p = 0; p < 3; p++) {
                acc.get(p).add("light-" + i, shares[p]);
            }
        }
        List<PartialSum> sums = new ArrayList<>();
        acc.forEach(a -> sums.add(a.partialSum()));
        // 10 (2^63 - 1) = 5 * 2^64 - 10 = -10 mod 2^64; 10 * (-2^63) = -5 * 2^64 = 0 mod 2^64
        assertArrayEquals(new long[] {-10L, 0L}, scheme.revealLongs(sums));
    }

    @Test
    void partialSumsOverDifferentContributorSetsAreNotRevealed() {
        SharingScheme scheme = SharingSchemes.forId("additive-3-z64", Schemes.seeded(2));
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            acc.add(ShareAccumulator.open(scheme, p, 4));
        }
        for (String id : List.of("light-0001", "light-0002")) {
            VectorShare[] shares = scheme.shareCompressed(new long[] {1, 2, 3, 4});
            for (int p = 0; p < 3; p++) {
                if (!(p == 2 && id.equals("light-0002"))) {
                    acc.get(p).add(id, shares[p]);
                }
            }
        }
        List<PartialSum> sums = new ArrayList<>();
        acc.forEach(a -> sums.add(a.partialSum()));
        assertNotEquals(sums.get(0).contributorDigest(), sums.get(2).contributorDigest());
        InconsistentSharesException e = assertThrows(InconsistentSharesException.class, () -> scheme.revealLongs(sums));
        assertTrue(e.getMessage().contains("different contributor sets"), e.getMessage());
    }

    @Test
    void replicatedAnyTwoPartiesRevealOneDoesNotAndALyingReplicaIsCaught() {
        SharingScheme scheme = SharingSchemes.forId("replicated-2of3-z64", Schemes.seeded(3));
        long[] a = {Long.MAX_VALUE, -5, 0};
        long[] b = {1, Long.MIN_VALUE, -1};
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            acc.add(ShareAccumulator.forContributors(scheme, p, 3, Set.of("light-a", "light-b")));
        }
        VectorShare[] sa = scheme.shareCompressed(a);
        VectorShare[] sb = scheme.share(b);
        for (int p = 0; p < 3; p++) {
            acc.get(p).add("light-a", sa[p]);
            acc.get(p).add("light-b", sb[p]);
        }
        List<PartialSum> sums = new ArrayList<>();
        acc.forEach(x -> sums.add(x.partialSum()));
        long[] expected = {Long.MIN_VALUE, Long.MAX_VALUE - 4, -1};
        for (int[] pair : new int[][] {{0, 1}, {1, 2}, {0, 2}}) {
            assertArrayEquals(
                    expected,
                    scheme.revealLongs(List.of(sums.get(pair[0]), sums.get(pair[1]))),
                    pair[0] + "," + pair[1]);
        }
        assertArrayEquals(expected, scheme.revealLongs(sums));
        for (int p = 0; p < 3; p++) {
            PartialSum alone = sums.get(p);
            assertThrows(NotAQuorumException.class, () -> scheme.revealLongs(List.of(alone)));
        }
        assertThrows(NotAQuorumException.class, () -> scheme.revealLongs(List.of()));
        PartialSum s1 = sums.get(1);
        long[][] lie = {s1.sumLongs(0), s1.sumLongs(1)};
        lie[0][0] += 1;
        PartialSum liar = new PartialSum(1, s1.componentIndices(), lie, s1.contributors());
        assertThrows(
                InconsistentSharesException.class, () -> scheme.revealLongs(List.of(sums.get(0), liar, sums.get(2))));
    }

    @Test
    void eachRingsMethodsAreRefusedOnTheOtherRing() {
        SharingScheme z64 = SharingSchemes.forId("additive-3-z64");
        SharingScheme z32 = SharingSchemes.forId("additive-3");
        List<Runnable> refused = List.of(
                () -> z64.share(1),
                () -> z64.share(new int[] {1}),
                () -> z64.shareCompressed(new int[] {1}),
                () -> z64.vectorSharer(),
                () -> z64.reconstruct(Map.of(0, new int[] {1})),
                () -> z64.reconstruct(List.of()),
                () -> z64.reveal(List.of()),
                () -> z32.share(new long[] {1}),
                () -> z32.shareCompressed(new long[] {1}),
                () -> z32.reconstructLongs(List.of()),
                () -> z32.revealLongs(List.of()));
        for (Runnable r : refused) {
            IllegalStateException e = assertThrows(IllegalStateException.class, r::run);
            assertTrue(e.getMessage().contains("Z/2^"), e.getMessage());
        }
        VectorShare share64 = z64.share(new long[] {7})[0];
        VectorShare share32 = z32.share(new int[] {7})[0];
        assertThrows(
                IllegalStateException.class, () -> share64.components().get(0).toArray());
        assertThrows(
                IllegalStateException.class, () -> share32.components().get(0).toLongArray());
        assertThrows(
                IllegalStateException.class, () -> share64.components().get(0).addTo(new int[1]));
        assertThrows(
                IllegalStateException.class, () -> share32.components().get(0).addTo(new long[1]));
    }

    @Test
    void sharesAndSumsOfTheOtherRingAreRefusedWhereTheyAreAddedAndChangeNothing() {
        SharingScheme z64 = SharingSchemes.forId("additive-3-z64", Schemes.seeded(4));
        SharingScheme z32 = SharingSchemes.forId("additive-3", Schemes.seeded(5));
        ShareAccumulator acc64 = ShareAccumulator.open(z64, 1, 2);
        ShareAccumulator acc32 = ShareAccumulator.open(z32, 1, 2);
        VectorShare[] s32 = z32.shareCompressed(new int[] {1, 2});
        VectorShare[] s64 = z64.shareCompressed(new long[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> acc64.add("light-1", s32[1]));
        assertTrue(e.getMessage().contains("Z/2^32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> acc32.add("light-1", s64[1]));
        assertEquals(0, acc64.size());
        assertEquals(0, acc32.size());
        assertThrows(IllegalStateException.class, () -> acc64.add("light-2", new int[][] {{1, 2}}));
        assertThrows(IllegalStateException.class, () -> acc64.addScalar("light-2", 1));
        acc64.add("light-1", s64[1]); // the same id, refused before, is still free
        assertEquals(1, acc64.size());

        // decoders that know the ring they expect refuse the other one from the header
        byte[] bytes32 = ShareCodec.encode(s32[2]);
        byte[] bytes64 = ShareCodec.encode(s64[2]);
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(bytes32, 16, 64));
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(bytes64, 16, 32));
        assertEquals(s32[2], ShareCodec.decodeShare(bytes32, 16, 32));
        assertEquals(s64[2], ShareCodec.decodeShare(bytes64, 16, 64));
        assertThrows(IllegalArgumentException.class, () -> ShareCodec.decodeShare(bytes64, 16, 16));

        // reconstruct and reveal refuse the other ring too
        List<VectorShare> mixed = List.of(s64[0], s64[1], s32[2]);
        assertThrows(IllegalArgumentException.class, () -> z64.reconstructLongs(mixed));
        assertThrows(IllegalArgumentException.class, () -> z32.reconstruct(List.of(s32[0], s32[1], s64[2])));
        PartialSum sum32 = acc32.partialSum();
        assertThrows(IllegalArgumentException.class, () -> z64.revealLongs(List.of(acc64.partialSum(), sum32)));
        assertThrows(IllegalArgumentException.class, () -> ShareAccumulator.resumeOpen(z64, sum32));
        assertThrows(
                IllegalArgumentException.class,
                () -> new VectorShare(
                        0,
                        2,
                        List.of(s64[0].components().get(0), s32[1].components().get(0))));
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void theCodecRoundTripsSharesOfBothKindsAndSaysTheRing(SharingScheme scheme) {
        long[] secret = extremeVector(new Random(6), 1000);
        for (VectorShare[] shares : List.of(scheme.share(secret), scheme.shareCompressed(secret))) {
            List<VectorShare> decoded = new ArrayList<>();
            for (VectorShare s : shares) {
                byte[] bytes = ShareCodec.encode(s);
                assertEquals(0x40, bytes[3], "the header says Z/2^64");
                VectorShare d = ShareCodec.decodeShare(bytes, 1000);
                assertEquals(s, d);
                assertEquals(64, d.ringBits());
                decoded.add(d);
            }
            assertArrayEquals(secret, scheme.reconstructLongs(decoded));
        }
        // a full component costs 8 bytes an element, a seed 37 bytes in all
        VectorShare full = SharingSchemes.forId("additive-3-z64").shareCompressed(secret)[2];
        assertEquals(4 + 4 + 4 + 1 + 1 + 4 + 8 * 1000, ShareCodec.encode(full).length);
        VectorShare seed = SharingSchemes.forId("additive-3-z64").shareCompressed(secret)[0];
        assertEquals(13 + 37, ShareCodec.encode(seed).length);
        assertEquals(1, ShareCodec.encode(SharingSchemes.additive(3).share(new int[] {1})[0])[3], "32-bit unchanged");
    }

    @Test
    void theCodecRefusesLengthsAboveTheLimitBeforeAllocating() {
        VectorShare big = SharingSchemes.forId("additive-2-z64").share(new long[17])[0];
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(ShareCodec.encode(big), 16));
        assertEquals(big, ShareCodec.decodeShare(ShareCodec.encode(big), 17));
        // a header announcing 2^31-1 elements with no bytes behind it: refused, no 16 GiB allocated
        byte[] huge = ByteBuffer.allocate(13 + 5)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {'F', 'X', 'S', 0x40})
                .putInt(0)
                .putInt(Integer.MAX_VALUE)
                .put((byte) 1)
                .put((byte) 0)
                .putInt(0)
                .array();
        assertThrows(
                MalformedEncodingException.class, () -> ShareCodec.decodeShare(huge, ShareCodec.DEFAULT_MAX_LENGTH));
        // within the limit, but more elements announced than bytes present (4 bytes an element would fit)
        byte[] lying = huge.clone();
        ByteBuffer.wrap(lying).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 1);
        byte[] lyingWithFourBytes = java.util.Arrays.copyOf(lying, lying.length + 4);
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(lyingWithFourBytes, 16));
        byte[] unknownRing = ShareCodec.encode(big);
        unknownRing[3] = 0x20;
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(unknownRing, 64));
        // random mutations either decode or fail typed
        Random r = new Random(7);
        byte[] valid = ShareCodec.encode(
                SharingSchemes.forId("replicated-2of3-z64").shareCompressed(new long[] {1, 2, 3, 4})[1]);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = valid.clone();
            for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            }
            try {
                ShareCodec.decodeShare(m, 64);
            } catch (MalformedEncodingException expected) {
                // the only acceptable failure
            }
        }
    }

    @Test
    void longVectorsRoundTripAndAreBounded() {
        long[] v = extremeVector(new Random(8), 100);
        byte[] bytes = ShareCodec.encodeVector(v);
        assertEquals(4 + 8 * 100, bytes.length);
        assertEquals(
                Long.MAX_VALUE,
                ByteBuffer.wrap(ShareCodec.encodeVector(new long[] {Long.MAX_VALUE}))
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong(4));
        assertArrayEquals(v, ShareCodec.decodeLongVector(bytes, 100));
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeLongVector(bytes, 99));
        assertThrows(
                MalformedEncodingException.class,
                () -> ShareCodec.decodeLongVector(java.util.Arrays.copyOf(bytes, bytes.length + 1), 100));
        assertThrows(
                MalformedEncodingException.class,
                () -> ShareCodec.decodeLongVector(java.util.Arrays.copyOf(bytes, bytes.length - 1), 100));
        byte[] hugeLength = ShareCodec.encodeVector(new long[0]);
        ByteBuffer.wrap(hugeLength).order(ByteOrder.LITTLE_ENDIAN).putInt(0, Integer.MAX_VALUE);
        assertThrows(
                MalformedEncodingException.class,
                () -> ShareCodec.decodeLongVector(hugeLength, ShareCodec.DEFAULT_MAX_LENGTH));
        byte[] int32 = ShareCodec.encodeVector(new int[] {1, 2});
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeLongVector(int32, 16));
    }

    @Test
    void aSavedPartialSumResumesAndCopiesItsArrays() {
        SharingScheme scheme = SharingSchemes.forId("additive-3-z64", Schemes.seeded(11));
        ShareAccumulator acc = ShareAccumulator.open(scheme, 2, 2);
        VectorShare[] first = scheme.shareCompressed(new long[] {Long.MAX_VALUE, 1});
        acc.add("light-1", first[2]);
        PartialSum saved = acc.partialSum();
        PartialSum copy =
                new PartialSum(2, saved.componentIndices(), new long[][] {saved.sumLongs(0)}, saved.contributors());
        assertEquals(saved, copy);
        assertEquals(saved.contributorDigest(), copy.contributorDigest());
        assertThrows(IllegalStateException.class, () -> saved.sum(0));
        ShareAccumulator resumed = ShareAccumulator.resumeForContributors(scheme, copy, Set.of("light-1", "light-2"));
        VectorShare[] second = scheme.share(new long[] {1, -2});
        resumed.add("light-2", second[2]);
        List<PartialSum> all = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            ShareAccumulator other = ShareAccumulator.open(scheme, p, 2);
            other.add("light-1", first[p]);
            other.add("light-2", second[p]);
            all.add(other.partialSum());
        }
        all.add(resumed.partialSum());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1}, scheme.revealLongs(all));
        PartialSum p32 = new PartialSum(0, new int[] {0}, new int[][] {{1}}, List.of("a"));
        PartialSum p64 = new PartialSum(0, new int[] {0}, new long[][] {{1}}, List.of("a"));
        assertNotEquals(p32, p64);
        assertEquals(32, p32.ringBits());
        assertEquals(64, p64.ringBits());
    }
}
