package io.formix.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.formix.dp.NoiseSpec;
import io.formix.query.QueryException;
import io.formix.query.QueryParser;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The query side of a computation's view: its query and value as JSON text (checked to be JSON,
 * never re-encoded, so decimals stay exact), the noise it carries, and its value as lines for a
 * person, one per histogram bucket or category (through {@link TerminalText}: category names come
 * from the proposer).
 */
public final class QueryViews {

    /** Vector elements printed on a terminal before the rest is elided ({@code --json} has them all). */
    static final int VECTOR_SHOWN = 10;

    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private QueryViews() {}

    /** {@code text} if it is JSON (what network.db holds), else null. */
    static String json(String text) {
        return tree(text) == null ? null : text;
    }

    private static JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return EXACT.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    /** The noise of {@code query} at {@code epsilon} as the result states it, or null. */
    static Map<String, Object> dp(String query, BigDecimal epsilon) {
        if (query == null || epsilon == null) {
            return null;
        }
        try {
            return NoiseSpec.of(QueryParser.parse(query).aggregate(), epsilon).toJson();
        } catch (QueryException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The value of {@code c} for a person: one line, or one per bucket; empty if it has none. */
    public static List<String> lines(ComputationView c) {
        List<String> out = new ArrayList<>();
        JsonNode v = tree(c.value());
        if (v == null) {
            return out;
        }
        if (!v.isObject()) {
            out.add(TerminalText.safe(v.asText()));
        } else if (v.has("mean") && v.has("count")) {
            out.add("sum " + text(v.get("sum")) + ", count " + text(v.get("count")) + ", mean " + text(v.get("mean")));
        } else if (v.has("edges")) {
            JsonNode e = v.get("edges");
            JsonNode n = v.get("counts");
            out.add(String.format("%-24s %s", "< " + text(e.get(0)), text(v.get("below"))));
            for (int i = 0; i < e.size(); i++) {
                String range = i + 1 < e.size()
                        ? "[" + text(e.get(i)) + ", " + text(e.get(i + 1)) + ")"
                        : "≥ " + text(e.get(i));
                out.add(String.format("%-24s %s", range, text(n.get(i))));
            }
            out.add(String.format("%-24s %s", "missing", text(v.get("missing"))));
        } else if (v.has("categories")) {
            JsonNode k = v.get("categories");
            JsonNode n = v.get("counts");
            for (int i = 0; i < k.size(); i++) {
                out.add(String.format("%-24s %s", text(k.get(i)), text(n.get(i))));
            }
            for (String extra : new String[] {"other", "missing"}) {
                if (v.has(extra)) {
                    out.add(String.format("%-24s %s", "(" + extra + ")", text(v.get(extra))));
                }
            }
        } else if (v.has("sum") && v.get("sum").isArray()) {
            out.add("sum  " + list(v.get("sum")));
            out.add("mean " + list(v.get("mean")));
        } else {
            out.add(TerminalText.safe(v.toString()));
        }
        return out;
    }

    private static String list(JsonNode a) {
        StringBuilder b = new StringBuilder("[");
        Iterator<JsonNode> it = a.elements();
        for (int i = 0; it.hasNext(); i++) {
            JsonNode x = it.next();
            if (i == VECTOR_SHOWN) {
                b.append(", … (").append(a.size()).append(" elements; --json shows all)");
                break;
            }
            b.append(i == 0 ? "" : ", ").append(text(x));
        }
        return b.append("]").toString();
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return "-";
        }
        if (n.isBigDecimal()) {
            return n.decimalValue().toPlainString();
        }
        return TerminalText.safe(n.asText());
    }
}
