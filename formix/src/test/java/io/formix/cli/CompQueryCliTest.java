package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.node.Proposer;
import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code comp propose --query}: what it refuses (exit 4, nothing recorded), and the typed value {@code comp show} prints. */
@Timeout(60)
class CompQueryCliTest {

    private static final String COUNT = "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"count\"}}";
    /** Per node up to 10^9 rows × 10^9: the total over 10 nodes could wrap, over 9 it cannot. */
    private static final String WIDE_SUM = "{\"dataset\":\"p\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\","
            + "\"min\":0,\"max\":1000000000,\"decimals\":0},\"maxRows\":1000000000}";

    @TempDir
    Path home;

    @BeforeEach
    void network() {
        CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3");
        CliRun.run(home, "node", "create", "--role", "light", "--count", "10");
    }

    private CliRun propose(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "comp";
        args[1] = "propose";
        args[2] = "--prompt";
        args[3] = "q";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return CliRun.run(home, args);
    }

    private void refused(int code, String expected, CliRun r) {
        assertEquals(code, r.code(), r.toString());
        assertTrue(r.err().contains(expected), r.toString());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void badQueriesWrapsAndEpsilonsAreRefusedWithExitFourBeforeAnythingIsRecorded() throws Exception {
        refused(4, "invalid --query: ", propose("--query", "{\"dataset\":\"p\"}"));
        refused(4, "invalid --query: ", propose("--query", "not json"));
        refused(
                4,
                "the total over 10 nodes could wrap mod 2^64 (each node's answer is up to 1000000000000000000): "
                        + "at most 9 nodes fit",
                propose("--query", WIDE_SUM));
        refused(4, "--dp-epsilon must be above 0", propose("--query", COUNT, "--dp-epsilon", "0"));
        refused(4, "--dp-epsilon must be above 0", propose("--query", COUNT, "--dp-epsilon", "101"));
        refused(4, "--dp-epsilon must be a decimal number", propose("--query", COUNT, "--dp-epsilon", "lots"));
        refused(4, "--dp-epsilon needs --query", propose("--dp-epsilon", "1"));
        refused(
                4,
                "--dp-epsilon needs --scheme additive",
                propose("--query", COUNT, "--dp-epsilon", "1", "--scheme", "replicated"));
        refused(
                2,
                "--query and --schema exclude each other",
                propose("--query", COUNT, "--schema", "{\"type\":\"integer\"}"));
        Path file = home.resolve("q.json");
        Files.writeString(file, WIDE_SUM);
        refused(4, "at most 9 nodes fit", propose("--query", "@" + file));
        refused(2, "no such regular file", propose("--query", "@" + home.resolve("none.json")));
        // a valid query gets as far as the heavy nodes, which do not run here
        refused(4, "heavy node heavy-1 is not running", propose("--query", COUNT, "--dp-epsilon", "0.5"));
        assertEquals(
                0,
                Main.JSON
                        .readTree(CliRun.run(home, "comp", "list", "--json").out())
                        .size());
    }

    @Test
    void aQueryComputationIsRecordedCanonicallyAndShowsItsTypedValueQueryAndNoise() throws Exception {
        String id;
        try (NetworkDb net = NetworkDb.open(FormixHome.of(home))) {
            ComputationRecord r = Proposer.propose(
                    net,
                    Clock.systemUTC(),
                    new Proposer.Request(
                            "over 65?",
                            null,
                            null,
                            Duration.ofMinutes(1),
                            null,
                            null,
                            null,
                            "{ \"aggregate\": {\"type\":\"histogram\",\"column\":\"age\",\"edges\":[0, 65]},"
                                    + " \"dataset\":\"patients\"}",
                            new BigDecimal("1.0")),
                    n -> true);
            id = r.id();
            assertEquals("additive-3-z64", r.scheme());
            assertTrue(r.query().startsWith("{\"dataset\":\"patients\",\"where\":[],\"aggregate\":{"), r.query());
            ComputationRecord stored = net.computation(id).orElseThrow();
            assertEquals(r.query(), stored.query());
            assertEquals(0, new BigDecimal("1.0").compareTo(stored.dpEpsilon()));
            assertTrue(net.revealValue(
                    id, "{\"edges\":[0,65],\"counts\":[7,3],\"below\":0,\"missing\":1}", 4, 0, r.createdAt() + 1));
        }
        CliRun show = CliRun.run(home, "comp", "show", id, "--json");
        assertEquals(0, show.code(), show.toString());
        JsonNode c = Main.JSON.readTree(show.out());
        assertEquals("revealed", c.get("status").asText());
        assertFalse(c.has("result"), "a query computation has a typed value, not the 32-bit result");
        assertEquals("[7,3]", c.get("value").get("counts").toString());
        assertEquals(1, c.get("value").get("missing").asInt());
        assertEquals("histogram", c.get("query").get("aggregate").get("type").asText());
        assertEquals("discrete-laplace", c.get("dp").get("mechanism").asText());
        assertEquals(1, c.get("dp").get("scale").asInt());
        assertEquals("additive-3-z64", c.get("scheme").asText());
        assertFalse(c.has("schema"), "a query types its answers: no schema");

        CliRun human = CliRun.run(home, "comp", "show", id);
        assertTrue(human.out().contains("value:        < 0"), human.out());
        assertTrue(human.out().contains("[0, 65)                  7"), human.out());
        assertTrue(human.out().contains("≥ 65                     3"), human.out());
        assertTrue(human.out().contains("missing                  1"), human.out());
        assertTrue(human.out().contains("noise:        discrete-laplace, ε 1 per row"), human.out());
        CliRun watch = CliRun.run(home, "comp", "watch", id, "--json");
        assertEquals(0, watch.code(), watch.toString());
        assertEquals(
                "[7,3]",
                Main.JSON.readTree(watch.out()).get("value").get("counts").toString());
    }

    @Test
    void aSumKeepsItsDecimalsExactlyInJson() throws Exception {
        String id;
        try (NetworkDb net = NetworkDb.open(FormixHome.of(home))) {
            ComputationRecord r = Proposer.propose(
                    net,
                    Clock.systemUTC(),
                    new Proposer.Request(
                            "fees",
                            null,
                            null,
                            Duration.ofMinutes(1),
                            null,
                            null,
                            null,
                            "{\"dataset\":\"f\",\"aggregate\":{\"type\":\"sum\",\"column\":\"fee\",\"min\":0,"
                                    + "\"max\":100,\"decimals\":2}}",
                            null),
                    n -> true);
            id = r.id();
            net.revealValue(id, "200.00", 3, 0, r.createdAt() + 1);
        }
        CliRun show = CliRun.run(home, "comp", "show", id, "--json");
        assertTrue(show.out().contains("\"value\" : 200.00"), show.out());
        assertFalse(show.out().contains("\"dp\""), show.out());
        assertTrue(CliRun.run(home, "comp", "show", id).out().contains("value:        200.00"));
        assertTrue(CliRun.run(home, "comp", "list").out().contains(" 200.00 "), "comp list shows a one-line value");
        CliRun watch = CliRun.run(home, "comp", "watch", id);
        assertTrue(watch.out().contains("revealed from 3 light nodes (threshold 3):"), watch.out());
        assertTrue(watch.out().contains("  200.00"), watch.out());
    }
}
