package io.formix.dp;

import java.math.BigInteger;
import java.util.Random;

/**
 * The discrete Laplace distribution of scale {@code b = numerator/denominator} on the integers:
 * {@code P(x) = (1−q)/(1+q) · q^|x|} with {@code q = e^(−1/b)}; mean 0, variance {@code 2q/(1−q)²}.
 *
 * <p>Sampled exactly as Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
 * Privacy" (NeurIPS 2020, arXiv:2004.00010), Algorithm 2, with Bernoulli(e^−γ) by their
 * Algorithm 1: only uniform integers and comparisons of integers, never a floating-point number,
 * so no rounding can leak through the low bits of the noise (Mironov 2012). Every random bit comes
 * from the {@code Random} given to {@link #sample}, which in production is a
 * {@link java.security.SecureRandom}; tests pass a seeded one. The running time is random (it
 * depends on the noise drawn), as in the paper; it does not depend on the value being protected.
 *
 * <p>Immutable and thread-safe; the generator passed in must be safe for the caller's threads.
 */
public final class DiscreteLaplace {

    private final BigInteger t;
    private final BigInteger s;

    /** Scale {@code numerator/denominator}, both at least 1. */
    public DiscreteLaplace(BigInteger numerator, BigInteger denominator) {
        if (numerator.signum() <= 0 || denominator.signum() <= 0) {
            throw new IllegalArgumentException(
                    "a discrete Laplace scale is a positive fraction, not " + numerator + "/" + denominator);
        }
        BigInteger g = numerator.gcd(denominator);
        this.t = numerator.divide(g);
        this.s = denominator.divide(g);
    }

    public DiscreteLaplace(Scale scale) {
        this(scale.numerator(), scale.denominator());
    }

    /** The scale, reduced. */
    public Scale scale() {
        return new Scale(t, s);
    }

    /** One sample (CKS20 Algorithm 2 with scale t/s). */
    public BigInteger sample(Random rng) {
        while (true) {
            BigInteger u = uniform(t, rng);
            if (!bernoulliExpNeg(u, t, rng)) {
                continue;
            }
            BigInteger v = BigInteger.ZERO;
            while (bernoulliExpNeg(BigInteger.ONE, BigInteger.ONE, rng)) {
                v = v.add(BigInteger.ONE);
            }
            BigInteger x = u.add(t.multiply(v));
            BigInteger y = x.divide(s);
            boolean negative = uniform(BigInteger.TWO, rng).signum() == 1;
            if (negative && y.signum() == 0) {
                continue;
            }
            return negative ? y.negate() : y;
        }
    }

    /** One sample reduced mod 2^64 (two's complement), ready to add to a {@code long} cell. */
    public long sampleLong(Random rng) {
        return sample(rng).longValue();
    }

    /** A uniform integer in [0, n), n ≥ 1, by rejection over the fewest bits that hold n − 1. */
    static BigInteger uniform(BigInteger n, Random rng) {
        int bits = n.subtract(BigInteger.ONE).bitLength();
        BigInteger r;
        do {
            r = new BigInteger(bits, rng);
        } while (r.compareTo(n) >= 0);
        return r;
    }

    /** Bernoulli(n/d), 0 ≤ n ≤ d. */
    static boolean bernoulli(BigInteger n, BigInteger d, Random rng) {
        return uniform(d, rng).compareTo(n) < 0;
    }

    /** Bernoulli(e^(−n/d)) for n ≥ 0, d ≥ 1 (CKS20 Algorithm 1). */
    static boolean bernoulliExpNeg(BigInteger n, BigInteger d, Random rng) {
        if (n.compareTo(d) <= 0) {
            return bernoulliExpNegAtMostOne(n, d, rng);
        }
        BigInteger[] qr = n.divideAndRemainder(d);
        for (BigInteger k = BigInteger.ZERO; k.compareTo(qr[0]) < 0; k = k.add(BigInteger.ONE)) {
            if (!bernoulliExpNegAtMostOne(BigInteger.ONE, BigInteger.ONE, rng)) {
                return false;
            }
        }
        return bernoulliExpNegAtMostOne(qr[1], d, rng);
    }

    /** Bernoulli(e^(−γ)) for γ = n/d in [0, 1]: the parity of the first K with a failed Bernoulli(γ/K). */
    private static boolean bernoulliExpNegAtMostOne(BigInteger n, BigInteger d, Random rng) {
        BigInteger k = BigInteger.ONE;
        while (bernoulli(n, d.multiply(k), rng)) {
            k = k.add(BigInteger.ONE);
        }
        return k.testBit(0);
    }
}
