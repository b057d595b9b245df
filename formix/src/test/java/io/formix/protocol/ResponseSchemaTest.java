package io.formix.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResponseSchemaTest {

    @Test
    void acceptsTheSubsetAndChecksBounds() {
        ResponseSchema s = ResponseSchema.parse("{\"type\":\"integer\",\"minimum\":10,\"maximum\":20}");
        assertTrue(s.accepts(10));
        assertTrue(s.accepts(20));
        assertFalse(s.accepts(21));
        assertEquals(10, s.lowestInteger(0));
        assertEquals(20, s.highestInteger(100));
        assertEquals(s, ResponseSchema.parse(s.toJsonText()));
        ResponseSchema n = ResponseSchema.parse("{\"type\":\"number\",\"minimum\":0.5}");
        assertEquals(1, n.lowestInteger(0));
        assertEquals(100, n.highestInteger(100));
    }

    @Test
    void refusesAnythingElseWithAClearMessage() {
        assertEquals(
                "schema keyword 'enum' is not supported: use only type (integer|number), minimum, maximum",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ResponseSchema.parse("{\"type\":\"integer\",\"enum\":[1]}"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResponseSchema.parse("{\"type\":\"string\"}"))
                .getMessage()
                .contains("\"integer\" or \"number\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResponseSchema.parse("{\"minimum\":1}"))
                .getMessage()
                .contains("needs a 'type'"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> ResponseSchema.parse("{\"type\":\"integer\",\"minimum\":5,\"maximum\":1}"))
                .getMessage()
                .contains("above"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResponseSchema.parse("{nope"))
                .getMessage()
                .startsWith("schema is not valid JSON"));
        assertThrows(IllegalArgumentException.class, () -> ResponseSchema.parse("[1]"));
    }
}
