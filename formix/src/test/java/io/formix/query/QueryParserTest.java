package io.formix.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParserTest {

    static String err(String json) {
        return assertThrows(QueryException.class, () -> QueryParser.parse(json), json)
                .getMessage();
    }

    @Test
    void parsesTheIssuesQueryWithDefaults() {
        Query q = QueryParser.parse(
                "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65},"
                        + "{\"column\":\"sex\",\"op\":\"in\",\"value\":[\"F\",\"M\"]}],\"aggregate\":{\"type\":\"count\"}}");
        assertEquals("patients", q.dataset());
        assertEquals(
                new Term("age", Op.GE, List.of(new BigDecimal("65"))), q.where().get(0));
        assertEquals(List.of("F", "M"), q.where().get(1).values());
        assertInstanceOf(Aggregate.Count.class, q.aggregate());
        assertEquals(Query.DEFAULT_MAX_ROWS, q.maxRows());
        assertEquals("count rows of patients where age ≥ 65 and sex in (\"F\", \"M\")", Words.of(q));
    }

    @Test
    void numbersAreReadExactly() {
        Query q = QueryParser.parse("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"mean\",\"column\":\"x\",\"min\":10,"
                + "\"max\":60.00,\"decimals\":2}}");
        Aggregate.Mean m = (Aggregate.Mean) q.aggregate();
        assertEquals("60.00", m.max().toPlainString());
        assertEquals(6000, m.sum().scaledMax());
        Query v = QueryParser.parse("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"vector\",\"length\":4,\"clip\":0.1,"
                + "\"fractionalBits\":16}}");
        assertEquals(new BigDecimal("0.1"), ((Aggregate.Vector) v.aggregate()).clip());
        assertEquals(6554, ((Aggregate.Vector) v.aggregate()).scaledClip(), "round(0.1 · 65536) = round(6553.6)");
    }

    @Test
    void everyBadInputIsOneClearError() {
        assertTrue(err("{\"dataset\":").startsWith("the query is not valid JSON"));
        assertEquals(
                "a sum needs bounds: every value is clamped to [min, max] (e.g. \"min\":0,\"max\":150) — an "
                        + "unbounded sum is refused",
                err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\"}}"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"mean\",\"column\":\"x\",\"min\":0}}")
                .startsWith("a mean needs bounds"));
        StringBuilder edges = new StringBuilder();
        for (int i = 0; i <= 1000; i++) {
            edges.append(i == 0 ? "" : ",").append(i);
        }
        assertEquals(
                "'edges' has 1001 entries: at most 1000 buckets",
                err("{\"dataset\":\"d\",\"aggregate\":" + "{\"type\":\"histogram\",\"column\":\"x\",\"edges\":[" + edges
                        + "]}}"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"vector\",\"length\":16777217,\"clip\":1,"
                        + "\"fractionalBits\":16}}")
                .startsWith("'length' must be a whole number from 1 to 16777216"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"histogram\",\"column\":\"x\",\"edges\":[1,1]}}")
                .startsWith("histogram edges must increase strictly"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"histogram\",\"column\":\"x\"}}")
                .startsWith("a histogram needs either 'edges'"));
        assertEquals(
                "unknown op 'like' (use = != < <= > >= in)",
                err("{\"dataset\":\"d\",\"where\":[{\"column\":\"a\","
                        + "\"op\":\"like\",\"value\":\"x\"}],\"aggregate\":{\"type\":\"count\"}}"));
        assertTrue(err("{\"dataset\":\"d\",\"where\":[{\"column\":\"a\",\"op\":\"<\",\"value\":\"x\"}],"
                        + "\"aggregate\":{\"type\":\"count\"}}")
                .startsWith("'<' compares numbers"));
        assertTrue(err("{\"dataset\":\"d\",\"sql\":\"DROP TABLE x\",\"aggregate\":{\"type\":\"count\"}}")
                .startsWith("query has an unknown field 'sql'"));
        assertTrue(
                err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"median\"}}").startsWith("unknown aggregate type"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":5,\"max\":1}}")
                .contains("'min' 5 is above 'max' 1"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":0,\"max\":1.005,"
                        + "\"decimals\":2}}")
                .contains("has more than 'decimals' = 2 decimals"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":0,\"max\":1e40}}")
                .contains("out of range"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":0,"
                        + "\"max\":10000000000000,\"decimals\":2}}")
                .startsWith("one node's answer could reach"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":0,"
                        + "\"max\":100000000000000,\"decimals\":6}}")
                .contains("does not fit 64 bits"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"a\"]}}")
                .startsWith("a choice needs at least 2"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"a\",\"a\"]}}")
                .contains("listed twice"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"vector\",\"length\":2,\"clip\":1,"
                        + "\"fractionalBits\":63}}")
                .startsWith("'fractionalBits' must be"));
        assertTrue(err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"},\"maxRows\":0}")
                .startsWith("'maxRows'"));
        assertTrue(err("[1]").startsWith("a query is a JSON object"));
        assertTrue(
                err("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"}} {}").startsWith("the query is not valid"));
    }

    @Test
    void theCanonicalFormIsStableAndParsesBack() {
        String a = "{\"aggregate\":{\"max\":60.00,\"min\":10,\"type\":\"sum\",\"column\":\"x\",\"decimals\":2},"
                + "\"dataset\":\"d\"}";
        String c = Canonical.json(QueryParser.parse(a));
        assertEquals(
                "{\"dataset\":\"d\",\"where\":[],\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":10,"
                        + "\"max\":60.00,\"decimals\":2},\"maxRows\":1000000,\"maxSeconds\":30}",
                c);
        assertEquals(c, Canonical.json(QueryParser.parse(c)));
    }
}
