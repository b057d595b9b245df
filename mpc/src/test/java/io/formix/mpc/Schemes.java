package io.formix.mpc;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Test fixtures: every scheme under test, and a plaintext notion of which party sets are quorums. */
final class Schemes {

    private Schemes() {}

    /** Deterministic SecureRandom (SHA1PRNG seeded before first use) so statistical tests cannot flake. */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<SharingScheme> all() {
        return Stream.of(
                SharingSchemes.additive(2),
                SharingSchemes.additive(3),
                SharingSchemes.additive(5),
                SharingSchemes.additive(8),
                SharingSchemes.replicated2of3());
    }

    /** The plaintext rule, written independently of the implementation's coverage check. */
    static boolean expectedQuorum(SharingScheme scheme, Set<Integer> parties) {
        return scheme.toString().startsWith("replicated") ? parties.size() >= 2 : parties.size() == scheme.parties();
    }

    /** Every subset of {@code 0..n-1}. */
    static List<Set<Integer>> subsets(int n) {
        List<Set<Integer>> all = new java.util.ArrayList<>();
        for (int mask = 0; mask < 1 << n; mask++) {
            Set<Integer> s = new HashSet<>();
            for (int p = 0; p < n; p++) {
                if ((mask & 1 << p) != 0) {
                    s.add(p);
                }
            }
            all.add(s);
        }
        return all;
    }

    /** Sum mod 2^32 computed in {@code long}, independent of int wrap-around. */
    static int oracleSum(long... values) {
        long s = 0;
        for (long v : values) {
            s = (s + (v & 0xFFFFFFFFL)) & 0xFFFFFFFFL;
        }
        return (int) s;
    }
}
