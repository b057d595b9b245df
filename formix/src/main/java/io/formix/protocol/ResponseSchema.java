package io.formix.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON Schema subset a computation's response must satisfy: {@code {"type": "integer" |
 * "number", "minimum": m, "maximum": M}} (bounds optional, inclusive). Any other keyword or type
 * is refused with a message naming it.
 */
public record ResponseSchema(String type, Double minimum, Double maximum) {

    /** The schema used when the proposer gives none. */
    public static final ResponseSchema DEFAULT = new ResponseSchema("integer", 0.0, 100.0);

    public ResponseSchema {
        if (!"integer".equals(type) && !"number".equals(type)) {
            throw new IllegalArgumentException("schema 'type' must be \"integer\" or \"number\", got " + type);
        }
        if (minimum != null && maximum != null && minimum > maximum) {
            throw new IllegalArgumentException(
                    "schema 'minimum' (" + minimum + ") is above 'maximum' (" + maximum + ")");
        }
    }

    /** Parses the schema from JSON text. */
    public static ResponseSchema parse(String json) {
        JsonNode n;
        try {
            n = Envelope.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("schema is not valid JSON: " + firstLine(e.getMessage()));
        }
        return parse(n);
    }

    /** Parses the schema from a JSON tree. */
    public static ResponseSchema parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(
                    "schema must be a JSON object like {\"type\":\"integer\",\"minimum\":0," + "\"maximum\":100}");
        }
        String type = null;
        Double min = null;
        Double max = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "type" -> {
                    if (!e.getValue().isTextual()) {
                        throw new IllegalArgumentException("schema 'type' must be a string");
                    }
                    type = e.getValue().textValue();
                }
                case "minimum" -> min = number(e.getKey(), e.getValue());
                case "maximum" -> max = number(e.getKey(), e.getValue());
                default ->
                    throw new IllegalArgumentException("schema keyword '" + Envelope.clip(e.getKey())
                            + "' is not supported: use only type (integer|number), minimum, maximum");
            }
        }
        if (type == null) {
            throw new IllegalArgumentException("schema needs a 'type' (\"integer\" or \"number\")");
        }
        return new ResponseSchema(type, min, max);
    }

    private static Double number(String key, JsonNode v) {
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new IllegalArgumentException("schema '" + key + "' must be a finite number");
        }
        return v.doubleValue();
    }

    /** Whether {@code value} satisfies the schema. */
    public boolean accepts(long value) {
        return (minimum == null || value >= minimum) && (maximum == null || value <= maximum);
    }

    /** The smallest integer in {@code [lo, hi]} the schema accepts, or empty range info. */
    public long lowestInteger(long lo) {
        return minimum == null ? lo : Math.max(lo, (long) Math.ceil(minimum));
    }

    public long highestInteger(long hi) {
        return maximum == null ? hi : Math.min(hi, (long) Math.floor(maximum));
    }

    public JsonNode toJson() {
        ObjectNode o = Envelope.JSON.createObjectNode();
        o.put("type", type);
        if (minimum != null) {
            putNumber(o, "minimum", minimum);
        }
        if (maximum != null) {
            putNumber(o, "maximum", maximum);
        }
        return o;
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            o.put(k, (long) v);
        } else {
            o.put(k, v);
        }
    }

    /** Canonical JSON text. */
    public String toJsonText() {
        return toJson().toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
