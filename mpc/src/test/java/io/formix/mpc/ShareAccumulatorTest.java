package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.MpcException.DuplicateContributionException;
import io.formix.mpc.MpcException.InconsistentSharesException;
import io.formix.mpc.MpcException.NotAQuorumException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Streaming aggregation against a plaintext oracle, and the contributor-set discipline. */
class ShareAccumulatorTest {

    static java.util.stream.Stream<SharingScheme> schemes() {
        return Schemes.all();
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void sumOfManyContributorsRevealsThePlaintextSumFromEveryQuorum(SharingScheme scheme) {
        Random r = new Random(scheme.parties() * 7919L + scheme.componentCount());
        int length = 1 + r.nextInt(5000);
        int contributors = 1 + r.nextInt(20);
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < contributors; i++) {
            ids.add(String.format("light-%04d", i));
        }
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < scheme.parties(); p++) {
            acc.add(ShareAccumulator.forContributors(scheme, p, length, ids));
        }
        long[] oracle = new long[length];
        for (String id : ids) {
            int[] secret = r.ints(length).toArray();
            for (int j = 0; j < length; j++) {
                oracle[j] = Schemes.oracleSum(oracle[j], secret[j]);
            }
            VectorShare[] shares = r.nextBoolean() ? scheme.shareCompressed(secret) : scheme.share(secret);
            for (int p = 0; p < scheme.parties(); p++) {
                acc.get(p).add(id, shares[p]);
            }
        }
        int[] expected = new int[length];
        for (int j = 0; j < length; j++) {
            expected[j] = (int) oracle[j];
        }
        List<PartialSum> sums = new ArrayList<>();
        for (ShareAccumulator a : acc) {
            assertTrue(a.isComplete());
            sums.add(a.partialSum());
        }
        for (Set<Integer> subset : Schemes.subsets(scheme.parties())) {
            List<PartialSum> present = new ArrayList<>();
            subset.forEach(p -> present.add(sums.get(p)));
            if (Schemes.expectedQuorum(scheme, subset)) {
                assertArrayEquals(expected, scheme.reveal(present), scheme + " " + subset);
            } else {
                assertThrows(NotAQuorumException.class, () -> scheme.reveal(present));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void scalarAggregationMatchesTheOracle(SharingScheme scheme) {
        Random r = new Random(5);
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < scheme.parties(); p++) {
            acc.add(ShareAccumulator.open(scheme, p, 1));
        }
        long total = 0;
        for (int i = 0; i < 50; i++) {
            int answer = i % 3 == 0 ? -1 - r.nextInt(5) : r.nextInt(101);
            total = Schemes.oracleSum(total, answer);
            int[][] shares = scheme.share(answer);
            for (int p = 0; p < scheme.parties(); p++) {
                acc.get(p).addScalar("light-" + i, shares[p]);
            }
        }
        List<PartialSum> sums = acc.stream().map(ShareAccumulator::partialSum).toList();
        assertEquals((int) total, scheme.reveal(sums)[0]);
    }

    @Test
    void duplicateContributionIsRejectedAndChangesNothing() {
        SharingScheme scheme = SharingSchemes.additive(2);
        ShareAccumulator acc = ShareAccumulator.open(scheme, 0, 3);
        VectorShare[] first = scheme.share(new int[] {1, 2, 3});
        acc.add("light-0001", first[0]);
        PartialSum before = acc.partialSum();
        VectorShare[] again = scheme.share(new int[] {4, 5, 6});
        assertThrows(DuplicateContributionException.class, () -> acc.add("light-0001", again[0]));
        assertThrows(DuplicateContributionException.class, () -> acc.add("light-0001", new int[][] {{1, 1, 1}}));
        assertEquals(before, acc.partialSum());
        assertEquals(1, acc.size());
    }

    @Test
    void explicitSetRefusesOutsidersAndRevealsNothingUntilComplete() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        ShareAccumulator acc = ShareAccumulator.forContributors(scheme, 1, 2, Set.of("a", "b", "c"));
        VectorShare[] s = scheme.shareCompressed(new int[] {7, 8});
        assertThrows(IllegalArgumentException.class, () -> acc.add("d", s[1]));
        acc.add("a", s[1]);
        assertEquals(new TreeSet<>(Set.of("b", "c")), acc.missing());
        IllegalStateException e = assertThrows(IllegalStateException.class, acc::partialSum);
        assertTrue(e.getMessage().contains("2 of 3"), e.getMessage());
    }

