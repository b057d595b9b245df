package io.formix.transport.seal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Strict JSON for key files and signed documents: duplicate keys refused, trailing tokens refused,
 * every field read through a checked accessor that says which field is wrong.
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
    }

    /** Parses one JSON object; the caller has bounded {@code bytes}. */
    static JsonNode parseObject(byte[] bytes) {
        JsonNode n;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid JSON");
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return n;
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return n.textValue();
    }

    static long integer(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer");
        }
        return n.longValue();
    }

    static long nonNegative(JsonNode o, String field) {
        long v = integer(o, field);
        if (v < 0) {
            throw new IllegalArgumentException("field '" + field + "' must be >= 0");
        }
        return v;
    }

    static byte[] b64(JsonNode o, String field, int length) {
        byte[] b;
        try {
            b = Bytes.unb64(text(o, field));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + field + "' must be unpadded base64url");
        }
        if (length >= 0 && b.length != length) {
            throw new IllegalArgumentException("field '" + field + "' must hold " + length + " bytes");
        }
        return b;
    }

    static JsonNode array(JsonNode o, String field, int maxSize) {
        JsonNode n = o.get(field);
        if (n == null || !n.isArray()) {
            throw new IllegalArgumentException("field '" + field + "' must be an array");
        }
        if (n.size() > maxSize) {
            throw new IllegalArgumentException("field '" + field + "' has more than " + maxSize + " entries");
        }
        return n;
    }

    static void expectType(JsonNode o, String type) {
        String t = text(o, "type");
        if (!t.equals(type)) {
            throw new IllegalArgumentException("type is '" + Bytes.printable(t) + "', expected '" + type + "'");
        }
        if (integer(o, "v") != 1) {
            throw new IllegalArgumentException("unsupported version " + integer(o, "v") + " of " + type);
        }
    }
}
