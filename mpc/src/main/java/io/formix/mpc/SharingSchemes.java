package io.formix.mpc;

import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Factories for the {@link SharingScheme}s Formix uses: additive n-of-n and replicated 2-of-3, over
 * Z/2^32 ({@code int}s; ids {@code "additive-<n>"}, {@code "replicated-2of3"}) or over Z/2^64
 * ({@code long}s; the same ids followed by {@code "-z64"}).
 */
public final class SharingSchemes {

    private static final String REPLICATED_2OF3 = "replicated-2of3";
    /** Suffix of the id of a scheme over Z/2^64. */
    private static final String Z64 = "-z64";

    private static final Pattern ADDITIVE = Pattern.compile("additive-([1-9][0-9]?)");

    private SharingSchemes() {}

    /**
     * The scheme {@link SharingScheme#id()} names, with a new {@link SecureRandom}: {@code "additive-<n>"}
     * and {@code "replicated-2of3"} are over Z/2^32, {@code "additive-<n>-z64"} and
     * {@code "replicated-2of3-z64"} the same schemes over Z/2^64.
     *
     * @throws IllegalArgumentException if {@code id} names no scheme (or an additive party count out of range)
     */
    public static SharingScheme forId(String id) {
        return forId(id, new SecureRandom());
    }

    /**
     * As {@link #forId(String)}, drawing randomness from {@code random} (seeded only in tests).
     *
     * @throws IllegalArgumentException if {@code id} names no scheme (or an additive party count out of range)
     */
    public static SharingScheme forId(String id, SecureRandom random) {
        boolean z64 = id != null && id.endsWith(Z64);
        String base = z64 ? id.substring(0, id.length() - Z64.length()) : id;
        int ringBits = z64 ? 64 : 32;
        if (REPLICATED_2OF3.equals(base)) {
            return replicated2of3(random, ringBits);
        }
        Matcher m = base == null ? null : ADDITIVE.matcher(base);
        if (m != null && m.matches()) {
            return additive(Integer.parseInt(m.group(1)), random, ringBits);
        }
        throw new IllegalArgumentException("unknown sharing scheme \"" + id + "\": expected additive-<n> (2 <= n <= "
                + ComponentSharing.MAX_PARTIES + ") or " + REPLICATED_2OF3 + ", followed by " + Z64
                + " for the ring Z/2^64");
    }

    /**
     * Additive n-out-of-n sharing over Z/2^32: the secret is split into {@code parties} components and
     * party i holds component i. Only all parties together reconstruct; any n−1 learn nothing.
     *
     * @throws IllegalArgumentException if {@code parties} is not in 2..64
     */
    public static SharingScheme additive(int parties) {
        return additive(parties, new SecureRandom());
    }

    /** As {@link #additive(int)}, drawing randomness from {@code random} (seeded only in tests). */
    public static SharingScheme additive(int parties, SecureRandom random) {
        return additive(parties, random, 32);
    }

    private static SharingScheme additive(int parties, SecureRandom random, int ringBits) {
        if (parties < 2 || parties > ComponentSharing.MAX_PARTIES) {
            throw new IllegalArgumentException(
                    "additive sharing needs 2.." + ComponentSharing.MAX_PARTIES + " parties, got " + parties);
        }
        int[][] held = new int[parties][];
        for (int p = 0; p < parties; p++) {
            held[p] = new int[] {p};
        }
        return new ComponentSharing(
                "additive-" + parties + (ringBits == 64 ? Z64 : ""),
                "additive " + parties + "-of-" + parties,
                parties,
                held,
                random,
                ringBits);
    }

    /**
     * Replicated 2-out-of-3 sharing over Z/2^32: the secret is split into three components and party i
     * holds components i and i+1 mod 3. Any two parties reconstruct; a single party learns nothing.
     */
    public static SharingScheme replicated2of3() {
        return replicated2of3(new SecureRandom());
    }

    /** As {@link #replicated2of3()}, drawing randomness from {@code random} (seeded only in tests). */
    public static SharingScheme replicated2of3(SecureRandom random) {
        return replicated2of3(random, 32);
    }

    private static SharingScheme replicated2of3(SecureRandom random, int ringBits) {
        int[][] held = {{0, 1}, {1, 2}, {2, 0}};
        return new ComponentSharing(
                REPLICATED_2OF3 + (ringBits == 64 ? Z64 : ""), "replicated 2-of-3", 3, held, random, ringBits);
    }
}
