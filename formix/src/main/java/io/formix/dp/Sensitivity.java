package io.formix.dp;

import io.formix.query.Aggregate;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * How much one unit of privacy can move a node's answer, in the answer's own integer cells, from
 * the bounds the query declares (never from the data). The neighbouring relation is
 * <em>add or remove one</em>: one row of a tabular source, or one participant's whole answer for a
 * vector or a choice. The norm is L1 (what the Laplace mechanism needs).
 *
 * <ul>
 *   <li>count: 1 — one row more or less moves the count by 1;
 *   <li>sum: {@code max(|min|, |max|) · 10^decimals} — one clamped row;
 *   <li>mean: the sum's, and 1 for the count ({@link NoiseSpec} splits ε between them);
 *   <li>histogram: 1 — a row falls in exactly one cell (a bucket, below/other, or missing), so adding
 *       or removing it changes one cell by 1 (under <em>replace</em> one it would be 2);
 *   <li>vector: {@code length · round(clip · 2^f)} — one participant's update, each element at most
 *       {@code clip·2^f} in absolute value, measured in L1 (the L2 bound {@code √length · clip·2^f}
 *       would suit a Gaussian mechanism, not this one);
 *   <li>choice: 1 — one participant's one-hot answer.
 * </ul>
 */
public final class Sensitivity {

    private Sensitivity() {}

    /** The L1 sensitivity of the answer's cells (for a mean, of its sum cell alone: see {@link #ofCount}). */
    public static BigInteger of(Aggregate a) {
        if (a instanceof Aggregate.Sum s) {
            return perRow(s.min(), s.max(), s.decimals());
        } else if (a instanceof Aggregate.Mean m) {
            return perRow(m.min(), m.max(), m.decimals());
        } else if (a instanceof Aggregate.Vector v) {
            BigInteger clip = v.clip()
                    .multiply(new BigDecimal(BigInteger.ONE.shiftLeft(v.fractionalBits())))
                    .setScale(0, java.math.RoundingMode.HALF_UP)
                    .toBigIntegerExact();
            return clip.multiply(BigInteger.valueOf(v.length()));
        }
        return BigInteger.ONE; // count, histogram, choice
    }

    /** The sensitivity of a mean's count cell: 1. */
    public static BigInteger ofCount() {
        return BigInteger.ONE;
    }

    /** What one unit is: {@code "row"}, or {@code "participant"} for a vector or a choice. */
    public static String unit(Aggregate a) {
        return a instanceof Aggregate.Vector || a instanceof Aggregate.Choice ? "participant" : "row";
    }

    private static BigInteger perRow(BigDecimal min, BigDecimal max, int decimals) {
        BigDecimal m = min.abs().max(max.abs());
        BigInteger r = m.movePointRight(decimals).toBigIntegerExact();
        return r.signum() == 0 ? BigInteger.ONE : r; // a sum bounded to [0, 0] still gets noise of scale 1/ε
    }
}
