package io.formix.mpc;

import java.security.SecureRandom;

/**
 * Additive n-out-of-n secret sharing over Z/2^32 for scalars.
 *
 * <p>Java's {@code int} arithmetic wraps modulo 2^32, so a value here is an element of the ring;
 * print or serialise it unsigned ({@link Integer#toUnsignedString(int)}). {@code share} draws n−1
 * shares uniformly from a {@link SecureRandom} and sets the last so that all n add up to the secret
 * mod 2^32; any n−1 of them are uniform and independent of the secret.
 *
 * <p>Thread-safe: {@link SecureRandom} is. This is the original scalar API Formix nodes call; the
 * same scheme with vectors, seed compression, quorums and partial sums is
 * {@link SharingSchemes#additive(int)}.
 */
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
     * @throws IllegalArgumentException if {@code parties < 2}
     */
    public int[] share(int secret, int parties) {
        if (parties < 2) {
            throw new IllegalArgumentException("additive sharing needs at least 2 parties, got " + parties);
        }
        int[] shares = new int[parties];
        int sum = 0;
        for (int i = 0; i < parties - 1; i++) {
            shares[i] = random.nextInt();
            sum += shares[i];
        }
        shares[parties - 1] = secret - sum;
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
