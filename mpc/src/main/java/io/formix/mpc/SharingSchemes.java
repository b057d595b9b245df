package io.formix.mpc;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Factories for the {@link SharingScheme}s Formix uses. */
public final class SharingSchemes {

    private static final String REPLICATED_2OF3 = "replicated-2of3";
    private static final Pattern ADDITIVE = Pattern.compile("additive-([1-9][0-9]?)");

    private SharingSchemes() {}

    /**
     * The scheme {@link SharingScheme#id()} names, with a new {@link SecureRandom}.
     *
     * @throws IllegalArgumentException if {@code id} names no scheme (or an additive party count out of range)
     */
    public static SharingScheme forId(String id) {
        if (REPLICATED_2OF3.equals(id)) {
            return replicated2of3();
        }
        Matcher m = id == null ? null : ADDITIVE.matcher(id);
        if (m != null && m.matches()) {
            return additive(Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("unknown sharing scheme \"" + id + "\": expected additive-<n> (2 <= n <= "
                + ComponentSharing.MAX_PARTIES + ") or " + REPLICATED_2OF3);
    }

    /**
     * Additive n-out-of-n sharing: the secret is split into {@code parties} components and party i
     * holds component i. Only all parties together reconstruct; any n−1 learn nothing.
     *
     * @throws IllegalArgumentException if {@code parties} is not in 2..64
     */
    public static SharingScheme additive(int parties) {
        return additive(parties, new SecureRandom());
    }

    /** As {@link #additive(int)}, drawing randomness from {@code random} (seeded only in tests). */
    public static SharingScheme additive(int parties, SecureRandom random) {
        if (parties < 2 || parties > ComponentSharing.MAX_PARTIES) {
            throw new IllegalArgumentException(
                    "additive sharing needs 2.." + ComponentSharing.MAX_PARTIES + " parties, got " + parties);
        }
        int[][] held = new int[parties][];
        for (int p = 0; p < parties; p++) {
            held[p] = new int[] {p};
        }
        return new ComponentSharing(
                "additive-" + parties, "additive " + parties + "-of-" + parties, parties, held, random);
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
        return new ComponentSharing(REPLICATED_2OF3, "replicated 2-of-3", 3, held, random);
    }
}
