package io.formix.mpc;

import java.security.SecureRandom;

/**
 * Additive n-out-of-n sharing of scalars: a façade over {@link SharingSchemes#additive(int, SecureRandom)},
 * kept only until its last callers move to {@link SharingScheme}.
 *
 * <p>{@code share(secret, n)} is {@code SharingSchemes.additive(n, random).share(secret)} with each party's
 * one value taken out of its array; {@code reconstruct} adds mod 2^32. Thread-safe: {@link SecureRandom} is.
 *
 * @deprecated use {@link SharingSchemes#additive(int)}: {@link SharingScheme#share(int)} to share,
 *     {@link SharingScheme#reconstruct(java.util.Map)} or {@link SharingScheme#reveal} to reconstruct.
 */
@Deprecated
public final class AdditiveSharing {

    private final SecureRandom random;

    /** Uses a new {@link SecureRandom}. */
    public AdditiveSharing() {
        this(new SecureRandom());
    }

    /** Uses {@code random}; pass a seeded instance only in tests. */
    public AdditiveSharing(SecureRandom random) {
        this.random = random;
    }

    /**
     * Splits {@code secret} into {@code parties} shares that sum to it mod 2^32.
     *
     * @throws IllegalArgumentException if {@code parties} is not in 2..64
     */
    public int[] share(int secret, int parties) {
        int[][] messages = SharingSchemes.additive(parties, random).share(secret);
        int[] shares = new int[parties];
        for (int p = 0; p < parties; p++) {
            shares[p] = messages[p][0];
        }
        return shares;
    }

    /** Adds shares (or partial sums) mod 2^32. */
    public static int reconstruct(int... parts) {
        int sum = 0;
        for (int p : parts) {
            sum += p;
        }
        return sum;
    }
}
