package io.formix.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict readers of one field of a query's JSON: each returns the value in its exact, bounded form
 * (text, decimal, whole number, non-empty list) or fails with one {@link QueryException} that names
 * the field and says what was expected. Numbers are never read as binary floating point.
 */
final class JsonFields {

    /** The longest text a query may hold in one field (a name, a constant, a category). */
    static final int MAX_TEXT = 256;

    private JsonFields() {}

    static boolean same(Object a, Object b) {
        return a instanceof BigDecimal x && b instanceof BigDecimal y ? x.compareTo(y) == 0 : a.equals(b);
    }

    static JsonNode list(JsonNode n, String what) {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw new QueryException("'" + what + "' must be a non-empty list");
        }
        if (n.size() > Aggregate.MAX_BUCKETS) {
            throw new QueryException(
                    "'" + what + "' has " + n.size() + " entries: at most " + Aggregate.MAX_BUCKETS + " buckets");
        }
        return n;
    }

    static void fields(JsonNode n, String what, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new QueryException(what + " has an unknown field '" + Words.clip(f) + "' (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    static String text(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new QueryException(what + " needs '" + field + "' as a non-empty string");
        }
        if (v.textValue().length() > MAX_TEXT) {
            throw new QueryException(what + " '" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return v.textValue();
    }

    /** A JSON number as an exact, bounded decimal: at most 30 integer digits and 18 decimals. */
    static BigDecimal number(JsonNode v, String what) {
        if (v == null || !v.isNumber()) {
            throw new QueryException(what + " must be a number");
        }
        BigDecimal b = v.decimalValue();
        BigDecimal s = b.signum() == 0 ? BigDecimal.ZERO : b.stripTrailingZeros();
        if (s.scale() > 18 || s.precision() - s.scale() > 30) {
            throw new QueryException(what + " " + Words.clip(v.asText()) + " is out of range (at most 30 digits "
                    + "before the point and 18 after)");
        }
        return b.scale() < 0 ? b.setScale(0) : b;
    }

    static Object constant(JsonNode v, String what) {
        if (v.isNumber()) {
            return number(v, what);
        }
        if (v.isTextual()) {
            if (v.textValue().length() > MAX_TEXT) {
                throw new QueryException(what + " is longer than " + MAX_TEXT + " characters");
            }
            return v.textValue();
        }
        throw new QueryException(what + " must be a number or a string");
    }

    static long wholeNumber(JsonNode v, String field, long min, long max) {
        if (v == null
                || !v.isIntegralNumber()
                || v.bigIntegerValue().compareTo(BigInteger.valueOf(min)) < 0
                || v.bigIntegerValue().compareTo(BigInteger.valueOf(max)) > 0) {
            throw new QueryException("'" + field + "' must be a whole number from " + min + " to " + max
                    + (v == null ? "" : ", got " + Words.clip(v.toString())));
        }
        return v.longValue();
    }
}
