package io.formix.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartyIdTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0",
                "1",
                "42",
                "a",
                "heavy-1",
                "light-0999",
                "z9-",
                "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz"
            })
    void acceptsValidIds(String id) {
        assertEquals(id, PartyId.of(id).value());
        assertTrue(PartyId.isValid(id));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "-a",
                "A",
                "a_b",
                "a/b",
                "..",
                ".",
                "a.b",
                "a b",
                "é",
                "a\u0000",
                "../etc",
                "abcdefghijklmnopqrstuvwxyz0123456789-abcdefghijklmnopqrstuvwxyz0"
            })
    void rejectsInvalidIds(String id) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PartyId.of(id));
        assertTrue(e.getMessage().contains("[a-z0-9-]"), e.getMessage());
        assertFalse(PartyId.isValid(id));
    }

    @Test
    void numericPidsAndOrdering() {
        assertEquals(PartyId.of("2"), PartyId.ofPid(2));
        assertTrue(PartyId.of("a").compareTo(PartyId.of("b")) < 0);
        assertThrows(IllegalArgumentException.class, () -> PartyId.ofPid(-1));
        assertFalse(PartyId.isValid(null));
    }
}
