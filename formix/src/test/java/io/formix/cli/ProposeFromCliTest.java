package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.node.NodeHost;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code comp propose --from UID}: what it refuses, and the proposer it records in {@code network.db}. */
@Timeout(60)
class ProposeFromCliTest {

    @TempDir
    Path home;

    private void refused(int code, String expected, CliRun r) {
        assertEquals(code, r.code(), r.toString());
        assertTrue(r.err().contains(expected), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void fromMustNameANodeOfThisHomeAndIsRecordedAsTheProposer() throws Exception {
        CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3");
        CliRun.run(home, "node", "create", "--role", "light", "--count", "3");
        assertTrue(
                CliRun.run(home, "comp", "propose", "--help").out().contains("--from=UID"),
                "documented in comp propose --help");
        FormixHome fh = FormixHome.of(home);
        try (NetworkDb net = NetworkDb.open(fh);
                NodeHost host = NodeHost.start(
                        fh,
                        net,
                        new InMemoryNetwork()::open,
                        Clock.systemUTC(),
                        net.nodes(null),
                        new NodeHost.Settings(Duration.ofMillis(20), Duration.ofMillis(100)))) {
            refused(2, "--from: 'Light 2' is not a node uid", propose("--from", "Light 2"));
            refused(3, "no node light-0009", propose("--from", "light-0009"));
            assertEquals(0, net.computations().size(), "nothing recorded for a refused --from");

            CliRun named = propose("--from", "light-0002", "--wait", "--json");
            assertEquals(0, named.code(), named.toString());
            JsonNode c = Main.JSON.readTree(named.out());
            assertEquals("revealed", c.get("status").asText());
            assertEquals(
                    PartyId.of("light-0002"),
                    net.computation(c.get("id").asText()).orElseThrow().proposer(),
                    "network.db's proposer column");
            assertEquals("light-0002", c.get("proposer").asText(), "comp show --json names it");
            assertTrue(
                    CliRun.run(home, "comp", "show", c.get("id").asText()).out().contains("proposer:     light-0002"));

            CliRun plain = propose("--json");
            assertEquals(0, plain.code(), plain.toString());
            String id = Main.JSON.readTree(plain.out()).get("id").asText();
            assertNull(net.computation(id).orElseThrow().proposer(), "no --from, on one host: unknown as before");
            assertTrue(!Main.JSON.readTree(plain.out()).has("proposer"), "left out when unknown");
            assertTrue(net.proposer(id).isEmpty());
        }
    }

    private CliRun propose(String... extra) {
        String[] args = new String[10 + extra.length];
        String[] base = {"comp", "propose", "--prompt", "q", "--threshold", "3", "--deadline", "20s", "--grace", "1s"};
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.run(home, args);
    }
}
