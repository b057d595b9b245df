package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FixedPointTest {

    @ParameterizedTest
    @CsvSource({"0, 1000.0", "8, 100.0", "16, 1.0", "20, 8.0", "24, 8.0", "30, 1.0"})
    void roundTripsWithinHalfTheResolution(int f, double bound) {
        FixedPoint fp = FixedPoint.forSum(f, bound, 1);
        Random r = new Random(f);
        for (int i = 0; i < 10_000; i++) {
            double x = (r.nextDouble() * 2 - 1) * bound;
            assertTrue(Math.abs(fp.decode(fp.encode(x)) - x) <= fp.resolution() / 2, () -> "x=" + x);
        }
        assertEquals(bound, fp.decode(fp.encode(bound)));
        assertEquals(-bound, fp.decode(fp.encode(-bound)));
    }

    @Test
    void encodesInTwosComplement() {
        FixedPoint fp = FixedPoint.forSum(16, 1.0, 1);
        assertEquals(65536, fp.encode(1.0));
        assertEquals(-32768, fp.encode(-0.5));
        assertEquals("4294934528", Integer.toUnsignedString(fp.encode(-0.5)));
        assertEquals(1, fp.encode(1.0 / 65536 * 0.5)); // half up
        assertEquals(0, fp.encode(-1.0 / 65536 * 0.5)); // half up, towards +inf
        assertArrayEquals(new double[] {0.25, -0.75}, fp.decode(fp.encode(new double[] {0.25, -0.75})));
    }

    @Test
    void refusesTheFirstContributorCountThatCouldWrap() {
        // M = 2^16; 32767 · 2^16 = 2147418112 <= 2^31-1 < 32768 · 2^16
        assertEquals(32767, FixedPoint.maxContributors(16, 1.0));
        FixedPoint ok = FixedPoint.forSum(16, 1.0, 32767);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(16, 1.0, 32768));
        for (String number : new String[] {"32768", "65536", "2147483648", "2147483647", "At most 32767"}) {
            assertTrue(e.getMessage().contains(number), e.getMessage());
        }
        // at the boundary the extreme sums are exact, in both directions
        int plus = 0;
        int minus = 0;
        for (int i = 0; i < 32767; i++) {
            plus += ok.encode(1.0);
            minus += ok.encode(-1.0);
        }
        assertEquals(32767.0, ok.decode(plus));
        assertEquals(-32767.0, ok.decode(minus));
        assertEquals(1.0, ok.decodeMean(plus, 32767));
    }

    @Test
    void acceptsAProductOfExactly2To31Minus1() {
        assertEquals(Integer.MAX_VALUE, FixedPoint.maxContributors(0, 1.0));
        FixedPoint.forSum(0, 1.0, Integer.MAX_VALUE);
        FixedPoint one = FixedPoint.forSum(0, 2147483647.0, 1);
        assertEquals(Integer.MAX_VALUE, one.encode(2147483647.0));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(0, 2147483647.0, 2));
        // round(2147483647.5) = 2^31 does not fit even once
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(0, 2147483647.5, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(30, 2.0, 1));
        FixedPoint.forSum(30, 1.0, 1);
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(30, 1.0, 2));
    }

    @Test
    void theWorkedExampleOfTheDocs() {
        // docs/mpc.md: |w| <= 8 with 24 fractional bits fits 15 contributors, not 16
        assertEquals(15, FixedPoint.maxContributors(24, 8.0));
        FixedPoint.forSum(24, 8.0, 15);
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(24, 8.0, 16));
        assertEquals(255, FixedPoint.maxContributors(20, 8.0));
    }

    @Test
    void refusesValuesBeyondTheBoundAndBadConfigurations() {
        FixedPoint fp = FixedPoint.forSum(8, 2.0, 10);
        for (double bad : new double[] {
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Math.nextUp(2.0), -Math.nextUp(2.0)
        }) {
            assertThrows(IllegalArgumentException.class, () -> fp.encode(bad), "" + bad);
        }
        assertThrows(IllegalArgumentException.class, () -> fp.encode(new double[] {1.0, 3.0}));
        assertThrows(IllegalArgumentException.class, () -> fp.decodeMean(0, 0));
        assertThrows(IllegalArgumentException.class, () -> fp.decodeMean(0, 11));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(-1, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(31, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(8, 0.0, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(8, -1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(8, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(8, Double.POSITIVE_INFINITY, 1));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(8, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> FixedPoint.forSum(0, 0.25, 1)); // below resolution
    }

    @Test
    void securelyAveragedModelUpdatesMatchThePlaintextMean() {
        int clients = 12;
        int length = 1000;
        FixedPoint fp = FixedPoint.forSum(20, 8.0, clients);
        SharingScheme scheme = SharingSchemes.replicated2of3();
        List<ShareAccumulator> acc = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            acc.add(ShareAccumulator.open(scheme, p, length));
        }
        Random r = new Random(12);
        double[] plainSum = new double[length];
        for (int c = 0; c < clients; c++) {
            double[] update = new double[length];
            for (int j = 0; j < length; j++) {
                update[j] = (r.nextDouble() * 2 - 1) * 8.0;
                plainSum[j] += update[j];
            }
            VectorShare[] shares = scheme.shareCompressed(fp.encode(update));
            for (int p = 0; p < 3; p++) {
                acc.get(p).add("client-" + c, shares[p]);
            }
        }
        int[] sum = scheme.reveal(List.of(acc.get(0).partialSum(), acc.get(2).partialSum()));
        for (int j = 0; j < length; j++) {
            double mean = fp.decodeMean(sum[j], clients);
            assertEquals(plainSum[j] / clients, mean, fp.resolution() / 2, "element " + j);
        }
    }

    @org.junit.jupiter.api.Test
    void vectorMeanRefusesMoreContributorsThanTheFormatWasCheckedFor() {
        FixedPoint fp = FixedPoint.forSum(16, 1.0, 4);
        int[] sum = new int[2];
        for (double[] x : new double[][] {{0.5, -1.0}, {0.25, 1.0}, {-0.75, 0.5}, {1.0, 0.5}}) {
            int[] e = fp.encode(x);
            sum[0] += e[0];
            sum[1] += e[1];
        }
        assertArrayEquals(new double[] {0.25, 0.25}, fp.decodeMean(sum, 4), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fp.decodeMean(sum, 5));
        assertTrue(e.getMessage().contains("wrapped"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fp.decodeMean(sum, 0));
    }
}
