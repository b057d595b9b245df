package io.formix.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.formix.service.NodeDetail;
import org.junit.jupiter.api.Test;

/** The ANSWER cell of {@code node show}'s table: one short, terminal-safe line whatever the answer. */
class ShowCommandTest {

    @Test
    void anAnswerIsOneShortSafeCell() {
        assertEquals("42", ShowCommand.answer(new NodeDetail.Answer("c1", 42)));
        assertEquals(
                "count 7",
                ShowCommand.answer(new NodeDetail.Answer("c2", JsonNodeFactory.instance.numberNode(7), "count", 1)));
        assertEquals(
                "vector (1000000 numbers)", ShowCommand.answer(new NodeDetail.Answer("c3", null, "vector", 1_000_000)));
        var o = JsonNodeFactory.instance.objectNode();
        o.putArray("categories").add("\u001b[31mred").add("x".repeat(100));
        String cell = ShowCommand.answer(new NodeDetail.Answer("c4", o, "choice", 2));
        assertTrue(cell.length() <= "choice ".length() + 61 + 10, cell);
        assertTrue(cell.endsWith("…"), cell);
        assertTrue(cell.chars().noneMatch(ch -> ch < 0x20), "no control character reaches the terminal: " + cell);
    }
}
