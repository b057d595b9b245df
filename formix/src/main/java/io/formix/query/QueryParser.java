package io.formix.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Parses the JSON of a query strictly: unknown fields, wrong types, unbounded sums, too many
 * buckets or vector elements, constants that are not plain bounded decimals — each fails with one
 * {@link QueryException} naming the field. Numbers are read exactly (never as binary floating point).
 *
 * <pre>{"dataset": "patients",
 *  "where": [{"column": "age", "op": ">=", "value": 65}],
 *  "aggregate": {"type": "count"},
 *  "maxRows": 1000000, "maxSeconds": 30}</pre>
 */
public final class QueryParser {

    /** The longest query text. */
    public static final int MAX_CHARS = 1 << 20;

    static final int MAX_TERMS = 64;
    static final int MAX_TEXT = 256;
    static final int MAX_IN = 1000;

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private QueryParser() {}

    public static Query parse(String json) {
        if (json.length() > MAX_CHARS) {
            throw new QueryException("the query is longer than " + MAX_CHARS + " characters");
        }
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new QueryException("the query is not valid JSON: " + Words.clip(e.getOriginalMessage()));
        }
        return parse(n);
    }

    public static Query parse(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new QueryException("a query is a JSON object like {\"dataset\":\"patients\",\"where\":[…],"
                    + "\"aggregate\":{\"type\":\"count\"}}");
        }
        fields(n, "query", Set.of("dataset", "where", "aggregate", "maxRows", "maxSeconds"));
        String dataset = text(n, "dataset", "query");
        List<Term> where = new ArrayList<>();
        JsonNode w = n.get("where");
        if (w != null && !w.isNull()) {
            if (!w.isArray()) {
                throw new QueryException(
                        "'where' must be a list of terms like {\"column\":\"age\",\"op\":\">=\"," + "\"value\":65}");
            }
            if (w.size() > MAX_TERMS) {
                throw new QueryException("'where' has more than " + MAX_TERMS + " terms");
            }
            for (JsonNode t : w) {
                where.add(term(t));
            }
        }
        JsonNode a = n.get("aggregate");
        if (a == null) {
            throw new QueryException("the query has no 'aggregate' (e.g. {\"type\":\"count\"})");
        }
        long maxRows = n.has("maxRows")
                ? wholeNumber(n.get("maxRows"), "maxRows", 1, Query.MAX_MAX_ROWS)
                : Query.DEFAULT_MAX_ROWS;
        Duration maxTime = n.has("maxSeconds")
                ? Duration.ofSeconds(wholeNumber(n.get("maxSeconds"), "maxSeconds", 1, Query.MAX_MAX_TIME.toSeconds()))
                : Query.DEFAULT_MAX_TIME;
        Query q = new Query(dataset, where, aggregate(a), maxRows, maxTime);
        for (BigInteger b : q.cellBounds()) {
            if (b.bitLength() > 63) {
                throw new QueryException("one node's answer could reach " + b + ", beyond 2^63 − 1: narrow min/max, "
                        + "decimals or maxRows");
            }
        }
        return q;
    }

    private static Term term(JsonNode t) {
        if (!t.isObject()) {
            throw new QueryException(
                    "a 'where' term is an object like {\"column\":\"age\",\"op\":\">=\",\"value\":65}");
        }
        fields(t, "where term", Set.of("column", "op", "value"));
        String column = text(t, "column", "where term");
        Op op = Op.parse(text(t, "op", "where term"));
        JsonNode v = t.get("value");
        if (v == null) {
            throw new QueryException("where term on '" + Words.clip(column) + "' has no 'value'");
        }
        List<Object> values = new ArrayList<>();
        if (op == Op.IN) {
            if (!v.isArray() || v.isEmpty()) {
                throw new QueryException("'in' needs a non-empty list as its value, e.g. [\"F\",\"M\"]");
            }
            if (v.size() > MAX_IN) {
                throw new QueryException("'in' lists more than " + MAX_IN + " values");
            }
            for (JsonNode e : v) {
                values.add(constant(e, "value of '" + Words.clip(column) + "'"));
            }
            if (values.stream().map(Object::getClass).distinct().count() > 1) {
                throw new QueryException("the 'in' list of '" + Words.clip(column) + "' mixes numbers and text");
            }
        } else {
            values.add(constant(v, "value of '" + Words.clip(column) + "'"));
        }
        if (!(values.get(0) instanceof BigDecimal) && op.ordering()) {
            throw new QueryException("'" + op.json + "' compares numbers; '" + Words.clip(column)
                    + "' is compared with text (use = != in)");
        }
        return new Term(column, op, values);
    }

    private static Aggregate aggregate(JsonNode a) {
        if (!a.isObject()) {
            throw new QueryException("'aggregate' must be an object like {\"type\":\"count\"}");
        }
        String type = text(a, "type", "aggregate");
        String ctx = type + " aggregate";
        return switch (type) {
            case "count" -> {
                fields(a, ctx, Set.of("type"));
                yield new Aggregate.Count();
            }
            case "sum", "mean" -> {
                fields(a, ctx, Set.of("type", "column", "min", "max", "decimals"));
                String column = text(a, "column", ctx);
                if (!a.has("min") || !a.has("max")) {
                    throw new QueryException("a " + type + " needs bounds: every value is clamped to [min, max] "
                            + "(e.g. \"min\":0,\"max\":150) — an unbounded " + type + " is refused");
                }
                BigDecimal min = number(a.get("min"), ctx + " 'min'");
                BigDecimal max = number(a.get("max"), ctx + " 'max'");
                int d = a.has("decimals")
                        ? (int) wholeNumber(a.get("decimals"), "decimals", 0, Aggregate.MAX_DECIMALS)
                        : 0;
                if (min.compareTo(max) > 0) {
                    throw new QueryException(
                            ctx + ": 'min' " + min.toPlainString() + " is above 'max' " + max.toPlainString());
                }
                for (BigDecimal b : List.of(min, max)) {
                    if (b.stripTrailingZeros().scale() > d) {
                        throw new QueryException(ctx + ": bound " + b.toPlainString() + " has more than 'decimals' = "
                                + d + " decimals");
                    }
                    if (b.movePointRight(d).abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                        throw new QueryException(
                                ctx + ": bound " + b.toPlainString() + " · 10^" + d + " does not fit 64 bits");
                    }
                }
                yield type.equals("sum")
                        ? new Aggregate.Sum(column, min, max, d)
                        : new Aggregate.Mean(column, min, max, d);
            }
            case "histogram" -> {
                fields(a, ctx, Set.of("type", "column", "edges", "categories"));
                String column = text(a, "column", ctx);
                if (a.has("edges") == a.has("categories")) {
                    throw new QueryException("a histogram needs either 'edges' (numbers, increasing) or 'categories' "
                            + "(declared up front), not both and not neither");
                }
                if (a.has("edges")) {
                    List<BigDecimal> edges = new ArrayList<>();
                    for (JsonNode e : list(a.get("edges"), "edges")) {
                        BigDecimal b = number(e, "histogram edge");
                        if (!edges.isEmpty() && edges.get(edges.size() - 1).compareTo(b) >= 0) {
                            throw new QueryException("histogram edges must increase strictly: "
                                    + edges.get(edges.size() - 1).toPlainString() + " then " + b.toPlainString());
                        }
                        edges.add(b);
                    }
                    yield new Aggregate.Histogram(column, edges, null);
                }
                List<Object> cats = new ArrayList<>();
                for (JsonNode e : list(a.get("categories"), "categories")) {
                    Object c = constant(e, "histogram category");
                    if (cats.stream().anyMatch(x -> same(x, c))) {
                        throw new QueryException("histogram category '" + Words.value(c) + "' is listed twice");
                    }
                    cats.add(c);
                }
                if (cats.stream().map(Object::getClass).distinct().count() > 1) {
                    throw new QueryException("histogram categories mix numbers and text");
                }
                yield new Aggregate.Histogram(column, null, cats);
            }
            case "vector" -> {
                fields(a, ctx, Set.of("type", "length", "clip", "fractionalBits"));
                if (!a.has("length") || !a.has("clip") || !a.has("fractionalBits")) {
                    throw new QueryException("a vector needs 'length', 'clip' and 'fractionalBits'");
                }
                int length = (int) wholeNumber(a.get("length"), "length", 1, Aggregate.MAX_VECTOR);
                BigDecimal clip = number(a.get("clip"), "vector 'clip'");
                int f = (int) wholeNumber(a.get("fractionalBits"), "fractionalBits", 0, Aggregate.MAX_FRACTIONAL_BITS);
                if (clip.signum() <= 0) {
                    throw new QueryException("vector 'clip' must be positive");
                }
                Aggregate.Vector v = new Aggregate.Vector(length, clip, f);
                BigDecimal scaled = clip.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(f)));
                if (scaled.compareTo(new BigDecimal(BigInteger.ONE.shiftLeft(62))) > 0) {
                    throw new QueryException("vector 'clip' · 2^fractionalBits is above 2^62: lower one of them");
                }
                if (v.scaledClip() < 1) {
                    throw new QueryException("vector 'clip' · 2^fractionalBits rounds to 0: raise one of them");
                }
                yield v;
            }
            case "choice" -> {
                fields(a, ctx, Set.of("type", "categories"));
                List<String> cats = new ArrayList<>();
                for (JsonNode e : list(a.get("categories"), "categories")) {
                    if (!e.isTextual()
                            || e.textValue().isEmpty()
                            || e.textValue().length() > MAX_TEXT) {
                        throw new QueryException(
                                "choice categories are non-empty strings of at most " + MAX_TEXT + " characters");
                    }
                    if (cats.contains(e.textValue())) {
                        throw new QueryException("choice category '" + Words.clip(e.textValue()) + "' is listed twice");
                    }
                    cats.add(e.textValue());
                }
                if (cats.size() < 2) {
                    throw new QueryException("a choice needs at least 2 categories");
                }
                yield new Aggregate.Choice(cats);
            }
            default ->
                throw new QueryException("unknown aggregate type '" + Words.clip(type)
                        + "' (count, sum, mean, histogram, vector, choice)");
        };
    }

    static boolean same(Object a, Object b) {
        return a instanceof BigDecimal x && b instanceof BigDecimal y ? x.compareTo(y) == 0 : a.equals(b);
    }

    private static JsonNode list(JsonNode n, String what) {
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw new QueryException("'" + what + "' must be a non-empty list");
        }
        if (n.size() > Aggregate.MAX_BUCKETS) {
            throw new QueryException(
                    "'" + what + "' has " + n.size() + " entries: at most " + Aggregate.MAX_BUCKETS + " buckets");
        }
        return n;
    }

    private static void fields(JsonNode n, String what, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new QueryException(what + " has an unknown field '" + Words.clip(f) + "' (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(JsonNode n, String field, String what) {
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

    private static Object constant(JsonNode v, String what) {
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

    private static long wholeNumber(JsonNode v, String field, long min, long max) {
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
