package io.formix.cli;

import static io.formix.cli.DataCliTest.json;
import static io.formix.cli.DataCliTest.oneLineError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.policy.Verdict;
import io.formix.query.Canonical;
import io.formix.query.QueryParser;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.LightStore.Asked;
import io.formix.state.LightStore.State;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box tests of the owner's commands ({@code comp inbox/review/approve/decline/answer}) on
 * computations a light node holds in its {@code node.db}, written there as the running node would.
 */
@Timeout(60)
class OwnerCliTest {

    static final PartyId LIGHT = PartyId.of("light-0001");
    static final List<PartyId> HEAVY = List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));
    static final String COUNT_65 =
            "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
                    + "\"aggregate\":{\"type\":\"count\"}}";
    static final String CHOICE =
            "{\"dataset\":\"commute\",\"aggregate\":{\"type\":\"choice\",\"categories\":" + "[\"bike\",\"car\"]}}";

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
        Files.writeString(patients, "id,age\n1,70\n2,64\n3,65\n4,30\n");
        assertEquals(
                0,
                CliRun.run(home, "data", "add", "light-0001", "--name", "patients", "--csv", patients.toString())
                        .code());
        assertEquals(
                0,
                CliRun.run(home, "data", "add", "light-0001", "--name", "commute", "--manual")
                        .code());
    }

    /** Records computation {@code id} in light-0001's node.db as the node does when it arrives. */
    void received(String id, String query, long deadline) {
        try (LightStore s = LightStore.open(FormixHome.of(home), LIGHT)) {
            String canonical = query == null ? null : Canonical.json(QueryParser.parse(query));
            if (canonical == null) {
                s.receive(id, "pick a number", "{\"type\":\"integer\"}", deadline, HEAVY, State.PENDING, 1);
            } else {
                s.receiveQuery(
                        id,
                        "how many?",
                        "{\"type\":\"integer\"}",
                        "additive-3-z64",
                        deadline,
                        HEAVY,
                        Asked.of(canonical, null, 3),
                        State.PENDING,
                        null,
                        1);
            }
        }
    }

    /** As {@link #received}, for a query computation whose compute named {@code proposer} (null: none). */
    void receivedFrom(String id, String proposer) {
        try (LightStore s = LightStore.open(FormixHome.of(home), LIGHT)) {
            s.receiveQuery(
                    id,
                    "how many?",
                    "{\"type\":\"integer\"}",
                    "additive-3-z64",
                    later(),
                    HEAVY,
                    Asked.of(Canonical.json(QueryParser.parse(COUNT_65)), null, 3)
                            .withProposer(proposer),
                    State.PENDING,
                    null,
                    1);
        }
    }

    @Test
    void theInboxAndTheReviewShowTheProposerAndTheReviewChecksItAgainstTheList() throws Exception {
        receivedFrom("c00000001", "light-0002");
        receivedFrom("c00000002", null);
        assertEquals(
                0,
                CliRun.run(home, "node", "policy", "light-0001", "--proposers", "light-0002")
                        .code());
        CliRun inbox = CliRun.run(home, "comp", "inbox", "--node", "light-0001");
        assertTrue(inbox.out().contains("from light-0002"), inbox.out());
        assertTrue(inbox.out().contains("from unknown"), inbox.out());
        JsonNode j = json(CliRun.run(home, "comp", "inbox", "--node", "light-0001", "--json"));
        assertEquals("light-0002", j.get(0).get("proposer").asText());
        assertTrue(j.get(1).get("proposer").isNull(), j.toString());

        CliRun listed = CliRun.run(home, "comp", "review", "c00000001", "--node", "light-0001");
        assertTrue(listed.out().contains("Proposer   light-0002"), listed.out());
        assertTrue(listed.out().contains("Policy     passes (proposer light-0002 allowed"), listed.out());
        CliRun unknown = CliRun.run(home, "comp", "review", "c00000002", "--node", "light-0001");
        assertTrue(unknown.out().contains("Proposer   unknown"), unknown.out());
        assertTrue(unknown.out().contains("declines: proposers: proposer unknown is not in your list"), unknown.out());
    }

    LightStore.Entry entry(String id) {
        try (LightStore s = LightStore.open(FormixHome.of(home), LIGHT)) {
            return s.entry(id).orElseThrow();
        }
    }

    static long later() {
        return System.currentTimeMillis() + 3_600_000;
    }

    @Test
    void theInboxListsWhatWaitsAndTheReviewComputesTheAnswerLocallyAndRecordsTheHash() throws Exception {
        received("c00000001", COUNT_65, later());
        received("c00000002", CHOICE, later());
        received("c00000003", COUNT_65, System.currentTimeMillis() - 1);
        CliRun inbox = CliRun.run(home, "comp", "inbox", "--node", "light-0001");
        assertEquals(0, inbox.code(), inbox.toString());
        assertTrue(inbox.out().contains("c00000001") && inbox.out().contains("c00000002"), inbox.out());
        assertTrue(!inbox.out().contains("c00000003"), "an expired computation waits for no one");
        JsonNode j = json(CliRun.run(home, "comp", "inbox", "--node", "light-0001", "--json"));
        assertEquals(2, j.size());
        assertEquals("patients", j.get(0).get("dataset").asText());
        assertEquals("review", j.get(0).get("needs").asText());
        assertEquals("answer", j.get(1).get("needs").asText());

        CliRun review = CliRun.run(home, "comp", "review", "c00000001", "--node", "light-0001");
        assertEquals(0, review.code(), review.toString());
        assertTrue(review.out().contains("Computes   count rows of patients where age ≥ 65"), review.out());
        assertTrue(review.out().contains("Answer     2  (computed here; nothing was sent)"), review.out());
        assertTrue(review.out().contains("Approval   manual"), review.out());
        JsonNode r = json(CliRun.run(home, "comp", "review", "c00000001", "--node", "light-0001", "--json"));
        String hash = r.get("review").get("proposalHash").asText();
        assertEquals(hash, entry("c00000001").asked().reviewedHash(), "the review recorded the hash it showed");
        assertEquals(2, r.get("review").get("value").asLong());
        assertTrue(r.get("review").get("off").size() == 8, "every control is off and the review says so");
        assertEquals(State.PENDING, entry("c00000001").state(), "a review decides nothing");
    }

    @Test
    void anApprovalBindsToTheReviewedHash() {
        received("c00000001", COUNT_65, later());
        oneLineError(
                CliRun.run(home, "comp", "approve", "c00000001", "--node", "light-0001"), 4, "review c00000001 first");
        oneLineError(
                CliRun.run(home, "comp", "approve", "c00000001", "--node", "light-0001", "--hash", "0".repeat(64)),
                4,
                "it is not the one you reviewed");
        oneLineError(
                CliRun.run(home, "comp", "approve", "c00000001", "--node", "light-0001", "--hash", "xyz"), 2, "--hash");
        assertEquals(
                0,
                CliRun.run(home, "comp", "review", "c00000001", "--node", "light-0001")
                        .code());
        CliRun ok = CliRun.run(home, "comp", "approve", "c00000001", "--node", "light-0001");
        assertEquals(0, ok.code(), ok.toString());
        LightStore.Entry e = entry("c00000001");
        assertEquals(State.APPROVED, e.state());
        assertEquals(e.asked().reviewedHash(), e.asked().approvedHash());
        assertNull(e.asked().cells(), "the node computes the answer itself");
        oneLineError(
                CliRun.run(home, "comp", "approve", "c00000001", "--node", "light-0001"), 4, "is already approved");
    }

    @Test
    void aDeclineKeepsTheOwnersReasonAndTellsTheHeavyNodesAGenericOne() {
        received("c00000001", COUNT_65, later());
        CliRun r =
                CliRun.run(home, "comp", "decline", "c00000001", "--node", "light-0001", "--reason", "not this month");
        assertEquals(0, r.code(), r.toString());
        LightStore.Entry e = entry("c00000001");
        assertEquals(State.REFUSED, e.state());
        assertEquals(Verdict.GENERIC, e.reason());
        assertEquals("declined by the owner: not this month", e.asked().detail());
        oneLineError(CliRun.run(home, "comp", "decline", "c00000001", "--node", "light-0001"), 4, "is already refused");
    }

    @Test
    void aManualSourceIsAnsweredByHandInTheQuerysType() {
        received("c00000002", CHOICE, later());
        assertEquals(
                0,
                CliRun.run(home, "comp", "review", "c00000002", "--node", "light-0001")
                        .code());
        oneLineError(
                CliRun.run(home, "comp", "approve", "c00000002", "--node", "light-0001"), 4, "is answered by hand");
        oneLineError(
                CliRun.run(home, "comp", "answer", "c00000002", "--node", "light-0001", "--choice", "plane"),
                2,
                "plane");
        oneLineError(
                CliRun.run(home, "comp", "answer", "c00000002", "--node", "light-0001", "--value", "7"), 2, "--value");
        oneLineError(CliRun.run(home, "comp", "answer", "c00000002", "--node", "light-0001"), 2, "exactly one");
        CliRun ok = CliRun.run(home, "comp", "answer", "c00000002", "--node", "light-0001", "--choice", "car");
        assertEquals(0, ok.code(), ok.toString());
        LightStore.Entry e = entry("c00000002");
        assertEquals(State.APPROVED, e.state());
        assertArrayEquals(new long[] {0, 1}, e.asked().cells());
        oneLineError(
                CliRun.run(home, "comp", "answer", "c00000002", "--node", "light-0001", "--choice", "bike"),
                4,
                "is already approved");
    }

    @Test
    void aCountIsAnsweredFromAFileAndAComputedSourceIsNotAnsweredByHand() throws Exception {
        received("c00000001", COUNT_65, later());
        oneLineError(
                CliRun.run(home, "comp", "answer", "c00000001", "--node", "light-0001", "--value", "3"),
                4,
                "is not answered by hand");
        String count = "{\"dataset\":\"commute\",\"aggregate\":{\"type\":\"count\"}}";
        received("c00000004", count, later());
        Path f = data.resolve("answer.txt");
        Files.writeString(f, "12\n");
        assertEquals(
                0,
                CliRun.run(home, "comp", "review", "c00000004", "--node", "light-0001")
                        .code());
        oneLineError(
                CliRun.run(home, "comp", "answer", "c00000004", "--node", "light-0001", "--value", "-1"), 2, "--value");
        CliRun ok = CliRun.run(home, "comp", "answer", "c00000004", "--node", "light-0001", "--file", f.toString());
        assertEquals(0, ok.code(), ok.toString());
        assertArrayEquals(new long[] {12}, entry("c00000004").asked().cells());
    }

    @Test
    void badInputIsOneLineWithItsExitCode() {
        received("c00000001", COUNT_65, later());
        received("c00000003", COUNT_65, System.currentTimeMillis() - 1);
        oneLineError(
                CliRun.run(home, "comp", "review", "c0000000f", "--node", "light-0001"),
                3,
                "light-0001 has not received c0000000f");
        oneLineError(CliRun.run(home, "comp", "approve", "c00000001", "--node", "light-0099"), 3, "no node light-0099");
        oneLineError(CliRun.run(home, "comp", "approve", "c00000001", "--node", "heavy-1"), 4, "is a heavy node");
        oneLineError(
                CliRun.run(home, "comp", "approve", "c00000001", "--node", "light-0002"),
                3,
                "light-0002 has received no computation yet");
        oneLineError(CliRun.run(home, "comp", "approve", "../etc", "--node", "light-0001"), 2, "not a computation id");
        oneLineError(CliRun.run(home, "comp", "approve", "c00000003", "--node", "light-0001"), 4, "expired");
        oneLineError(
                CliRun.run(home, "comp", "decline", "c00000001", "--node", "light-0001", "--reason", "x".repeat(600)),
                2,
                "--reason");
    }

    @Test
    void aComputationWithoutAQueryIsApprovedAndDeclinedAsBefore() {
        received("c00000005", null, later());
        oneLineError(CliRun.run(home, "comp", "review", "c00000005", "--node", "light-0001"), 4, "carries no query");
        CliRun ok = CliRun.run(home, "comp", "approve", "c00000005", "--node", "light-0001");
        assertEquals(0, ok.code(), ok.toString());
        assertEquals(State.APPROVED, entry("c00000005").state());
    }

    @Test
    void theApprovalModeIsSetWithThePolicyAndShownByTheReview() throws Exception {
        CliRun set = CliRun.run(home, "node", "policy", "light-0001", "--approval", "policy");
        assertEquals(0, set.code(), set.toString());
        assertTrue(set.out().contains("approval: policy"), set.out());
        assertEquals(
                "policy",
                json(CliRun.run(home, "node", "policy", "light-0001", "--json"))
                        .get("approval")
                        .asText());
        oneLineError(CliRun.run(home, "node", "policy", "light-0001", "--approval", "auto"), 2, "--approval");
        received("c00000001", COUNT_65, later());
        CliRun review = CliRun.run(home, "comp", "review", "c00000001", "--node", "light-0001");
        assertTrue(review.out().contains("Approval   policy"), review.out());
    }
}
