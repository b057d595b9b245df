package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.MpcException.InconsistentSharesException;
import io.formix.mpc.MpcException.NotAQuorumException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every scheme, every party subset, against a plaintext oracle. */
class SharingSchemeOracleTest {

    static java.util.stream.Stream<SharingScheme> schemes() {
        return Schemes.all();
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void isQuorumMatchesThePlaintextRule(SharingScheme scheme) {
        for (Set<Integer> s : Schemes.subsets(scheme.parties())) {
            assertEquals(Schemes.expectedQuorum(scheme, s), scheme.isQuorum(s), scheme + " " + s);
        }
        assertThrows(IllegalArgumentException.class, () -> scheme.isQuorum(Set.of(scheme.parties())));
        assertThrows(IllegalArgumentException.class, () -> scheme.isQuorum(Set.of(-1)));
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void partiesHoldTheDocumentedComponents(SharingScheme scheme) {
        for (int p = 0; p < scheme.parties(); p++) {
            int[] expected = scheme.toString().startsWith("replicated") ? new int[] {p, (p + 1) % 3} : new int[] {p};
            assertArrayEquals(expected, scheme.componentsHeldBy(p));
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void scalarsReconstructFromEveryQuorumAndNothingElse(SharingScheme scheme) {
        Random r = new Random(scheme.parties() * 31L + scheme.componentCount());
        int[] secrets = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, r.nextInt(), r.nextInt(), r.nextInt()};
        for (int secret : secrets) {
            int[][] shares = scheme.share(secret);
            assertEquals(scheme.parties(), shares.length);
            for (Set<Integer> subset : Schemes.subsets(scheme.parties())) {
                Map<Integer, int[]> present = new HashMap<>();
                subset.forEach(p -> present.put(p, shares[p]));
                if (Schemes.expectedQuorum(scheme, subset)) {
                    assertEquals(secret, scheme.reconstruct(present), scheme + " " + subset);
                } else {
                    assertThrows(NotAQuorumException.class, () -> scheme.reconstruct(present), scheme + " " + subset);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void vectorsReconstructFromEveryQuorumWithAndWithoutCompression(SharingScheme scheme) {
        Random r = new Random(99);
        for (int length : new int[] {0, 1, 4095, 4096, 4097, 1 + r.nextInt(10_000)}) {
            int[] secret = r.ints(length).toArray();
            for (boolean compressed : new boolean[] {false, true}) {
                VectorShare[] shares = compressed ? scheme.shareCompressed(secret) : scheme.share(secret);
                assertEquals(scheme.parties(), shares.length);
                for (int p = 0; p < shares.length; p++) {
                    assertEquals(p, shares[p].party());
                    assertArrayEquals(scheme.componentsHeldBy(p), shares[p].componentIndices());
                    assertEquals(length, shares[p].length());
                }
                for (Set<Integer> subset : Schemes.subsets(scheme.parties())) {
                    List<VectorShare> present = new ArrayList<>();
                    subset.forEach(p -> present.add(shares[p]));
                    if (Schemes.expectedQuorum(scheme, subset)) {
                        assertArrayEquals(secret, scheme.reconstruct(present), scheme + " " + subset);
                    } else {
                        assertThrows(NotAQuorumException.class, () -> scheme.reconstruct(present));
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void compressionSendsOneFullComponentAndSeedsForTheRest(SharingScheme scheme) {
        VectorShare[] shares = scheme.shareCompressed(new int[1000]);
        Set<Integer> explicit = new TreeSet<>();
        Set<Integer> seeded = new TreeSet<>();
        for (VectorShare s : shares) {
            for (ShareComponent c : s.components()) {
                (c instanceof SeededComponent ? seeded : explicit).add(c.index());
            }
        }
        assertEquals(Set.of(scheme.componentCount() - 1), explicit);
        assertEquals(scheme.componentCount() - 1, seeded.size());
        for (ShareComponent c : scheme.share(new int[10])[0].components()) {
            assertInstanceOf(ExplicitComponent.class, c);
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void sharingTwiceGivesFreshRandomness(SharingScheme scheme) {
        int[] a = scheme.shareCompressed(new int[64])[0].components().get(0).toArray();
        int[] b = scheme.shareCompressed(new int[64])[0].components().get(0).toArray();
        assertFalse(java.util.Arrays.equals(a, b));
        // equal by chance with probability 2^-32
        assertFalse(scheme.share(7)[0][0] == scheme.share(7)[0][0]);
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void idsNameTheSchemeAndParseBack(SharingScheme scheme) {
        SharingScheme parsed = SharingSchemes.forId(scheme.id());
        assertEquals(scheme.id(), parsed.id());
        assertEquals(scheme.parties(), parsed.parties());
        for (int p = 0; p < scheme.parties(); p++) {
            assertArrayEquals(scheme.componentsHeldBy(p), parsed.componentsHeldBy(p));
        }
        assertEquals(
                scheme.toString().startsWith("replicated") ? "replicated-2of3" : "additive-" + scheme.parties(),
                scheme.id());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "",
                "additive-1",
                "additive-65",
                "additive-03",
                "additive-",
                "additive-3 ",
                "ADDITIVE-3",
                "replicated-2of4",
                "replicated"
            })
    void unknownIdsAreRefused(String id) {
        assertThrows(IllegalArgumentException.class, () -> SharingSchemes.forId(id));
    }

    @Test
    void replicatedDetectsAPartyThatDisagreesWithItsReplica() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        int[][] shares = scheme.share(42);
        Map<Integer, int[]> all = new HashMap<>(Map.of(0, shares[0], 1, shares[1], 2, shares[2]));
        assertEquals(42, scheme.reconstruct(all));
        all.put(1, new int[] {shares[1][0] + 1, shares[1][1]});
        InconsistentSharesException e = assertThrows(InconsistentSharesException.class, () -> scheme.reconstruct(all));
        assertTrue(e.getMessage().contains("component 1"), e.getMessage());
    }

    @Test
    void reconstructRefusesSharesThatDoNotFitTheScheme() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        VectorShare[] shares = scheme.share(new int[] {1, 2, 3});
        VectorShare misplaced = new VectorShare(0, 3, shares[1].components());
        assertThrows(IllegalArgumentException.class, () -> scheme.reconstruct(List.of(misplaced, shares[2])));
        assertThrows(IllegalArgumentException.class, () -> scheme.reconstruct(Map.of(0, new int[] {1})));
        assertThrows(
                IllegalArgumentException.class,
                () -> scheme.reconstruct(Map.of(0, new int[] {1, 2}, 7, new int[] {1, 2})));
        assertThrows(NotAQuorumException.class, () -> scheme.reconstruct(List.<VectorShare>of()));
        VectorShare shorter = scheme.share(new int[] {1, 2})[2];
        assertThrows(IllegalArgumentException.class, () -> scheme.reconstruct(List.of(shares[0], shorter)));
    }

    @Test
    void refusesBadPartyCounts() {
        assertThrows(IllegalArgumentException.class, () -> SharingSchemes.forId(null));
        assertThrows(IllegalArgumentException.class, () -> SharingSchemes.additive(1));
        assertThrows(IllegalArgumentException.class, () -> SharingSchemes.additive(65));
        assertThrows(
                IllegalArgumentException.class, () -> SharingSchemes.additive(3).componentsHeldBy(3));
    }

    @Test
    void toStringNeverShowsValues() {
        VectorShare s = SharingSchemes.additive(2).share(new int[] {123456789})[1];
        assertFalse(s.toString().contains("123456789"));
        assertTrue(s.toString().contains("length=1"));
    }
}
