package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.node.NodeHost;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.transport.InMemoryNetwork;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Black-box tests of the CLI through picocli's execute(); nodes run in this JVM over memory. */
@Timeout(60)
class CliTest {

    @TempDir
    Path home;

    static JsonNode json(CliRun r) throws Exception {
        return Main.JSON.readTree(r.out());
    }

    @Test
    void helpDocumentsExitCodesAndCompletionPrintsABashScript() {
        CliRun help = CliRun.run(home, "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Exit codes:"), help.out());
        assertTrue(help.out().contains("5  the computation failed"), help.out());
        CliRun completion = CliRun.run(home, "completion");
        assertEquals(0, completion.code());
        assertTrue(completion.out().contains("complete -F"), completion.out().substring(0, 200));
        assertTrue(completion.out().contains("propose"));
    }

    @Test
    void errorsAreOneLineWithWhatToDoAndADocumentedExitCode() {
        CliRun none = CliRun.run(home.resolve("nothing"), "node", "list");
        assertEquals(3, none.code(), none.toString());
        assertEquals(1, none.err().strip().lines().count(), none.err());
        assertTrue(none.err().contains("run 'formix init'"), none.err());

        assertEquals(0, CliRun.run(home, "init").code());
        CliRun missing = CliRun.run(home, "node", "show", "light-0042");
        assertEquals(3, missing.code());
        assertEquals(
                "formix: no node light-0042 — see formix node list",
                missing.err().strip());

        CliRun badId = CliRun.run(home, "node", "show", "../etc");
        assertEquals(2, badId.code());

        CliRun badRole = CliRun.run(home, "node", "create", "--role", "medium");
        assertEquals(2, badRole.code());
        assertTrue(badRole.err().contains("unknown role 'medium'"), badRole.err());
        assertFalse(badRole.err().contains("at io.formix"), "no stack trace without -v");

        CliRun badDuration = CliRun.run(home, "comp", "propose", "--prompt", "q", "--deadline", "soon");
        assertEquals(2, badDuration.code());
        assertTrue(badDuration.err().contains("'soon' is not a duration"), badDuration.err());
        assertEquals(1, badDuration.err().strip().lines().count(), "usage errors are one line too");

        CliRun missing2 = CliRun.run(home, "comp", "propose");
        assertEquals(2, missing2.code());
        assertEquals(
                "formix: missing required option: '--prompt=TEXT' — see 'formix comp propose --help'",
                missing2.err().strip());
    }

    @Test
    void createListAndShowNodesAsJson() throws Exception {
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3")
                        .code());
        CliRun c =
                CliRun.run(home, "node", "create", "--role", "light", "--count", "2", "--approval", "manual", "--json");
        assertEquals(0, c.code(), c.toString());
        assertEquals("light-0002", json(c).get(1).get("uid").asText());
        JsonNode list = json(CliRun.run(home, "node", "list", "--json"));
        assertEquals(5, list.size());
        assertEquals("heavy-1", list.get(0).get("uid").asText());
        assertEquals("heavy", list.get(0).get("role").asText());
        assertEquals("stopped", list.get(0).get("status").asText());
        assertEquals(
                2,
                json(CliRun.run(home, "node", "list", "--role", "light", "--json"))
                        .size());
        JsonNode show = json(CliRun.run(home, "node", "show", "light-0001", "--json"));
        assertEquals("manual", show.get("approval").asText());
        assertEquals(0, show.get("answers").size());
        CliRun table = CliRun.run(home, "node", "list");
        assertTrue(table.out().startsWith("UID"), table.out());
        assertTrue(table.out().contains("light-0002  light  stopped  manual"), table.out());
    }

    @Test
    void proposalsAreValidatedBeforeAnythingIsSent() throws Exception {
        CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3");
        CliRun.run(home, "node", "create", "--role", "light", "--count", "4");
        CliRun down = CliRun.run(home, "comp", "propose", "--prompt", "q");
        assertEquals(4, down.code(), down.toString());
        assertEquals(
                "formix: heavy node heavy-1 is not running — start it with: formix node start heavy-1",
                down.err().strip());
        CliRun schema = CliRun.run(home, "comp", "propose", "--prompt", "q", "--schema", "{\"type\":\"string\"}");
        assertEquals(4, schema.code());
        assertTrue(
                schema.err().contains("invalid --schema: schema 'type' must be \"integer\" or \"number\""),
                schema.err());
        CliRun enumKw = CliRun.run(
                home, "comp", "propose", "--prompt", "q", "--schema", "{\"type\":\"integer\",\"enum\":[1,2]}");
        assertTrue(enumKw.err().contains("schema keyword 'enum' is not supported"), enumKw.err());
        CliRun same = CliRun.run(home, "comp", "propose", "--prompt", "q", "--heavy", "heavy-1,heavy-1,heavy-2");
        assertTrue(same.err().contains("three distinct heavy nodes"), same.err());
        CliRun light = CliRun.run(home, "comp", "propose", "--prompt", "q", "--heavy", "heavy-1,heavy-2,light-0001");
        assertTrue(light.err().contains("light-0001 is a light node"), light.err());
        CliRun threshold = CliRun.run(home, "comp", "propose", "--prompt", "q", "--threshold", "9");
        assertTrue(threshold.err().contains("heavy node heavy-1 is not running"), "heavy liveness first");
        assertEquals(0, json(CliRunJson.list(home)).size());
    }

    @Test
    void proposeWaitJsonRevealsTheTotalOfTheLightNodesOwnAnswers() throws Exception {
        CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3");
        CliRun.run(home, "node", "create", "--role", "light", "--count", "5");
        CliRun.run(home, "node", "create", "--role", "light", "--count", "1", "--approval", "manual");
        FormixHome fh = FormixHome.of(home);
        try (NetworkDb net = NetworkDb.open(fh);
                NodeHost host = NodeHost.start(
                        fh,
                        net,
                        new InMemoryNetwork()::open,
                        Clock.systemUTC(),
                        net.nodes(null),
                        new NodeHost.Settings(Duration.ofMillis(20), Duration.ofMillis(100)))) {
            CliRun threshold = CliRun.run(home, "comp", "propose", "--prompt", "q", "--threshold", "7");
            assertEquals(4, threshold.code());
            assertTrue(threshold.err().contains("threshold 7 exceeds the 6 light nodes"), threshold.err());

            // light-0006 waits for its owner: decline it, and the computation closes early.
            Thread declineLater = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    CliRun list = CliRunJson.list(home);
                    try {
                        JsonNode l = json(list);
                        if (l.size() > 0) {
                            String id = l.get(0).get("id").asText();
                            if (CliRun.run(home, "comp", "decline", id, "--node", "light-0006")
                                            .code()
                                    == 0) {
                                return;
                            }
                        }
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            declineLater.start();
            CliRun r = CliRun.run(
                    home,
                    "comp",
                    "propose",
                    "--prompt",
                    "how many?",
                    "--threshold",
                    "5",
                    "--deadline",
                    "20s",
                    "--wait",
                    "--json");
            declineLater.join();
            assertEquals(0, r.code(), r.toString());
            JsonNode c = json(r);
            assertEquals("revealed", c.get("status").asText());
            assertEquals(5, c.get("participants").asInt());
            assertEquals(5, c.get("threshold").asInt());
            String id = c.get("id").asText();
            long sum = 0;
            for (int i = 1; i <= 5; i++) {
                JsonNode show = json(CliRun.run(home, "node", "show", String.format("light-%04d", i), "--json"));
                assertEquals(id, show.get("answers").get(0).get("computation").asText());
                sum += show.get("answers").get(0).get("value").asLong();
            }
            assertEquals(sum, c.get("result").asLong());
            JsonNode declined = json(CliRun.run(home, "node", "show", "light-0006", "--json"));
            assertEquals(0, declined.get("answers").size());
            assertEquals(
                    "declined", declined.get("computations").get(0).get("state").asText());
            JsonNode heavy = json(CliRun.run(home, "node", "show", "heavy-2", "--json"));
            assertFalse(heavy.has("answers"), "a heavy node has no answers to show");

            CliRun again = CliRun.run(home, "comp", "approve", id, "--node", "light-0006");
            assertEquals(4, again.code());
            assertTrue(again.err().contains("already declined"), again.err());
            CliRun show = CliRun.run(home, "comp", "show", id);
            assertTrue(show.out().contains("result:       " + sum), show.out());
            CliRun status = CliRun.run(home, "network", "status", "--json");
            assertEquals(1, json(status).get("computations").get("revealed").asInt());
            assertEquals(
                    3, json(status).get("nodes").get("heavy").get("running").asInt());
        }
    }

    @Test
    void rmRefusesARunningNodeAndRemovesAStoppedOneWithItsFiles() throws Exception {
        CliRun.run(home, "node", "create", "--role", "light", "--count", "2");
        FormixHome fh = FormixHome.of(home);
        try (NetworkDb net = NetworkDb.open(fh);
                NodeHost host = NodeHost.start(
                        fh,
                        net,
                        new InMemoryNetwork()::open,
                        Clock.systemUTC(),
                        net.nodes(null).subList(0, 1),
                        new NodeHost.Settings(Duration.ofMillis(20), Duration.ofMillis(100)))) {
            CliRun running = CliRun.run(home, "node", "rm", "light-0001");
            assertEquals(4, running.code());
            assertEquals(
                    "formix: light-0001 is running — stop it first: formix node stop light-0001",
                    running.err().strip());
            CliRun logs = CliRun.run(home, "node", "logs", "light-0001");
            assertEquals(0, logs.code());
            assertTrue(logs.out().contains("INFO node light-0001 started"), logs.out());
            host.stop(io.formix.transport.PartyId.of("light-0001"));
            assertTrue(java.nio.file.Files.exists(fh.nodeDir(io.formix.transport.PartyId.of("light-0001"))));
            CliRun rm = CliRun.run(home, "node", "rm", "light-0001");
            assertEquals(0, rm.code(), rm.toString());
            assertFalse(java.nio.file.Files.exists(fh.nodeDir(io.formix.transport.PartyId.of("light-0001"))));
            assertEquals(1, json(CliRun.run(home, "node", "list", "--json")).size());
        }
    }

    @Test
    void aWaitingCliNeverHangsWhenNoHeavyNodeEndsTheComputation() throws Exception {
        CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3");
        CliRun.run(home, "node", "create", "--role", "light", "--count", "3");
        String id;
        try (NetworkDb net = NetworkDb.open(FormixHome.of(home))) {
            // Recorded as if the heavy nodes had been running, then none of them ever picks it up.
            id = io.formix.node.Proposer.propose(
                            net,
                            Clock.systemUTC(),
                            new io.formix.node.Proposer.Request(
                                    "q", null, null, Duration.ofSeconds(1), null, Duration.ZERO),
                            r -> true)
                    .id();
        }
        CliRun w = CliRun.run(home, "comp", "watch", id, "--json");
        assertEquals(5, w.code(), w.toString());
        JsonNode c = json(w);
        assertEquals("failed", c.get("status").asText());
        assertTrue(c.get("reason").asText().startsWith("no heavy node ended the computation"), c.toString());
    }

    /** comp list --json, shared by tests. */
    static final class CliRunJson {
        static CliRun list(Path home) {
            return CliRun.run(home, "comp", "list", "--json");
        }
    }
}
