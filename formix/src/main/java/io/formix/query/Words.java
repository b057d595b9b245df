package io.formix.query;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A query in plain words, for its owner's review: {@code count rows of patients where age ≥ 65}.
 * Names and values are shown as they are (a terminal escapes control characters itself).
 */
public final class Words {

    private Words() {}

    public static String of(Query q) {
        String from = q.dataset();
        String where = q.where().isEmpty()
                ? ""
                : " where " + q.where().stream().map(Words::term).collect(Collectors.joining(" and "));
        Aggregate a = q.aggregate();
        String rows = "rows of " + from + where;
        if (a instanceof Aggregate.Count) {
            return "count " + rows;
        } else if (a instanceof Aggregate.Sum s) {
            return "sum of " + s.column() + " (each clamped to " + range(s.min(), s.max()) + ", " + s.decimals()
                    + " decimal" + (s.decimals() == 1 ? "" : "s") + ") over " + rows + "; blanks skipped";
        } else if (a instanceof Aggregate.Mean m) {
            return "mean of " + m.column() + " (each clamped to " + range(m.min(), m.max()) + ", " + m.decimals()
                    + " decimal" + (m.decimals() == 1 ? "" : "s") + ") over " + rows
                    + "; shared as sum and count; blanks skipped";
        } else if (a instanceof Aggregate.Histogram h) {
            if (h.edges() != null) {
                List<BigDecimal> e = h.edges();
                StringBuilder b = new StringBuilder("histogram of " + h.column() + " in buckets ");
                int shown = Math.min(e.size() - 1, 4);
                for (int i = 0; i < shown; i++) {
                    b.append('[')
                            .append(e.get(i).toPlainString())
                            .append(", ")
                            .append(e.get(i + 1).toPlainString())
                            .append("), ");
                }
                if (shown < e.size() - 1) {
                    b.append("… (").append(e.size() + 1).append(" buckets in all), ");
                }
                b.append("≥ ")
                        .append(e.get(e.size() - 1).toPlainString())
                        .append(", below ")
                        .append(e.get(0).toPlainString())
                        .append(" and missing, over ")
                        .append(rows);
                return b.toString();
            }
            return "histogram of " + h.column() + " by " + list(h.categories()) + ", other and missing, over " + rows;
        } else if (a instanceof Aggregate.Vector v) {
            return "vector of " + v.length() + " number" + (v.length() == 1 ? "" : "s") + " from " + from
                    + ", each clamped to " + range(v.clip().negate(), v.clip()) + " and scaled by 2^"
                    + v.fractionalBits();
        } else {
            Aggregate.Choice c = (Aggregate.Choice) a;
            return "one of " + list(List.copyOf(c.categories())) + " from " + from;
        }
    }

    private static String term(Term t) {
        String v = t.op() == Op.IN
                ? "(" + t.values().stream().limit(10).map(Words::value).collect(Collectors.joining(", "))
                        + (t.values().size() > 10 ? ", …" : "") + ")"
                : value(t.values().get(0));
        return t.column() + " " + t.op().symbol + " " + v;
    }

    private static String list(List<?> values) {
        return values.stream().limit(10).map(Words::value).collect(Collectors.joining(", "))
                + (values.size() > 10 ? ", … (" + values.size() + " in all)" : "");
    }

    private static String range(BigDecimal lo, BigDecimal hi) {
        return "[" + lo.toPlainString() + ", " + hi.toPlainString() + "]";
    }

    static String value(Object v) {
        return v instanceof BigDecimal b ? b.toPlainString() : "\"" + v + "\"";
    }

    /** {@code s} cut to 80 characters, for error messages. */
    static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
