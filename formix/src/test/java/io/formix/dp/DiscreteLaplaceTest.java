package io.formix.dp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Statistics of the exact discrete Laplace sampler against its closed forms, with a seeded
 * generator so every run draws the same samples: mean, variance, P(0), both tails and symmetry,
 * each within 5 standard errors.
 */
@Timeout(120)
class DiscreteLaplaceTest {

    static final int N = 100_000;

    /** A SecureRandom whose output depends only on {@code seed} (SHA1PRNG seeded before first use). */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static double q(double scale) {
        return Math.exp(-1 / scale);
    }

    static double variance(double scale) {
        double q = q(scale);
        return 2 * q / ((1 - q) * (1 - q));
    }

    /** P(|X| ≥ k) for k ≥ 1. */
    static double tail(double scale, int k) {
        double q = q(scale);
        return 2 * Math.pow(q, k) / (1 + q);
    }

    static void within(double expected, double actual, double tolerance, String what) {
        assertTrue(
                Math.abs(expected - actual) <= tolerance,
                what + ": expected " + expected + " ± " + tolerance + ", got " + actual);
    }

    static void checkStatistics(long num, long den, long seed) {
        DiscreteLaplace d = new DiscreteLaplace(BigInteger.valueOf(num), BigInteger.valueOf(den));
        double b = (double) num / den;
        Random rng = seeded(seed);
        double var = variance(b);
        int k = Math.max(1, (int) Math.round(3 * b));
        double sum = 0;
        double sumSq = 0;
        long zeros = 0;
        long upper = 0;
        long lower = 0;
        long positive = 0;
        long negative = 0;
        for (int i = 0; i < N; i++) {
            long x = d.sampleLong(rng);
            sum += x;
            sumSq += (double) x * x;
            zeros += x == 0 ? 1 : 0;
            upper += x >= k ? 1 : 0;
            lower += x <= -k ? 1 : 0;
            positive += x > 0 ? 1 : 0;
            negative += x < 0 ? 1 : 0;
        }
        double mean = sum / N;
        double sampleVar = sumSq / N - mean * mean;
        String at = "scale " + num + "/" + den;
        within(0, mean, 5 * Math.sqrt(var / N), at + " mean");
        // the fourth moment of a Laplace is 6σ⁴, so the variance estimate has a standard error of σ²·√(5/N)
        within(var, sampleVar, 5 * var * Math.sqrt(5.0 / N), at + " variance");
        double p0 = (1 - q(b)) / (1 + q(b));
        within(p0, (double) zeros / N, 5 * Math.sqrt(p0 * (1 - p0) / N), at + " P(0)");
        double pk = tail(b, k) / 2;
        within(pk, (double) upper / N, 5 * Math.sqrt(pk * (1 - pk) / N), at + " P(X ≥ " + k + ")");
        within(pk, (double) lower / N, 5 * Math.sqrt(pk * (1 - pk) / N), at + " P(X ≤ −" + k + ")");
        double half = (1 - p0) / 2;
        within(half, (double) positive / N, 5 * Math.sqrt(half * (1 - half) / N), at + " P(X > 0)");
        within(half, (double) negative / N, 5 * Math.sqrt(half * (1 - half) / N), at + " P(X < 0)");
    }

    @Test
    void scaleOne() {
        checkStatistics(1, 1, 1);
    }

    @Test
    void scaleTen() {
        checkStatistics(10, 1, 2);
    }

    @Test
    void fractionalScales() {
        checkStatistics(5, 2, 3);
        checkStatistics(1, 3, 4);
    }

    @Test
    void largeScaleKeepsItsVariance() {
        checkStatistics(20_000, 1, 5); // a sum in cents clamped to [0, 100] at ε = 0.5
    }

    @Test
    void bernoulliOfExpMinusGammaIsExact() {
        Random rng = seeded(6);
        for (long[] g : new long[][] {{0, 1}, {1, 2}, {1, 1}, {23, 10}, {7, 3}}) {
            double p = Math.exp(-(double) g[0] / g[1]);
            long hits = 0;
            for (int i = 0; i < N; i++) {
                hits += DiscreteLaplace.bernoulliExpNeg(BigInteger.valueOf(g[0]), BigInteger.valueOf(g[1]), rng)
                        ? 1
                        : 0;
            }
            within(
                    p,
                    (double) hits / N,
                    5 * Math.sqrt(p * (1 - p) / N) + 1e-12,
                    "Bernoulli(e^-" + g[0] + "/" + g[1] + ")");
        }
    }

    @Test
    void uniformCoversItsRangeAndNothingElse() {
        Random rng = seeded(7);
        long[] counts = new long[7];
        for (int i = 0; i < 70_000; i++) {
            counts[DiscreteLaplace.uniform(BigInteger.valueOf(7), rng).intValueExact()]++;
        }
        for (long c : counts) {
            within(10_000, c, 5 * Math.sqrt(70_000 * (1.0 / 7) * (6.0 / 7)), "uniform cell");
        }
        assertEquals(BigInteger.ZERO, DiscreteLaplace.uniform(BigInteger.ONE, rng));
    }

    @Test
    void aFixedSeedGivesTheSameSamplesAndDifferentSeedsDoNot() {
        DiscreteLaplace d = new DiscreteLaplace(BigInteger.valueOf(3), BigInteger.ONE);
        long[] a = new long[50];
        long[] b = new long[50];
        long[] c = new long[50];
        Random ra = seeded(42);
        Random rb = seeded(42);
        Random rc = seeded(43);
        for (int i = 0; i < 50; i++) {
            a[i] = d.sampleLong(ra);
            b[i] = d.sampleLong(rb);
            c[i] = d.sampleLong(rc);
        }
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void theScaleIsReducedAndMustBePositive() {
        assertEquals(
                "5/2",
                new DiscreteLaplace(BigInteger.TEN, BigInteger.valueOf(4))
                        .scale()
                        .toString());
        assertThrows(IllegalArgumentException.class, () -> new DiscreteLaplace(BigInteger.ZERO, BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> new DiscreteLaplace(BigInteger.ONE, BigInteger.ZERO));
    }
}
