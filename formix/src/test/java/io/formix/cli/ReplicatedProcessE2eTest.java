package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.node.ProcessLiveness;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end with real node processes: a replicated 2-of-3 computation whose heavy node 1 runs
 * in a host of its own, SIGKILLed right after its broadcast (before any light node answers: the
 * light nodes approve manually, after the kill). Heavy nodes 2 and 3 close, heavy node 2 takes over
 * at deadline + 1.5·grace, and the total is revealed in {@code network.db} and equals the sum of the
 * light nodes' own answers.
 */
class ReplicatedProcessE2eTest {

    @TempDir
    Path home;

    private Map<String, String> env;

    @AfterEach
    void down() {
        if (env != null) {
            CliRun.run(home, env, "network", "down");
        }
    }

    private CliRun formix(String... args) {
        return CliRun.run(home, env, args);
    }

    private JsonNode json(String... args) throws Exception {
        return Main.JSON.readTree(formix(args).out());
    }

    @Test
    @Timeout(180)
    void heavyNode1KilledRightAfterTheBroadcastTheOtherTwoRevealTheCorrectTotal() throws Exception {
        env = Map.of("FORMIX_TRANSPORT", "file");
        CliRun up = formix("network", "up", "--heavy", "3", "--light", "5", "--approval", "manual");
        assertEquals(0, up.code(), up.toString());
        // heavy-1 in a host of its own, so that killing it kills nothing else
        assertEquals(0, formix("node", "stop", "heavy-1").code());
        CliRun start = formix("node", "start", "heavy-1");
        assertEquals(0, start.code(), start.toString());
        long pid1 = json("node", "show", "heavy-1", "--json").get("pid").asLong();
        long pid2 = json("node", "show", "heavy-2", "--json").get("pid").asLong();
        assertNotEquals(pid1, pid2, "heavy-1 runs in its own host process");

        CliRun p = formix(
                "comp",
                "propose",
                "--prompt",
                "q",
                "--scheme",
                "replicated",
                "--threshold",
                "5",
                "--deadline",
                "10s",
                "--grace",
                "2s",
                "--json");
        assertEquals(0, p.code(), p.toString());
        JsonNode proposed = Main.JSON.readTree(p.out());
        assertEquals("replicated-2of3", proposed.get("scheme").asText());
        String id = proposed.get("id").asText();

        long until = System.nanoTime() + 20_000_000_000L;
        String status = "";
        while (System.nanoTime() < until) {
            status = json("comp", "show", id, "--json").get("status").asText();
            if (!status.equals("proposed") && !status.equals("broadcast")) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals("collecting", status, "heavy node 1 finished its broadcast");
        assertTrue(ProcessLiveness.signal(pid1, 9));
        while (ProcessLiveness.isAlive(pid1, 0) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(
                "dead", json("node", "show", "heavy-1", "--json").get("status").asText());

        for (int i = 1; i <= 5; i++) {
            CliRun a = formix("comp", "approve", id, "--node", String.format("light-%04d", i));
            assertEquals(0, a.code(), a.toString());
        }
        CliRun w = formix("comp", "watch", id, "--json");
        JsonNode c = Main.JSON.readTree(w.out());
        assertEquals(0, w.code(), w.toString());
        assertEquals("revealed", c.get("status").asText(), c.toString());
        assertEquals(5, c.get("participants").asInt());
        assertEquals(sumOfAnswers(id, 5), c.get("result").asLong());
        assertEquals("replicated-2of3", c.get("scheme").asText());
        long endedAt = java.time.Instant.parse(c.get("endedAt").asText()).toEpochMilli();
        long deadline = java.time.Instant.parse(c.get("deadline").asText()).toEpochMilli();
        assertTrue(endedAt <= deadline + 2 * 2_000, "revealed within deadline + 2·grace: " + c);
        String log = formix("node", "logs", "heavy-2").out();
        assertTrue(log.contains("takes over with heavy-3"), log);
    }

    private long sumOfAnswers(String id, int lights) throws Exception {
        int sum = 0;
        for (int i = 1; i <= lights; i++) {
            for (JsonNode a : json("node", "show", String.format("light-%04d", i), "--json")
                    .get("answers")) {
                if (a.get("computation").asText().equals(id)) {
                    sum += a.get("value").asInt();
                }
            }
        }
        return Integer.toUnsignedLong(sum);
    }
}
