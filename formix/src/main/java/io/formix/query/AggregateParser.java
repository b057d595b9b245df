package io.formix.query;

import static io.formix.query.JsonFields.MAX_TEXT;
import static io.formix.query.JsonFields.constant;
import static io.formix.query.JsonFields.fields;
import static io.formix.query.JsonFields.list;
import static io.formix.query.JsonFields.number;
import static io.formix.query.JsonFields.same;
import static io.formix.query.JsonFields.text;
import static io.formix.query.JsonFields.wholeNumber;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the {@code aggregate} object of a query ({@code count}, {@code sum}, {@code mean},
 * {@code histogram}, {@code vector}, {@code choice}) into an {@link Aggregate}: a sum or mean must be
 * bounded with bounds that fit 64 bits at its decimals, histogram edges increase strictly and
 * categories are distinct and of one kind, a vector's scaled clip lies in [1, 2^62]. Anything else
 * fails with one {@link QueryException} naming the field.
 */
final class AggregateParser {

    private AggregateParser() {}

    static Aggregate parse(JsonNode a) {
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
}
