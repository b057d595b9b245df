package io.formix.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * The canonical JSON of a query: fixed field order, every default written out, numbers in plain
 * decimal notation. The same query always gives the same text (what a command source reads on its
 * standard input, and what an approval will be bound to).
 */
public final class Canonical {

    private Canonical() {}

    public static String json(Query q) {
        ObjectNode n = QueryParser.JSON.createObjectNode();
        n.put("dataset", q.dataset());
        ArrayNode w = n.putArray("where");
        for (Term t : q.where()) {
            ObjectNode o = w.addObject();
            o.put("column", t.column());
            o.put("op", t.op().json());
            if (t.op() == Op.IN) {
                ArrayNode vs = o.putArray("value");
                t.values().forEach(v -> add(vs, v));
            } else {
                Object v = t.values().get(0);
                if (v instanceof BigDecimal b) {
                    o.putRawValue("value", new com.fasterxml.jackson.databind.util.RawValue(b.toPlainString()));
                } else {
                    o.put("value", (String) v);
                }
            }
        }
        ObjectNode a = n.putObject("aggregate");
        Aggregate g = q.aggregate();
        a.put("type", g.type());
        if (g instanceof Aggregate.Sum s) {
            bounded(a, s.column(), s.min(), s.max(), s.decimals());
        } else if (g instanceof Aggregate.Mean m) {
            bounded(a, m.column(), m.min(), m.max(), m.decimals());
        } else if (g instanceof Aggregate.Histogram h) {
            a.put("column", h.column());
            if (h.edges() != null) {
                ArrayNode e = a.putArray("edges");
                h.edges().forEach(v -> add(e, v));
            } else {
                ArrayNode c = a.putArray("categories");
                h.categories().forEach(v -> add(c, v));
            }
        } else if (g instanceof Aggregate.Vector v) {
            a.put("length", v.length());
            a.putRawValue(
                    "clip",
                    new com.fasterxml.jackson.databind.util.RawValue(v.clip().toPlainString()));
            a.put("fractionalBits", v.fractionalBits());
        } else if (g instanceof Aggregate.Choice c) {
            ArrayNode cs = a.putArray("categories");
            c.categories().forEach(cs::add);
        }
        n.put("maxRows", q.maxRows());
        n.put("maxSeconds", q.maxTime().toSeconds());
        return n.toString();
    }

    private static void bounded(ObjectNode a, String column, BigDecimal min, BigDecimal max, int decimals) {
        a.put("column", column);
        a.putRawValue("min", new com.fasterxml.jackson.databind.util.RawValue(min.toPlainString()));
        a.putRawValue("max", new com.fasterxml.jackson.databind.util.RawValue(max.toPlainString()));
        a.put("decimals", decimals);
    }

    private static void add(ArrayNode a, Object v) {
        if (v instanceof BigDecimal b) {
            a.addRawValue(new com.fasterxml.jackson.databind.util.RawValue(b.toPlainString()));
        } else {
            a.add((String) v);
        }
    }
}
