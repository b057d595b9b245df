package io.formix.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Turns a revealed total (the sum of the participants' cells in Z/2^64, read as signed 64-bit
 * numbers, exact under the {@link WrapGuard}) into the typed {@code "value"} of a computation:
 * <ul>
 * <li>count → an integer;
 * <li>sum → a number with exactly {@code decimals} decimals ({@code 200.00});
 * <li>mean → {@code {"sum", "count", "mean"}}, the mean rounded half up to max(decimals, 2) decimals
 *     ({@code null} without values);
 * <li>histogram → {@code {"edges", "counts", "below", "missing"}} or {@code {"categories", "counts",
 *     "other", "missing"}};
 * <li>vector → {@code {"sum": [...], "mean": [...]}}: sums exact (Σ / 2^f has at most f decimals),
 *     means over the participants rounded half up to f decimals;
 * <li>choice → {@code {"categories", "counts"}}.
 * </ul>
 * Decimals are written in plain notation, never through binary floating point.
 */
public final class Decoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Decoder() {}

    public static JsonNode decode(Aggregate a, long[] total, long participants) {
        if (total.length != a.width()) {
            throw new QueryException("a " + a.type() + " total has " + a.width() + " cells, not " + total.length);
        }
        if (a instanceof Aggregate.Count) {
            return NODES.numberNode(total[0]);
        } else if (a instanceof Aggregate.Sum s) {
            return number(BigDecimal.valueOf(total[0], s.decimals()));
        } else if (a instanceof Aggregate.Mean m) {
            ObjectNode o = NODES.objectNode();
            BigDecimal sum = BigDecimal.valueOf(total[0], m.decimals());
            o.set("sum", number(sum));
            o.put("count", total[1]);
            o.set(
                    "mean",
                    total[1] == 0
                            ? NODES.nullNode()
                            : number(sum.divide(
                                    BigDecimal.valueOf(total[1]), Math.max(m.decimals(), 2), RoundingMode.HALF_UP)));
            return o;
        } else if (a instanceof Aggregate.Histogram h) {
            ObjectNode o = NODES.objectNode();
            int k = h.buckets();
            ArrayNode labels = o.putArray(h.edges() != null ? "edges" : "categories");
            (h.edges() != null ? h.edges().stream().map(Object.class::cast).toList() : h.categories()).forEach(v -> {
                if (v instanceof BigDecimal b) {
                    labels.add(number(b));
                } else {
                    labels.add((String) v);
                }
            });
            ArrayNode counts = o.putArray("counts");
            for (int i = 0; i < k; i++) {
                counts.add(total[i]);
            }
            o.put(h.edges() != null ? "below" : "other", total[k]);
            o.put("missing", total[k + 1]);
            return o;
        } else if (a instanceof Aggregate.Vector v) {
            ObjectNode o = NODES.objectNode();
            ArrayNode sums = o.putArray("sum");
            ArrayNode means = o.putArray("mean");
            BigDecimal scale = new BigDecimal(BigInteger.ONE.shiftLeft(v.fractionalBits()));
            BigDecimal n = BigDecimal.valueOf(participants);
            for (long t : total) {
                BigDecimal s = BigDecimal.valueOf(t).divide(scale); // exact: 2^-f has f decimals
                sums.add(number(s.stripTrailingZeros()));
                means.add(
                        participants == 0
                                ? NODES.nullNode()
                                : number(s.divide(n, v.fractionalBits(), RoundingMode.HALF_UP)
                                        .stripTrailingZeros()));
            }
            return o;
        }
        Aggregate.Choice c = (Aggregate.Choice) a;
        ObjectNode o = NODES.objectNode();
        ArrayNode cats = o.putArray("categories");
        c.categories().forEach(cats::add);
        ArrayNode counts = o.putArray("counts");
        for (long t : total) {
            counts.add(t);
        }
        return o;
    }

    /** A JSON number written as the plain decimal text of {@code b} (no exponent, scale kept). */
    static JsonNode number(BigDecimal b) {
        BigDecimal v = b.scale() < 0 ? b.setScale(0) : b;
        return NODES.rawValueNode(new RawValue(v.toPlainString()));
    }
}
