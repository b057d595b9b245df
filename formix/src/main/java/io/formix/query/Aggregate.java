package io.formix.query;

import io.formix.data.DecimalCell;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

/**
 * What a query computes on one node, and so the layout of its answer: a vector of {@code long}s in
 * Z/2^64 ({@link #width()} of them) whose cells are bounded per node ({@link #cellBounds}), added up
 * over nodes, and decoded by {@link Decoder}.
 */
public sealed interface Aggregate {

    /** At most this many histogram buckets (edges or categories) and choice categories. */
    int MAX_BUCKETS = 1000;
    /** At most this many vector elements (as {@code ShareCodec.DEFAULT_MAX_LENGTH}). */
    int MAX_VECTOR = 1 << 24;
    /** At most this many decimals of a sum or mean. */
    int MAX_DECIMALS = 18;
    /** At most this many fractional bits of a vector. */
    int MAX_FRACTIONAL_BITS = 62;

    /** The JSON {@code type}. */
    String type();

    /** The number of {@code long} cells of the answer. */
    int width();

    /** The largest absolute value each cell of one node's answer can take when the node reads at most {@code maxRows} rows. */
    BigInteger[] cellBounds(long maxRows);

    /** The column it reads, or {@code null}. */
    default String column() {
        return null;
    }

    /** {@code [n]}: the number of matching rows. */
    record Count() implements Aggregate {
        public String type() {
            return "count";
        }

        public int width() {
            return 1;
        }

        public BigInteger[] cellBounds(long maxRows) {
            return new BigInteger[] {BigInteger.valueOf(maxRows)};
        }
    }

    /**
     * {@code [Σ round(clamp(x, min, max) · 10^decimals)]} over matching rows whose {@code column}
     * is not missing. {@code min} and {@code max} have at most {@code decimals} decimals.
     */
    record Sum(String column, BigDecimal min, BigDecimal max, int decimals) implements Aggregate {
        public String type() {
            return "sum";
        }

        public int width() {
            return 1;
        }

        /** {@code min · 10^decimals}. */
        long scaledMin() {
            return min.movePointRight(decimals).longValueExact();
        }

        long scaledMax() {
            return max.movePointRight(decimals).longValueExact();
        }

        BigInteger perRow() {
            return BigInteger.valueOf(Math.max(Math.abs(scaledMin()), Math.abs(scaledMax())));
        }

        public BigInteger[] cellBounds(long maxRows) {
            return new BigInteger[] {perRow().multiply(BigInteger.valueOf(maxRows))};
        }
    }

    /** {@code [Σ, n]}: the sum as {@link Sum}, and the number of values summed. */
    record Mean(String column, BigDecimal min, BigDecimal max, int decimals) implements Aggregate {
        public String type() {
            return "mean";
        }

        public int width() {
            return 2;
        }

        Sum sum() {
            return new Sum(column, min, max, decimals);
        }

        public BigInteger[] cellBounds(long maxRows) {
            return new BigInteger[] {sum().cellBounds(maxRows)[0], BigInteger.valueOf(maxRows)};
        }
    }

    /**
     * By {@code edges} e0 < … < ek: {@code [c_0 … c_k, below, missing]}, with c_i the rows in
     * [e_i, e_i+1) and c_k those ≥ ek; by {@code categories}: {@code [c_1 … c_k, other, missing]}.
     * Exactly one of {@code edges} and {@code categories} is non-null.
     */
    record Histogram(String column, List<BigDecimal> edges, List<Object> categories) implements Aggregate {
        public Histogram {
            edges = edges == null ? null : List.copyOf(edges);
            categories = categories == null ? null : List.copyOf(categories);
        }

        public String type() {
            return "histogram";
        }

        int buckets() {
            return edges != null ? edges.size() : categories.size();
        }

        public int width() {
            return buckets() + 2;
        }

        public BigInteger[] cellBounds(long maxRows) {
            BigInteger[] b = new BigInteger[width()];
            Arrays.fill(b, BigInteger.valueOf(maxRows));
            return b;
        }
    }

    /**
     * {@code [round(clamp(x_i, −clip, clip) · 2^fractionalBits)]}, {@code length} of them, in two's
     * complement: a federated-learning update from a command source.
     */
    record Vector(int length, BigDecimal clip, int fractionalBits) implements Aggregate {
        public String type() {
            return "vector";
        }

        public int width() {
            return length;
        }

        /** {@code round(clip · 2^f)}: the largest magnitude of a cell. */
        long scaledClip() {
            return scale(clip);
        }

        /** {@code round(x · 2^f)}, half away from zero. */
        long scale(BigDecimal x) {
            return x.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(fractionalBits)))
                    .setScale(0, RoundingMode.HALF_UP)
                    .longValueExact();
        }

        public BigInteger[] cellBounds(long maxRows) {
            BigInteger[] b = new BigInteger[length];
            Arrays.fill(b, BigInteger.valueOf(scaledClip()));
            return b;
        }
    }

    /** One-hot over {@code categories}: the owner (or a command) picks one. */
    record Choice(List<String> categories) implements Aggregate {
        public Choice {
            categories = List.copyOf(categories);
        }

        public String type() {
            return "choice";
        }

        public int width() {
            return categories.size();
        }

        public BigInteger[] cellBounds(long maxRows) {
            BigInteger[] b = new BigInteger[categories.size()];
            Arrays.fill(b, BigInteger.ONE);
            return b;
        }
    }

    /** A query constant ready for fast comparison with a cell. */
    static DecimalCell.Constant constant(Object v) {
        return new DecimalCell.Constant((BigDecimal) v);
    }
}
