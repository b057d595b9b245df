package io.formix.query;

import static io.formix.query.JsonFields.constant;
import static io.formix.query.JsonFields.fields;
import static io.formix.query.JsonFields.text;
import static io.formix.query.JsonFields.wholeNumber;

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
        Query q = new Query(dataset, where, AggregateParser.parse(a), maxRows, maxTime);
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
}
