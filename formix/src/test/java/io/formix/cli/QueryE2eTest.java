package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The map step on real data, end to end with real node processes over the file transport: 3 heavy
 * and 4 light nodes, each light node holding its own CSV, SQLite and manual sources written here.
 * Every expected value is computed by this test from the rows it wrote (plain Java loops, not
 * Formix's evaluator): a count with a filter, a clamped sum with blanks, an exact mean in cents, a
 * histogram with missing values, a SQLite view, a 64-bit sum above 2^32, a fixed-point vector, a
 * disclosure rule that makes one node decline, manual choices with one decline, a DP count within
 * a tolerance, and a proposal {@code --from} a node that one light node's proposers list admits and
 * another's excludes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class QueryE2eTest {

    private static final int LIGHTS = 4;

    @TempDir
    static Path home;

    @TempDir
    static Path data;

    /** rows.get(node - 1): {age or null, cost in cents or null, bytes} of that node's CSV. */
    private final List<List<long[]>> rows = new ArrayList<>();

    private final List<List<Boolean>> ageBlank = new ArrayList<>();
    private final List<List<Boolean>> costBlank = new ArrayList<>();

    private CliRun formix(String... args) {
        return CliRun.run(home, Map.of("FORMIX_TRANSPORT", "file"), args);
    }

    private CliRun ok(String... args) {
        CliRun r = formix(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    private static String uid(int node) {
        return String.format("light-%04d", node);
    }

    @BeforeAll
    void upWithData() throws Exception {
        ok("network", "up", "--heavy", "3", "--light", Integer.toString(LIGHTS));
        for (int node = 1; node <= LIGHTS; node++) {
            List<long[]> mine = new ArrayList<>();
            List<Boolean> ab = new ArrayList<>();
            List<Boolean> cb = new ArrayList<>();
            StringBuilder csv = new StringBuilder("patient,age,cost,bytes\n");
            for (int i = 0; i < 40 + 10 * node; i++) {
                long age = (i * 37L + node * 11L) % 100;
                long cents = (i * 7919L + node * 104_729L) % 90_000; // 0.00 .. 899.99
                long bytes = 2_000_000_000L + i * 1_000L + node;
                boolean noAge = (i + node) % 13 == 0;
                boolean noCost = (i + node) % 17 == 0;
                csv.append("p").append(node).append('-').append(i).append(',');
                csv.append(noAge ? "" : Long.toString(age)).append(',');
                csv.append(noCost ? "" : BigDecimal.valueOf(cents, 2).toPlainString())
                        .append(',');
                csv.append(bytes).append('\n');
                mine.add(new long[] {age, cents, bytes});
                ab.add(noAge);
                cb.add(noCost);
            }
            rows.add(mine);
            ageBlank.add(ab);
            costBlank.add(cb);
            Path file = data.resolve("patients-" + node + ".csv");
            Files.writeString(file, csv);
            ok("data", "add", uid(node), "--name", "patients", "--csv", file.toString());

            Path db = data.resolve("visits-" + node + ".db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE visits(ward TEXT, days INTEGER)");
                for (int i = 0; i < 5 + node; i++) {
                    s.execute("INSERT INTO visits VALUES('" + (i % 2 == 0 ? "icu" : "ward") + "', " + (i + node) + ")");
                }
            }
            ok(
                    "data",
                    "add",
                    uid(node),
                    "--name",
                    "icu",
                    "--sqlite",
                    db.toString(),
                    "--sql",
                    "SELECT days FROM visits WHERE ward = 'icu'");
            ok("data", "add", uid(node), "--name", "update", "--command", "/bin/echo [0.5,-1.25," + node + "]");
            ok("data", "add", uid(node), "--name", "vote", "--manual");
            ok("node", "policy", uid(node), "--approval", "policy");
        }
    }

    @AfterAll
    void down() {
        formix("network", "down");
    }

    /** Proposes {@code query} to every light node and waits; the computation's JSON. */
    private JsonNode ask(String query, int threshold, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "comp",
                "propose",
                "--prompt",
                "q",
                "--query",
                query,
                "--threshold",
                Integer.toString(threshold),
                "--deadline",
                "20s",
                "--grace",
                "2s",
                "--wait",
                "--json"));
        args.addAll(List.of(more));
        CliRun r = formix(args.toArray(String[]::new));
        JsonNode c = Main.JSON.readTree(r.out());
        assertEquals("revealed", c.path("status").asText(), r.toString());
        return c;
    }

    private boolean has(int node, int row, int what) {
        return !(what == 0 ? ageBlank : costBlank).get(node - 1).get(row);
    }

    @Test
    @Order(1)
    void aCountWithAFilter() throws Exception {
        long expected = 0;
        for (int n = 1; n <= LIGHTS; n++) {
            for (int i = 0; i < rows.get(n - 1).size(); i++) {
                expected += has(n, i, 0) && rows.get(n - 1).get(i)[0] >= 65 ? 1 : 0;
            }
        }
        JsonNode c = ask(
                "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
                        + "\"aggregate\":{\"type\":\"count\"}}",
                LIGHTS);
        assertEquals(LIGHTS, c.path("participants").asInt());
        assertEquals(expected, c.path("value").asLong(), c.toString());
    }

    @Test
    @Order(2)
    void aClampedSumWithBlanksIsExact() throws Exception {
        long cents = 0;
        for (int n = 1; n <= LIGHTS; n++) {
            for (int i = 0; i < rows.get(n - 1).size(); i++) {
                if (has(n, i, 1)) {
                    cents += Math.min(rows.get(n - 1).get(i)[1], 500_00);
                }
            }
        }
        JsonNode c = ask(
                "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"sum\",\"column\":\"cost\",\"min\":0,"
                        + "\"max\":500,\"decimals\":2}}",
                LIGHTS);
        assertEquals(
                BigDecimal.valueOf(cents, 2).toPlainString(), c.path("value").asText(), c.toString());
    }

    @Test
    @Order(3)
    void anExactMeanInCents() throws Exception {
        long cents = 0;
        long count = 0;
        for (int n = 1; n <= LIGHTS; n++) {
            for (int i = 0; i < rows.get(n - 1).size(); i++) {
                if (has(n, i, 1)) {
                    cents += rows.get(n - 1).get(i)[1];
                    count++;
                }
            }
        }
        JsonNode v = ask(
                        "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"mean\",\"column\":\"cost\",\"min\":0,"
                                + "\"max\":1000,\"decimals\":2}}",
                        LIGHTS)
                .path("value");
        BigDecimal sum = BigDecimal.valueOf(cents, 2);
        assertEquals(sum.toPlainString(), v.path("sum").asText(), v.toString());
        assertEquals(count, v.path("count").asLong());
        assertEquals(
                sum.divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP).toPlainString(),
                v.path("mean").asText());
    }

    @Test
    @Order(4)
    void aHistogramWithMissingValues() throws Exception {
        long[] counts = new long[3]; // [18,40) [40,65) >= 65
        long below = 0;
        long missing = 0;
        for (int n = 1; n <= LIGHTS; n++) {
            for (int i = 0; i < rows.get(n - 1).size(); i++) {
                long age = rows.get(n - 1).get(i)[0];
                if (!has(n, i, 0)) {
                    missing++;
                } else if (age < 18) {
                    below++;
                } else {
                    counts[age < 40 ? 0 : age < 65 ? 1 : 2]++;
                }
            }
        }
        JsonNode v = ask(
                        "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"histogram\",\"column\":\"age\","
                                + "\"edges\":[18,40,65]}}",
                        LIGHTS)
                .path("value");
        for (int k = 0; k < 3; k++) {
            assertEquals(counts[k], v.path("counts").path(k).asLong(), v.toString());
        }
        assertEquals(below, v.path("below").asLong());
        assertEquals(missing, v.path("missing").asLong());
    }

    @Test
    @Order(5)
    void aSqliteView() throws Exception {
        long expected = 0;
        for (int n = 1; n <= LIGHTS; n++) {
            for (int i = 0; i < 5 + n; i++) {
                expected += i % 2 == 0 ? i + n : 0;
            }
        }
        JsonNode c = ask(
                "{\"dataset\":\"icu\",\"aggregate\":{\"type\":\"sum\",\"column\":\"days\",\"min\":0,\"max\":1000,"
                        + "\"decimals\":0}}",
                LIGHTS);
        assertEquals(expected, c.path("value").asLong(), c.toString());
    }

    @Test
    @Order(6)
    void aSixtyFourBitSumAboveTwoToThe32() throws Exception {
        long expected = 0;
        for (List<long[]> mine : rows) {
            for (long[] r : mine) {
                expected += r[2];
            }
        }
        assertTrue(expected > (1L << 32));
        JsonNode c = ask(
                "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"sum\",\"column\":\"bytes\",\"min\":0,"
                        + "\"max\":4000000000,\"decimals\":0}}",
                LIGHTS);
        assertEquals(expected, c.path("value").asLong(), c.toString());
    }

    @Test
    @Order(7)
    void aFixedPointVectorDecodesExactly() throws Exception {
        JsonNode v = ask(
                        "{\"dataset\":\"update\",\"aggregate\":{\"type\":\"vector\",\"length\":3,\"clip\":8,"
                                + "\"fractionalBits\":8}}",
                        LIGHTS)
                .path("value");
        // 0.5 and -1.25 from each node, and the node's number: 1 + 2 + 3 + 4
        assertEquals(0, new BigDecimal("2").compareTo(v.path("sum").path(0).decimalValue()), v.toString());
        assertEquals(0, new BigDecimal("-5").compareTo(v.path("sum").path(1).decimalValue()), v.toString());
        assertEquals(0, new BigDecimal("10").compareTo(v.path("sum").path(2).decimalValue()), v.toString());
        assertEquals(0, new BigDecimal("-1.25").compareTo(v.path("mean").path(1).decimalValue()), v.toString());
    }

    @Test
    @Order(8)
    void aDisclosureRuleMakesOneNodeDecline() throws Exception {
        ok("node", "policy", uid(4), "--min-rows", "1000");
        try {
            long expected = 0;
            for (int n = 1; n <= 3; n++) {
                for (int i = 0; i < rows.get(n - 1).size(); i++) {
                    expected += has(n, i, 0) && rows.get(n - 1).get(i)[0] < 30 ? 1 : 0;
                }
            }
            JsonNode c = ask(
                    "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\"<\",\"value\":30}],"
                            + "\"aggregate\":{\"type\":\"count\"}}",
                    3);
            assertEquals(3, c.path("participants").asInt(), c.toString());
            assertEquals(expected, c.path("value").asLong(), c.toString());
        } finally {
            ok("node", "policy", uid(4), "--off", "min-rows");
        }
    }

    @Test
    @Order(9)
    void manualChoicesWithOneDecline() throws Exception {
        CliRun p = formix(
                "comp",
                "propose",
                "--prompt",
                "which?",
                "--query",
                "{\"dataset\":\"vote\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"a\",\"b\",\"c\"]}}",
                "--threshold",
                "3",
                "--deadline",
                "30s",
                "--grace",
                "2s",
                "--json");
        assertEquals(0, p.code(), p.toString());
        String id = Main.JSON.readTree(p.out()).path("id").asText();
        String[] votes = {"a", "b", "a"};
        for (int n = 1; n <= 3; n++) {
            answerWhenInInbox(id, n, "--choice", votes[n - 1]);
        }
        waitInInbox(id, 4);
        ok("comp", "decline", id, "--node", uid(4), "--reason", "not today");
        CliRun w = formix("comp", "watch", id, "--json");
        JsonNode c = Main.JSON.readTree(w.out());
        assertEquals("revealed", c.path("status").asText(), w.toString());
        assertEquals(3, c.path("participants").asInt());
        JsonNode counts = c.path("value").path("counts");
        assertEquals(
                List.of(2L, 1L, 0L),
                List.of(
                        counts.path(0).asLong(),
                        counts.path(1).asLong(),
                        counts.path(2).asLong()));
    }

    private void answerWhenInInbox(String id, int node, String... answer) throws Exception {
        waitInInbox(id, node);
        ok("comp", "review", id, "--node", uid(node)); // an answer binds to the proposal its owner reviewed
        List<String> args = new ArrayList<>(List.of("comp", "answer", id, "--node", uid(node)));
        args.addAll(List.of(answer));
        ok(args.toArray(String[]::new));
    }

    /** Polls the owner's inbox (the CLI, as a person would) until {@code id} is there; bounded by the test's timeout. */
    private void waitInInbox(String id, int node) throws Exception {
        while (true) {
            JsonNode inbox = Main.JSON.readTree(
                    ok("comp", "inbox", "--node", uid(node), "--json").out());
            for (JsonNode c : inbox) {
                if (id.equals(c.path("id").asText())) {
                    return;
                }
            }
            Thread.sleep(100); // a person polling; the arrival is another process's
        }
    }

    @Test
    @Order(10)
    void aDifferentiallyPrivateCountIsNearTheTruth() throws Exception {
        long expected = 0;
        for (List<long[]> mine : rows) {
            expected += mine.size();
        }
        JsonNode c = ask("{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"count\"}}", LIGHTS, "--dp-epsilon", "1");
        long noisy = c.path("value").asLong();
        // three heavy nodes each add discrete Laplace noise of scale 1/ε = 1: |noise| > 30 has
        // probability below 3·e^-10
        assertTrue(Math.abs(noisy - expected) <= 30, noisy + " vs " + expected);
        assertEquals("discrete-laplace", c.path("dp").path("mechanism").asText(), c.toString());
    }

    @Test
    @Order(11)
    void aListedProposerIsAnsweredAndAnUnlistedOneDeclined() throws Exception {
        ok("node", "policy", uid(3), "--proposers", uid(1));
        ok("node", "policy", uid(4), "--proposers", uid(2));
        try {
            long expected = 0;
            for (int n = 1; n <= 3; n++) {
                expected += rows.get(n - 1).size();
            }
            JsonNode c = ask("{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"count\"}}", 3, "--from", uid(1));
            assertEquals(3, c.path("participants").asInt(), "light-0004's list excludes light-0001: " + c);
            assertEquals(expected, c.path("value").asLong(), c.toString());
            String id = c.path("id").asText();
            JsonNode shown =
                    Main.JSON.readTree(ok("node", "show", uid(3), "--json").out());
            boolean found = false;
            for (JsonNode a : shown.path("answers")) {
                if (id.equals(a.path("computation").asText())) {
                    found = true;
                    assertEquals("count", a.path("type").asText(), a.toString());
                    assertEquals(rows.get(2).size(), a.path("value").asLong(), "its own count, shown to its owner");
                }
            }
            assertTrue(found, "node show lists the query answer: " + shown);
        } finally {
            ok("node", "policy", uid(3), "--off", "proposers");
            ok("node", "policy", uid(4), "--off", "proposers");
        }
    }
}
