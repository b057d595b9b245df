package io.formix.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.formix.data.DecimalCell;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;

/**
 * An answer given as a plain JSON value in the query's type (what a command prints, what an owner
 * will type), checked strictly and encoded as the cells a node shares:
 * <ul>
 * <li>count: a whole number 0..maxRows;
 * <li>sum: a number with at most {@code decimals} decimals, within one node's bound;
 * <li>mean: {@code {"sum": S, "count": n}};
 * <li>histogram: {@code {"counts": [k whole numbers], "below"|"other": n, "missing": n}} (the last two optional);
 * <li>vector: a list of exactly {@code length} numbers, each clamped to [−clip, clip];
 * <li>choice: one of the categories, as a string.
 * </ul>
 */
public final class PlainAnswers {

    private PlainAnswers() {}

    public static long[] parse(Aggregate a, long maxRows, String text, String what) {
        if (a instanceof Aggregate.Vector v) {
            return vector(v, text, what);
        }
        JsonNode n;
        try {
            n = QueryParser.JSON.readTree(text);
        } catch (IOException e) {
            throw new QueryException(what + " is not " + expected(a) + ": " + Words.clip(text.strip()));
        }
        if (n == null || n.isMissingNode()) {
            throw new QueryException(what + " is empty: expected " + expected(a));
        }
        BigInteger bound = a.cellBounds(maxRows)[0];
        if (a instanceof Aggregate.Count) {
            return new long[] {whole(n, maxRows, what, a)};
        } else if (a instanceof Aggregate.Sum s) {
            return new long[] {scaledSum(n, s, bound, what, a)};
        } else if (a instanceof Aggregate.Mean m) {
            if (!n.isObject() || !n.has("sum") || !n.has("count") || n.size() != 2) {
                throw new QueryException(what + " is not " + expected(a));
            }
            long count = whole(n.get("count"), maxRows, what, a);
            long sum = scaledSum(n.get("sum"), m.sum(), m.sum().perRow().multiply(BigInteger.valueOf(count)), what, a);
            return new long[] {sum, count};
        } else if (a instanceof Aggregate.Histogram h) {
            String extra = h.edges() != null ? "below" : "other";
            if (!n.isObject() || !n.has("counts")) {
                throw new QueryException(what + " is not " + expected(a));
            }
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("counts") && !f.equals(extra) && !f.equals("missing")) {
                    throw new QueryException(
                            what + " has an unknown field '" + Words.clip(f) + "': expected " + expected(a));
                }
            }
            JsonNode counts = n.get("counts");
            int k = h.buckets();
            if (!counts.isArray() || counts.size() != k) {
                throw new QueryException(what + ": 'counts' must list " + k + " whole numbers");
            }
            long[] cells = new long[k + 2];
            long total = 0;
            for (int i = 0; i < k; i++) {
                cells[i] = whole(counts.get(i), maxRows, what, a);
                total += cells[i];
            }
            cells[k] = n.has(extra) ? whole(n.get(extra), maxRows, what, a) : 0;
            cells[k + 1] = n.has("missing") ? whole(n.get("missing"), maxRows, what, a) : 0;
            if (total + cells[k] + cells[k + 1] > maxRows) {
                throw new QueryException(what + " counts more than maxRows = " + maxRows + " rows");
            }
            return cells;
        } else {
            Aggregate.Choice c = (Aggregate.Choice) a;
            int i = n.isTextual() ? c.categories().indexOf(n.textValue()) : -1;
            if (i < 0) {
                throw new QueryException(what + " is not one of "
                        + String.join(", ", c.categories().stream().limit(10).toList())
                        + (c.categories().size() > 10 ? ", …" : "") + ": " + Words.clip(text.strip()));
            }
            long[] cells = new long[c.categories().size()];
            cells[i] = 1;
            return cells;
        }
    }

    private static String expected(Aggregate a) {
        if (a instanceof Aggregate.Count) {
            return "a whole number (a count)";
        } else if (a instanceof Aggregate.Sum s) {
            return "a number with at most " + s.decimals() + " decimals (a sum)";
        } else if (a instanceof Aggregate.Mean) {
            return "{\"sum\": S, \"count\": n} (a mean)";
        } else if (a instanceof Aggregate.Histogram h) {
            return "{\"counts\": [" + h.buckets() + " whole numbers], \"" + (h.edges() != null ? "below" : "other")
                    + "\": n, \"missing\": n} (a histogram)";
        } else if (a instanceof Aggregate.Vector v) {
            return "a JSON list of " + v.length() + " numbers (a vector)";
        }
        return "one of the categories as a JSON string (a choice)";
    }

    private static long whole(JsonNode n, long max, String what, Aggregate a) {
        if (n == null
                || !n.isIntegralNumber()
                || n.bigIntegerValue().signum() < 0
                || n.bigIntegerValue().compareTo(BigInteger.valueOf(max)) > 0) {
            throw new QueryException(what + " is not " + expected(a) + " (a whole number 0.." + max
                    + " was expected, got " + Words.clip(String.valueOf(n)) + ")");
        }
        return n.longValue();
    }

    private static long scaledSum(JsonNode n, Aggregate.Sum s, BigInteger bound, String what, Aggregate a) {
        if (n == null || !n.isNumber()) {
            throw new QueryException(what + " is not " + expected(a));
        }
        BigDecimal v = n.decimalValue();
        if (v.signum() != 0 && v.stripTrailingZeros().scale() > s.decimals()) {
            throw new QueryException(
                    what + " " + Words.clip(n.asText()) + " has more than " + s.decimals() + " decimals");
        }
        BigInteger scaled = v.movePointRight(s.decimals()).toBigIntegerExact();
        if (scaled.abs().compareTo(bound) > 0) {
            throw new QueryException(what + " " + Words.clip(n.asText()) + " is beyond what one node can answer ("
                    + new BigDecimal(bound, s.decimals()).toPlainString() + " in absolute value)");
        }
        return scaled.longValueExact();
    }

    /** Streams the list, so a 2^24-element vector is not held as a JSON tree. */
    private static long[] vector(Aggregate.Vector v, String text, String what) {
        long[] cells = new long[v.length()];
        long c = v.scaledClip();
        DecimalCell.Constant hi = new DecimalCell.Constant(v.clip());
        DecimalCell.Constant lo = new DecimalCell.Constant(v.clip().negate());
        DecimalCell cell = new DecimalCell();
        BigDecimal scale = new BigDecimal(BigInteger.ONE.shiftLeft(v.fractionalBits()));
        try (JsonParser p = QueryParser.JSON.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new QueryException(what + " is not " + expected(v));
            }
            int i = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw new QueryException(
                            what + ": element " + (i + 1) + " is not a number: " + Words.clip(p.getText()));
                }
                if (i == cells.length) {
                    throw new QueryException(what + " has more than " + v.length() + " numbers");
                }
                if (!cell.parse(p.getText())) { // an exponent, as 1e-05: exact, and bounded before use
                    BigDecimal b = p.getDecimalValue();
                    if (b.signum() != 0 && (b.scale() > 400 || b.precision() - b.scale() > 400)) {
                        throw new QueryException(
                                what + ": element " + (i + 1) + " is out of range: " + Words.clip(p.getText()));
                    }
                    cell.parse(b.toPlainString());
                }
                if (cell.compareTo(hi) >= 0) {
                    cells[i] = c;
                } else if (cell.compareTo(lo) <= 0) {
                    cells[i] = -c;
                } else {
                    cells[i] = cell.toBigDecimal()
                            .multiply(scale)
                            .setScale(0, java.math.RoundingMode.HALF_UP)
                            .longValueExact();
                }
                i++;
            }
            if (i != cells.length) {
                throw new QueryException(what + " has " + i + " numbers, not " + v.length());
            }
            if (p.nextToken() != null) {
                throw new QueryException(what + " has text after the list");
            }
        } catch (IOException e) {
            throw new QueryException(what + " is not " + expected(v) + ": " + Words.clip(e.getMessage()));
        }
        return cells;
    }
}
