package io.formix.mpc;

import java.security.SecureRandom;

/** Factories for the {@link SharingScheme}s Formix uses. */
public final class SharingSchemes {

    private SharingSchemes() {}

    /**
     * Additive n-out-of-n sharing: the secret is split into {@code parties} components and party i
     * holds component i. Only all parties together reconstruct; any n−1 learn nothing.
     *
     * @throws IllegalArgumentException if {@code parties} is not in 2..{@value ComponentSharing#MAX_PARTIES}
     */
    public static SharingScheme additive(int parties) {
        return additive(parties, new SecureRandom());
    }

    /** As {@link #additive(int)}, drawing randomness from {@code random} (seeded only in tests). */
    public static SharingScheme additive(int parties, SecureRandom random) {
        if (parties < 2 || parties > ComponentSharing.MAX_PARTIES) {
            throw new IllegalArgumentException("additive sharing needs 2.." + ComponentSharing.MAX_PARTIES
                    + " parties, got " + parties);
        }
        int[][] held = new int[parties][];
        for (int p = 0; p < parties; p++) {
            held[p] = new int[] {p};
        }
        return new ComponentSharing("additive " + parties + "-of-" + parties, parties, held, random);
    }

    /**
     * Replicated 2-out-of-3 sharing: the secret is split into three components and party i holds
     * components i and i+1 mod 3. Any two parties reconstruct; a single party learns nothing.
     */
    public static SharingScheme replicated2of3() {
        return replicated2of3(new SecureRandom());
    }

    /** As {@link #replicated2of3()}, drawing randomness from {@code random} (seeded only in tests). */
    public static SharingScheme replicated2of3(SecureRandom random) {
        int[][] held = {{0, 1}, {1, 2}, {2, 0}};
        return new ComponentSharing("replicated 2-of-3", 3, held, random);
    }
}