    @Test
    void malformedAddsChangeNothing() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        ShareAccumulator acc = ShareAccumulator.open(scheme, 0, 2);
        VectorShare[] s = scheme.share(new int[] {1, 2});
        acc.add("ok", s[0]);
        PartialSum before = acc.partialSum();
        assertThrows(IllegalArgumentException.class, () -> acc.add("x", s[1])); // other party
        assertThrows(IllegalArgumentException.class, () -> acc.add("x", scheme.share(new int[3])[0]));
        assertThrows(IllegalArgumentException.class, () -> acc.add("x", new int[][] {{1, 2}}));
        assertThrows(IllegalArgumentException.class, () -> acc.add("x", new int[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> acc.addScalar("x", 1, 2)); // length 2, not a scalar
        assertThrows(IllegalArgumentException.class, () -> acc.add("", s[0]));
        assertThrows(IllegalArgumentException.class, () -> acc.add("bad\nid", s[0]));
        assertThrows(IllegalArgumentException.class, () -> acc.add("x".repeat(257), s[0]));
        assertEquals(before, acc.partialSum());
        assertThrows(IllegalArgumentException.class, () -> ShareAccumulator.open(scheme, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> ShareAccumulator.open(scheme, 0, -1));
    }

    @Test
    void partialSumsOverDifferentSetsAreNotRevealed() {
        SharingScheme scheme = SharingSchemes.additive(3);
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            acc.add(ShareAccumulator.open(scheme, p, 1));
        }
        for (String id : List.of("light-0001", "light-0002")) {
            int[][] shares = scheme.share(10);
            for (int p = 0; p < 3; p++) {
                if (!(p == 2 && id.equals("light-0002"))) {
                    acc.get(p).addScalar(id, shares[p]);
                }
            }
        }
        List<PartialSum> sums = acc.stream().map(ShareAccumulator::partialSum).toList();
        InconsistentSharesException e = assertThrows(InconsistentSharesException.class, () -> scheme.reveal(sums));
        assertTrue(e.getMessage().contains("different contributor sets"), e.getMessage());
    }

    @Test
    void contributorDigestNamesTheSetWhateverTheOrder() {
        PartialSum a = new PartialSum(0, new int[] {0}, new int[][] {{0}}, List.of("light-0002", "light-0001", "hé"));
        PartialSum b = new PartialSum(1, new int[] {1}, new int[][] {{5}}, List.of("hé", "light-0001", "light-0002"));
        // computed independently with Python hashlib over the documented encoding
        assertEquals("0a6e662a2f11d9f99fccc7dd92fc643b7a4993295b146f8bd9ab2c0c6b70d756", a.contributorDigest());
        assertEquals(a.contributorDigest(), b.contributorDigest());
        PartialSum c = new PartialSum(0, new int[] {0}, new int[][] {{0}}, List.of("light-0001", "light-0002"));
        assertNotEquals(a.contributorDigest(), c.contributorDigest());
        assertEquals(
                "3afbe5b3baedf746ee7759fa6c073b7c675add63744bdca8c15dae6e45cfd331",
                new PartialSum(0, new int[] {0}, new int[][] {{0}}, List.of()).contributorDigest());
        assertThrows(
                IllegalArgumentException.class,
                () -> new PartialSum(0, new int[] {0}, new int[][] {{0}}, List.of("a", "a")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new PartialSum(0, new int[] {0, 1}, new int[][] {{0}}, List.of("a")));
    }

    @Test
    void partialSumRebuiltFromItsPartsEqualsTheOriginal() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        ShareAccumulator acc = ShareAccumulator.open(scheme, 2, 3);
        acc.add("x", scheme.share(new int[] {1, 2, 3})[2]);
        PartialSum s = acc.partialSum();
        PartialSum rebuilt =
                new PartialSum(s.party(), s.componentIndices(), new int[][] {s.sum(0), s.sum(1)}, s.contributors());
        assertEquals(s, rebuilt);
        assertEquals(s.contributorDigest(), rebuilt.contributorDigest());
    }

    @Test
    void resumingFromASavedPartialSumCarriesOnAsIfNeverStopped() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        Set<String> ids = Set.of("a", "b", "c");
        VectorShare[] a = scheme.share(new int[] {1, 2, 3, 4});
        VectorShare[] b = scheme.shareCompressed(new int[] {5, 6, 7, 8});
        VectorShare[] c = scheme.share(new int[] {-1, -2, -3, -4});
        ShareAccumulator straight = ShareAccumulator.forContributors(scheme, 1, 4, ids);
        straight.add("a", a[1]);
        straight.add("b", b[1]);
        straight.add("c", c[1]);

        ShareAccumulator beforeRestart = ShareAccumulator.open(scheme, 1, 4);
        beforeRestart.add("a", a[1]);
        beforeRestart.add("b", b[1]);
        PartialSum saved = beforeRestart.partialSum();
        ShareAccumulator after = ShareAccumulator.resumeForContributors(scheme, saved, ids);
        assertEquals(new TreeSet<>(Set.of("c")), after.missing());
        assertThrows(DuplicateContributionException.class, () -> after.add("a", a[1]));
        after.add("c", c[1]);
        assertEquals(straight.partialSum(), after.partialSum());
        assertEquals(saved, ShareAccumulator.resumeOpen(scheme, saved).partialSum());
        assertThrows(
                IllegalArgumentException.class,
                () -> ShareAccumulator.resumeForContributors(scheme, saved, Set.of("a")));
        assertThrows(
                IllegalArgumentException.class, () -> ShareAccumulator.resumeOpen(SharingSchemes.additive(3), saved));
    }
}
