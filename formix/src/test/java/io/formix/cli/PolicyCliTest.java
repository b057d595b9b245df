package io.formix.cli;

import static io.formix.cli.DataCliTest.json;
import static io.formix.cli.DataCliTest.oneLineError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.data.SourceKind;
import io.formix.policy.PolicyStore;
import io.formix.policy.ProposalFacts;
import io.formix.query.Answer;
import io.formix.query.QueryParser;
import io.formix.state.FormixHome;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Black-box tests of {@code formix node policy} and {@code formix data review} through picocli's execute(). */
@Timeout(60)
class PolicyCliTest {

    @TempDir
    Path home;

    @TempDir
    Path data;

    @BeforeEach
    void network() throws Exception {
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3")
                        .code());
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "light", "--count", "2")
                        .code());
        Path patients = data.resolve("patients.csv");
        Files.writeString(patients, "id,age,fee\n1,70,22.50\n2,64,31.25\n3,65,\n4,30,18.75\n");
        assertEquals(
                0,
                CliRun.run(home, "data", "add", "light-0001", "--name", "patients", "--csv", patients.toString())
                        .code());
    }

    @Test
    void everyControlIsOffUntilSetAndTheViewSaysSo() throws Exception {
        CliRun show = CliRun.run(home, "node", "policy", "light-0001");
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().startsWith("disclosure policy of light-0001 — every control is off"), show.out());
        assertTrue(show.out().contains("  min-rows       off"), show.out());
        assertTrue(
                show.out()
                        .contains("off: min-threshold, min-rows, min-cell, columns, types, proposers, max-per-day, "
                                + "max-epsilon"),
                show.out());
        JsonNode j = json(CliRun.run(home, "node", "policy", "light-0001", "--json"));
        assertEquals("light-0001", j.get("node").asText());
        assertEquals(8, j.get("off").size());
        assertTrue(j.get("controls").get("min-rows").isNull());
        assertEquals(0, j.get("usage").size());
    }

    @Test
    void setRecommendedOverrideAndTurnOff() throws Exception {
        CliRun set = CliRun.run(
                home,
                "node",
                "policy",
                "light-0001",
                "--recommended",
                "--min-rows",
                "10",
                "--columns",
                "age,fee",
                "--types",
                "count,mean",
                "--max-epsilon",
                "2.5",
                "--json");
        assertEquals(0, set.code(), set.toString());
        JsonNode c = json(set).get("controls");
        assertEquals(3, c.get("min-threshold").asLong());
        assertEquals(10, c.get("min-rows").asLong(), "an option beside --recommended wins");
        assertEquals(5, c.get("min-cell").asLong());
        assertEquals(20, c.get("max-per-day").asLong());
        assertEquals("age", c.get("columns").get(0).asText());
        assertEquals("mean", c.get("types").get(1).asText());
        assertEquals("2.5", c.get("max-epsilon").asText());
        assertEquals("[\"proposers\"]", json(set).get("off").toString());

        CliRun off =
                CliRun.run(home, "node", "policy", "light-0001", "--off", "min-cell,max-epsilon", "--off", "types");
        assertEquals(0, off.code(), off.toString());
        assertTrue(off.out().startsWith("updated the disclosure policy of light-0001"), off.out());
        assertTrue(
                off.out().contains("  min-rows       10           decline when 0 < contributing rows < 10"), off.out());
        assertTrue(off.out().contains("off: min-cell, types, proposers, max-epsilon"), off.out());

        JsonNode kept =
                json(CliRun.run(home, "node", "policy", "light-0001", "--json")).get("controls");
        assertEquals(10, kept.get("min-rows").asLong(), "kept in node.db");
        assertTrue(kept.get("min-cell").isNull());
        assertTrue(
                json(CliRun.run(home, "node", "policy", "light-0002", "--json"))
                        .get("controls")
                        .get("min-rows")
                        .isNull(),
                "per node");
    }

    @Test
    void theLedgerIsShownPerDataset() throws Exception {
        assertEquals(
                0,
                CliRun.run(home, "node", "policy", "light-0001", "--max-epsilon", "2")
                        .code());
        try (PolicyStore s = PolicyStore.open(FormixHome.of(home), PartyId.of("light-0001"))) {
            assertTrue(s.decide(
                            QueryParser.parse(DataCliTest.COUNT_65),
                            new ProposalFacts("c1", "light-0002", 3, new BigDecimal("0.75"), Instant.now()),
                            new Answer(new long[] {2}, 4, 2, 0, 0),
                            SourceKind.CSV)
                    .approved());
        }
        CliRun show = CliRun.run(home, "node", "policy", "light-0001");
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().contains("ledger: patients: 1 computation(s) today, ε 0.75 spent in all"), show.out());
        JsonNode u = json(CliRun.run(home, "node", "policy", "light-0001", "--json"))
                .get("usage")
                .get(0);
        assertEquals("patients", u.get("dataset").asText());
        assertEquals(1, u.get("today").asLong());
        assertEquals("0.75", u.get("epsilonSpent").decimalValue().toPlainString());
    }

    @Test
    void badSettingsAreOneLineErrorsWithTheDocumentedCodes() {
        oneLineError(
                CliRun.run(home, "node", "policy", "light-0001", "--min-rows", "0"),
                2,
                "--min-rows must be between 1 and");
        oneLineError(
                CliRun.run(home, "node", "policy", "light-0001", "--types", "count,median"),
                2,
                "'median' is not an answer type");
        oneLineError(
                CliRun.run(home, "node", "policy", "light-0001", "--proposers", "Light_1"), 2, "is not a node uid");
        oneLineError(
                CliRun.run(home, "node", "policy", "light-0001", "--max-epsilon", "-1"),
                2,
                "--max-epsilon must be a number above 0");
        oneLineError(
                CliRun.run(home, "node", "policy", "light-0001", "--off", "min-row"), 2, "no control named 'min-row'");
        oneLineError(
                CliRun.run(home, "node", "policy", "light-0001", "--min-rows", "3", "--off", "min-rows"),
                2,
                "contradict each other");
        oneLineError(CliRun.run(home, "node", "policy", "light-0001", "--min-rows", "x"), 2, "--min-rows");
        oneLineError(CliRun.run(home, "node", "policy", "heavy-1", "--min-rows", "3"), 4, "heavy-1 is a heavy node");
        oneLineError(CliRun.run(home, "node", "policy", "light-0042"), 3, "no node light-0042");
        oneLineError(CliRun.run(home, "node", "policy", "../x"), 2, "is not a node uid");
    }

    @Test
    void reviewShowsTheLocalAnswerThePolicyVerdictAndTheHash() throws Exception {
        String q = DataCliTest.COUNT_65;
        CliRun open = CliRun.run(
                home,
                "data",
                "review",
                "light-0001",
                "--query",
                q,
                "--prompt",
                "Patients over 65?",
                "--threshold",
                "3");
        assertEquals(0, open.code(), open.toString());
        assertTrue(open.out().contains("Question   Patients over 65?"), open.out());
        assertTrue(open.out().contains("Computes   count rows of patients where age ≥ 65"), open.out());
        assertTrue(open.out().contains("one random share of each to heavy-1, heavy-2, heavy-3"), open.out());
        assertTrue(open.out().contains("Answer     2  (computed here; nothing was sent)"), open.out());
        assertTrue(open.out().contains("Policy     passes (every control is off)"), open.out());

        assertEquals(
                0,
                CliRun.run(home, "node", "policy", "light-0001", "--min-rows", "3")
                        .code());
        CliRun declined = CliRun.run(
                home,
                "data",
                "review",
                "light-0001",
                "--query",
                q,
                "--prompt",
                "Patients over 65?",
                "--threshold",
                "3",
                "--json");
        assertEquals(0, declined.code(), declined.toString());
        JsonNode r = json(declined);
        assertFalse(r.get("approved").asBoolean());
        assertEquals(
                "min-rows: 2 contributing rows, below your minimum 3",
                r.get("reason").asText());
        assertEquals("declined by the data owner's policy", r.get("wireReason").asText());
        assertEquals(2, r.get("value").asLong());
        assertEquals(64, r.get("proposalHash").asText().length());
        assertFalse(r.get("off").toString().contains("min-rows"));

        JsonNode other = json(CliRun.run(
                home,
                "data",
                "review",
                "light-0001",
                "--query",
                q,
                "--prompt",
                "Patients over 65?",
                "--threshold",
                "4",
                "--json"));
        assertFalse(r.get("proposalHash").equals(other.get("proposalHash")), "a changed threshold, a new hash");
        JsonNode dp = json(CliRun.run(
                home,
                "data",
                "review",
                "light-0001",
                "--query",
                q,
                "--prompt",
                "Patients over 65?",
                "--threshold",
                "3",
                "--dp-epsilon",
                "0.5",
                "--json"));
        assertEquals("discrete-laplace", dp.get("noise").get("mechanism").asText());
        assertEquals(2, dp.get("noise").get("scale").asLong());

        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "review",
                        "light-0001",
                        "--query",
                        q.replace("patients", "nope"),
                        "--prompt",
                        "x",
                        "--threshold",
                        "3"),
                3,
                "no dataset nope on light-0001");
        oneLineError(
                CliRun.run(home, "data", "review", "light-0001", "--query", q, "--prompt", "x", "--threshold", "0"),
                2,
                "--threshold must be at least 1");
        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "review",
                        "light-0001",
                        "--query",
                        q,
                        "--prompt",
                        "x",
                        "--threshold",
                        "3",
                        "--heavy",
                        "heavy-1,heavy-1,heavy-2"),
                2,
                "three distinct heavy nodes");
    }
}
