package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.cli.node.LogsCommand;
import io.formix.node.Proposer;
import io.formix.service.TerminalText;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text that came from others never reaches a terminal with control characters: a prompt holding
 * a title change, a screen clear, a colour and a bidi override is printed escaped by
 * {@code comp list}, {@code comp show} and {@code node show}, and exactly by {@code --json}.
 */
@Timeout(60)
class TerminalSafetyTest {

    static final String HOSTILE = "sum\u001B]0;pwned\u0007 \u001B[2J\u001B[31mred\u202Eevil\u009B\u007F";

    @TempDir
    Path home;

    @Test
    void unsafeCharactersAreEscapedVisibly() {
        assertEquals(
                "a\\x1b[31mb\\x07c\\x7f\\x9b\\u202e\\u2066\\x0a\\x09d",
                TerminalText.safe("a\u001B[31mb\u0007c\u007F\u009B\u202E\u2066\n\td"));
        assertEquals("plain — ünïcödé ✓", TerminalText.safe("plain — ünïcödé ✓"));
        assertEquals("line \\x1b[2J one\nline two\n", LogsCommand.safeLines("line \u001B[2J one\nline two\n"));
    }

    @Test
    void compListCompShowAndNodeShowPrintAHostilePromptEscaped() throws Exception {
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3")
                        .code());
        assertEquals(0, CliRun.run(home, "node", "create", "--role", "light").code());
        FormixHome fh = FormixHome.of(home);
        String id;
        try (NetworkDb net = NetworkDb.open(fh)) {
            id = Proposer.propose(
                            net,
                            Clock.systemUTC(),
                            new Proposer.Request(HOSTILE, null, 1, Duration.ofMinutes(5), null, Duration.ofSeconds(1)),
                            r -> true)
                    .id();
            net.fail(id, "bad\u001B[2Jreason", 0, 0, System.currentTimeMillis());
        }
        try (LightStore s = LightStore.open(fh, PartyId.of("light-0001"))) {
            s.receive(
                    id,
                    HOSTILE,
                    "{\"type\":\"integer\"}",
                    System.currentTimeMillis() + 60_000,
                    List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3")),
                    LightStore.State.PENDING,
                    System.currentTimeMillis());
        }

        CliRun list = CliRun.run(home, "comp", "list");
        CliRun show = CliRun.run(home, "comp", "show", id);
        CliRun node = CliRun.run(home, "node", "show", "light-0001");
        for (CliRun r : List.of(list, show, node)) {
            assertEquals(0, r.code(), r.toString());
            assertClean(r.out());
            assertTrue(r.out().contains("sum\\x1b]0;pwned\\x07"), r.out());
        }
        assertTrue(show.out().contains("\\x1b[2J\\x1b[31mred\\u202eevil\\x9b\\x7f"), show.out());
        assertTrue(show.out().contains("reason:       bad\\x1b[2Jreason"), show.out());

        // Scripts get the exact text back.
        JsonNode json = Main.JSON.readTree(
                CliRun.run(home, "comp", "show", id, "--json").out());
        assertEquals(HOSTILE, json.get("prompt").asText());
        JsonNode nodeJson = Main.JSON.readTree(
                CliRun.run(home, "node", "show", "light-0001", "--json").out());
        assertEquals(HOSTILE, nodeJson.get("computations").get(0).get("prompt").asText());
    }

    private static void assertClean(String out) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            boolean ok = c == '\n' || !TerminalText.unsafe(c);
            assertFalse(!ok, "control character U+" + Integer.toHexString(c) + " at " + i + " in: " + out);
        }
    }
}
