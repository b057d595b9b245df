package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A light node's own answer to a query computation, as {@code node show} lists it: compact, never a whole vector. */
class QueryAnswerViewTest {

    static final String COUNT = "{\"aggregate\":{\"type\":\"count\"},\"dataset\":\"patients\"}";
    static final String MEAN =
            "{\"aggregate\":{\"column\":\"fee\",\"decimals\":2,\"max\":60,\"min\":10,\"type\":\"mean\"},\"dataset\":\"p\"}";
    static final String VECTOR =
            "{\"aggregate\":{\"clip\":8,\"fractionalBits\":8,\"length\":1000,\"type\":\"vector\"},\"dataset\":\"u\"}";

    static JsonNode json(NodeDetail.Answer a) throws Exception {
        return Views.JSON.readTree(Views.json(a));
    }

    @Test
    void aShortAnswerIsDecodedAndALongOneOnlyCounted() throws Exception {
        JsonNode count = json(NodeDetail.Answer.ofQuery("c1", COUNT, new long[] {42}));
        assertEquals("count", count.get("type").asText());
        assertEquals(1, count.get("cells").asInt());
        assertEquals(42, count.get("value").asLong());

        String mean = Views.json(NodeDetail.Answer.ofQuery("c2", MEAN, new long[] {20000, 6}));
        assertTrue(
                mean.replaceAll("\\s", "").contains("\"value\":{\"sum\":200.00,\"count\":6,\"mean\":33.33}"),
                "exact decimals: " + mean);

        NodeDetail.Answer vector = NodeDetail.Answer.ofQuery("c3", VECTOR, new long[1000]);
        assertNull(vector.value(), "1000 numbers are not printed");
        JsonNode v = json(vector);
        assertEquals(List.of("computation", "type", "cells"), fieldNames(v));
        assertEquals(1000, v.get("cells").asInt());
    }

    @Test
    void aNumberAnsweredWithinASchemaKeepsItsOldShapeAndABadQueryIsNamedOnly() throws Exception {
        JsonNode scalar = json(new NodeDetail.Answer("c1", 42));
        assertEquals(List.of("computation", "value"), fieldNames(scalar));
        assertEquals(42, scalar.get("value").asInt());
        NodeDetail.Answer odd = NodeDetail.Answer.ofQuery("c2", "not a query", new long[] {1, 2});
        assertEquals("query", odd.type());
        assertEquals(2, odd.cells());
        assertFalse(json(odd).has("value"));
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
