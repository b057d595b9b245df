package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Chi-square tests that a single share's bytes are uniform and do not depend on the secret. The
 * randomness is a seeded SHA1PRNG, so the outcome is fixed: a failure means a real bias, never bad luck.
 * Critical value: chi-square with 255 degrees of freedom at p = 0.001.
 */
class ShareUniformityTest {

    /** Upper 0.1 % point of chi-square(255) (Wilson–Hilferty: 330.5). */
    static final double CRITICAL_255_P001 = 330.52;

    private static final int SAMPLES = 40_000;
    private static final int[] SECRETS = {0, -1, Integer.MIN_VALUE, 0x12345678};

    @Test
    void lastAdditiveShareIsUniformAndIndependentOfTheSecret() {
        SharingScheme scheme = SharingSchemes.additive(3, Schemes.seeded(1));
        // the last party's share is secret − (the others): the one that could leak
        assertScalarShareUniform(secret -> scheme.share(secret)[2][0]);
    }

    @Test
    void aShortVectorSplitDirectlyIsUniformAndIndependentOfTheSecret() {
        SharingScheme scheme = SharingSchemes.additive(3, Schemes.seeded(3));
        assertScalarShareUniform(secret ->
                scheme.share(new int[] {secret})[2].components().get(0).toArray()[0]);
        assertScalarShareUniform(secret ->
                scheme.share(new int[] {7, secret})[1].components().get(0).toArray()[1]);
    }

    @Test
    void replicatedPartyViewIsUniformAndIndependentOfTheSecret() {
        SharingScheme scheme = SharingSchemes.replicated2of3(Schemes.seeded(2));
        // party 1 holds components 1 and 2; component 2 = secret − c0 − c1
        assertScalarShareUniform(secret -> scheme.share(secret)[1][1]);
        assertScalarShareUniform(secret -> scheme.share(secret)[2][0]);
    }

    @Test
    void fullSizeComponentOfACompressedVectorShareIsUniformAndIndependentOfTheSecret() {
        SharingScheme scheme = SharingSchemes.additive(3, Schemes.seeded(3));
        int length = 65_536;
        int[][] secrets = {new int[length], new int[length], new int[length]};
        Arrays.fill(secrets[1], 0xDEADBEEF);
        for (int j = 0; j < length; j++) {
            secrets[2][j] = j;
        }
        List<long[]> histograms = new ArrayList<>();
        for (int[] secret : secrets) {
            int[] explicit =
                    scheme.shareCompressed(secret)[2].components().get(0).toArray();
            long[] h = new long[256];
            for (int v : explicit) {
                for (int b = 0; b < 4; b++) {
                    h[(v >>> (8 * b)) & 0xff]++;
                }
            }
            assertBelowCritical(goodnessOfFit(h), "explicit component bytes");
            histograms.add(h);
        }
        assertBelowCritical(homogeneity(histograms.get(0), histograms.get(1)), "zeros vs 0xDEADBEEF");
        assertBelowCritical(homogeneity(histograms.get(0), histograms.get(2)), "zeros vs ramp");
    }

    @Test
    void theTestRejectsASecretDependentShare() {
        // power check: a "share" whose low byte is random but whose upper bytes are the secret must fail
        SecureRandom r = Schemes.seeded(4);
        long[] fixedSecret = histogram(secret -> secret & 0xFFFFFF00 | r.nextInt(256), 0x12345678, 1);
        assertTrue(goodnessOfFit(fixedSecret) > CRITICAL_255_P001);
        // and a share that is uniform but for one bit must fail homogeneity across secrets
        long[] a = histogram(secret -> r.nextInt() & ~1 | secret & 1, 0, 0);
        long[] b = histogram(secret -> r.nextInt() & ~1 | secret & 1, -1, 0);
        assertTrue(homogeneity(a, b) > CRITICAL_255_P001);
    }

    private static void assertScalarShareUniform(IntFunction<Integer> shareOf) {
        for (int byteIndex = 0; byteIndex < 4; byteIndex++) {
            long[] first = null;
            for (int secret : SECRETS) {
                long[] h = histogram(shareOf::apply, secret, byteIndex);
                assertBelowCritical(goodnessOfFit(h), "byte " + byteIndex + " for secret " + secret);
                if (first == null) {
                    first = h;
                } else {
                    assertBelowCritical(
                            homogeneity(first, h), "byte " + byteIndex + " secret " + SECRETS[0] + " vs " + secret);
                }
            }
        }
    }

    private static long[] histogram(java.util.function.IntUnaryOperator shareOf, int secret, int byteIndex) {
        long[] h = new long[256];
        for (int i = 0; i < SAMPLES; i++) {
            h[(shareOf.applyAsInt(secret) >>> (8 * byteIndex)) & 0xff]++;
        }
        return h;
    }

    /** Pearson's statistic against the uniform distribution on 256 values. */
    static double goodnessOfFit(long[] h) {
        double n = Arrays.stream(h).sum();
        double e = n / h.length;
        double chi = 0;
        for (long o : h) {
            chi += (o - e) * (o - e) / e;
        }
        return chi;
    }

    /** Pearson's statistic of the 2×256 contingency table: do both samples share one distribution? */
    static double homogeneity(long[] a, long[] b) {
        double na = Arrays.stream(a).sum();
        double nb = Arrays.stream(b).sum();
        double chi = 0;
        for (int i = 0; i < a.length; i++) {
            double col = a[i] + b[i];
            double ea = col * na / (na + nb);
            double eb = col * nb / (na + nb);
            chi += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
        }
        return chi;
    }

    private static void assertBelowCritical(double chi, String what) {
        assertTrue(chi < CRITICAL_255_P001, what + ": chi-square " + chi + " >= " + CRITICAL_255_P001);
    }
}
