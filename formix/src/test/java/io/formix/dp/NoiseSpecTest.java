package io.formix.dp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.query.Aggregate;
import io.formix.query.QueryParser;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sensitivity from the declared bounds, the scales of the noise, and three heavy nodes each adding it. */
@Timeout(60)
class NoiseSpecTest {

    static Aggregate agg(String json) {
        return QueryParser.parse("{\"dataset\":\"d\",\"aggregate\":" + json + "}")
                .aggregate();
    }

    static Aggregate vector(String json) {
        return QueryParser.parse("{\"dataset\":\"model\",\"aggregate\":" + json + "}")
                .aggregate();
    }

    @Test
    void sensitivityComesFromTheDeclaredBounds() {
        assertEquals(BigInteger.ONE, Sensitivity.of(agg("{\"type\":\"count\"}")));
        assertEquals(
                BigInteger.valueOf(10_000),
                Sensitivity.of(
                        agg("{\"type\":\"sum\",\"column\":\"fee\",\"min\":-5," + "\"max\":100,\"decimals\":2}")));
        assertEquals(
                BigInteger.valueOf(2_500),
                Sensitivity.of(agg("{\"type\":\"sum\",\"column\":\"fee\",\"min\":-25," + "\"max\":10,\"decimals\":2}")),
                "the larger magnitude, negative here");
        assertEquals(
                BigInteger.ONE,
                Sensitivity.of(agg("{\"type\":\"histogram\",\"column\":\"age\",\"edges\":[0,18,65]}")),
                "add or remove one row: one cell by 1");
        assertEquals(
                BigInteger.valueOf(4L * 65536),
                Sensitivity.of(vector("{\"type\":\"vector\",\"length\":4,\"clip\":1," + "\"fractionalBits\":16}")),
                "L1 over the whole vector");
        assertEquals(BigInteger.ONE, Sensitivity.of(agg("{\"type\":\"choice\",\"categories\":[\"a\",\"b\"]}")));
        assertEquals("participant", Sensitivity.unit(agg("{\"type\":\"choice\",\"categories\":[\"a\",\"b\"]}")));
        assertEquals("row", Sensitivity.unit(agg("{\"type\":\"count\"}")));
    }

    @Test
    void scalesAreSensitivityOverEpsilonExactly() {
        NoiseSpec count = NoiseSpec.of(agg("{\"type\":\"count\"}"), BigDecimal.ONE);
        assertEquals(
                Map.of(
                        "mechanism",
                        "discrete-laplace",
                        "epsilon",
                        BigDecimal.ONE,
                        "unit",
                        "row",
                        "scale",
                        BigDecimal.ONE,
                        "scaleExact",
                        "1"),
                count.toJson());
        NoiseSpec third = NoiseSpec.of(agg("{\"type\":\"count\"}"), new BigDecimal("3"));
        assertEquals("1/3", third.scaleOf(0).toString());
        assertEquals(new BigDecimal("0.333333333333"), third.scaleOf(0).decimal());
        NoiseSpec sum = NoiseSpec.of(
                agg("{\"type\":\"sum\",\"column\":\"fee\",\"min\":0,\"max\":100,\"decimals\":2}"),
                new BigDecimal("0.50"));
        assertEquals("20000", sum.scaleOf(0).toString());
        NoiseSpec mean = NoiseSpec.of(
                agg("{\"type\":\"mean\",\"column\":\"fee\",\"min\":0,\"max\":100,\"decimals\":2}"), BigDecimal.ONE);
        assertEquals("20000", mean.scaleOf(0).toString(), "the sum gets ε/2");
        assertEquals("2", mean.scaleOf(1).toString(), "the count gets ε/2");
        assertEquals(
                List.of(new BigDecimal(20000), new BigDecimal(2)), mean.toJson().get("scale"));
        assertThrows(IllegalArgumentException.class, () -> NoiseSpec.of(agg("{\"type\":\"count\"}"), BigDecimal.ZERO));
        assertThrows(
                IllegalArgumentException.class, () -> NoiseSpec.of(agg("{\"type\":\"count\"}"), new BigDecimal("101")));
    }

    @Test
    void noiseIsAddedModTwoToTheSixtyFour() {
        NoiseSpec spec = NoiseSpec.of(agg("{\"type\":\"count\"}"), BigDecimal.ONE);
        SecureRandom rng = DiscreteLaplaceTest.seeded(11);
        boolean moved = false;
        for (int i = 0; i < 200; i++) {
            long[] out = spec.addNoise(new long[] {Long.MAX_VALUE, Long.MIN_VALUE}, rng);
            long d0 = out[0] - Long.MAX_VALUE;
            long d1 = out[1] - Long.MIN_VALUE;
            assertTrue(Math.abs(d0) < 100 && Math.abs(d1) < 100, "wraps, and the difference is the noise");
            moved |= d0 != 0;
        }
        assertTrue(moved);
    }

    /**
     * The scenario of the docs: a count of 6 over shares mod 2^64; each of three heavy nodes adds
     * noise of scale 1/ε to its partial sum. The total is off by the sum of three draws: mean 0,
     * variance three times one draw's, and never beyond 75 at ε = 1.
     */
    @Test
    void threeHeavyNodesEachAddingNoiseTripleTheVarianceAndKeepTheMean() {
        NoiseSpec spec = NoiseSpec.of(agg("{\"type\":\"count\"}"), BigDecimal.ONE);
        SecureRandom shares = DiscreteLaplaceTest.seeded(12);
        SecureRandom noise = DiscreteLaplaceTest.seeded(13);
        int runs = 20_000;
        double sum = 0;
        double sumSq = 0;
        long worst = 0;
        for (int r = 0; r < runs; r++) {
            long s1 = shares.nextLong();
            long s2 = shares.nextLong();
            long s3 = 6 - s1 - s2;
            long total = spec.addNoise(new long[] {s1}, noise)[0]
                    + spec.addNoise(new long[] {s2}, noise)[0]
                    + spec.addNoise(new long[] {s3}, noise)[0];
            long err = total - 6;
            sum += err;
            sumSq += (double) err * err;
            worst = Math.max(worst, Math.abs(err));
        }
        double var1 = spec.variance(0);
        double mean = sum / runs;
        double var = sumSq / runs - mean * mean;
        DiscreteLaplaceTest.within(0, mean, 5 * Math.sqrt(3 * var1 / runs), "mean error");
        DiscreteLaplaceTest.within(3 * var1, var, 5 * 3 * var1 * Math.sqrt(5.0 / runs), "variance of three draws");
        assertTrue(worst <= 75, "worst error " + worst);
    }
}
