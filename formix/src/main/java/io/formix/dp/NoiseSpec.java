package io.formix.dp;

import io.formix.query.Aggregate;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The noise a computation's result carries: the mechanism, the ε it gives, the unit it protects,
 * and the scale of the noise on each cell of the answer, in the cells' own integers (cents for a
 * sum with 2 decimals, 2^−f for a vector).
 *
 * @param mechanism {@code "discrete-laplace"}
 * @param epsilon   the ε of the whole answer
 * @param unit      {@code "row"} or {@code "participant"} ({@link Sensitivity#unit})
 * @param scales    one scale for every cell, or one per cell (a mean: the sum's, then the count's)
 */
public record NoiseSpec(String mechanism, BigDecimal epsilon, String unit, List<Scale> scales) {

    public static final String DISCRETE_LAPLACE = "discrete-laplace";
    /** The largest ε a proposal may ask for. */
    public static final BigDecimal MAX_EPSILON = new BigDecimal(100);

    public NoiseSpec {
        scales = List.copyOf(scales);
        if (scales.isEmpty()) {
            throw new IllegalArgumentException("a noise spec has at least one scale");
        }
    }

    /**
     * The noise for aggregate {@code a} at ε {@code epsilon}: the discrete Laplace mechanism with
     * scale {@code Δ/ε} on every cell, Δ the L1 {@link Sensitivity}; for a mean, ε is split evenly
     * between the sum ({@code 2Δ/ε}) and the count ({@code 2/ε}), so the pair is ε-DP by composition.
     */
    public static NoiseSpec of(Aggregate a, BigDecimal epsilon) {
        if (epsilon.signum() <= 0
                || epsilon.compareTo(MAX_EPSILON) > 0
                || epsilon.stripTrailingZeros().scale() > 18) {
            throw new IllegalArgumentException("--dp-epsilon must be above 0 and at most " + MAX_EPSILON
                    + " with at most 18 decimals, not " + epsilon.toPlainString());
        }
        String unit = Sensitivity.unit(a);
        if (a instanceof Aggregate.Mean) {
            BigDecimal half = epsilon.divide(BigDecimal.valueOf(2));
            return new NoiseSpec(
                    DISCRETE_LAPLACE,
                    epsilon,
                    unit,
                    List.of(Scale.of(Sensitivity.of(a), half), Scale.of(Sensitivity.ofCount(), half)));
        }
        return new NoiseSpec(DISCRETE_LAPLACE, epsilon, unit, List.of(Scale.of(Sensitivity.of(a), epsilon)));
    }

    /** The scale of the noise on cell {@code i}. */
    public Scale scaleOf(int i) {
        return scales.size() == 1 ? scales.get(0) : scales.get(i);
    }

    /** {@code {"mechanism":…,"epsilon":…,"unit":…,"scale":n or [n,…],"scaleExact":"t/s" or […]}} for the result JSON. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mechanism", mechanism);
        BigDecimal e = epsilon.stripTrailingZeros();
        m.put("epsilon", e.scale() < 0 ? e.setScale(0) : e);
        m.put("unit", unit);
        if (scales.size() == 1) {
            m.put("scale", scales.get(0).decimal());
            m.put("scaleExact", scales.get(0).toString());
        } else {
            m.put("scale", scales.stream().map(Scale::decimal).toList());
            m.put("scaleExact", scales.stream().map(Scale::toString).toList());
        }
        return m;
    }

    /**
     * A copy of {@code cells} with independent discrete Laplace noise added to each, mod 2^64 (what
     * one heavy node does to its partial sum before it leaves). {@code rng} is a
     * {@link java.security.SecureRandom} in production.
     */
    public long[] addNoise(long[] cells, java.util.Random rng) {
        long[] out = cells.clone();
        DiscreteLaplace shared = scales.size() == 1 ? new DiscreteLaplace(scales.get(0)) : null;
        for (int i = 0; i < out.length; i++) {
            DiscreteLaplace d = shared != null ? shared : new DiscreteLaplace(scales.get(i));
            out[i] += d.sampleLong(rng);
        }
        return out;
    }

    /**
     * The variance of the noise one heavy node adds to cell {@code i}, in floating point (for
     * reports and tests only): {@code 2q/(1−q)²}, q = e^(−1/b).
     */
    public double variance(int i) {
        double b = scaleOf(i).decimal().doubleValue();
        double q = Math.exp(-1 / b);
        return 2 * q / ((1 - q) * (1 - q));
    }
}
