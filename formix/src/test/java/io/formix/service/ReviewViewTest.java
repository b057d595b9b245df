package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.data.Column;
import io.formix.data.ColumnType;
import io.formix.data.Descriptor;
import io.formix.data.SourceKind;
import io.formix.dp.NoiseSpec;
import io.formix.policy.Control;
import io.formix.policy.DisclosurePolicy;
import io.formix.policy.ProposalFacts;
import io.formix.policy.ProposalHash;
import io.formix.policy.Usage;
import io.formix.query.Answer;
import io.formix.query.Query;
import io.formix.query.QueryParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The owner's review of one proposal, rendered from its parts without a node or a file. */
class ReviewViewTest {

    static final Query MEAN = QueryParser.parse(
            "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\","
                    + "\"value\":65}],\"aggregate\":{\"type\":\"mean\",\"column\":\"fee\",\"min\":10,\"max\":60,\"decimals\":2}}");
    static final Descriptor PATIENTS = new Descriptor(
            "patients", List.of(new Column("age", ColumnType.INTEGER), new Column("fee", ColumnType.DECIMAL)));
    static final List<String> HEAVY = List.of("heavy-1", "heavy-2", "heavy-3");
    static final ProposalFacts FACTS =
            new ProposalFacts("c1", "light-0009", 5, null, Instant.parse("2026-03-01T12:00:00Z"));

    static ReviewView review(DisclosurePolicy p, ProposalFacts f, NoiseSpec noise, Answer a, String failure) {
        return ReviewView.of(
                "light-0001",
                "Mean fee of patients over 65?",
                MEAN,
                PATIENTS,
                SourceKind.CSV,
                HEAVY,
                f,
                noise,
                p,
                Usage.NONE,
                a,
                failure);
    }

    @Test
    void aPassingReviewSaysWhatIsSharedWithWhomAndWhatWouldBeSent() {
        Answer a = new Answer(new long[] {20000, 6}, 9, 7, 1, 1);
        ReviewView r = review(DisclosurePolicy.RECOMMENDED, FACTS, null, a, null);
        assertTrue(r.approved());
        assertNull(r.reason());
        assertNull(r.wireReason());
        assertEquals("{\"sum\":200.00,\"count\":6,\"mean\":33.33}", r.value().toString());
        assertEquals(2, r.cells());
        assertEquals(List.of("columns", "types", "proposers", "max-epsilon"), r.off());
        assertEquals(ProposalHash.of("Mean fee of patients over 65?", MEAN, 5, HEAVY, null), r.proposalHash());
        List<String> lines = r.lines();
        assertEquals("Question   Mean fee of patients over 65?", lines.get(0));
        assertEquals(
                "Runs on    dataset patients (csv; 9 rows read, 7 matching, 1 missing value(s) skipped, 1 clamped)",
                lines.get(1));
        assertTrue(
                lines.get(2)
                        .startsWith("Computes   mean of fee (each clamped to [10, 60], 2 decimals) over rows of "
                                + "patients where age ≥ 65"),
                lines.get(2));
        assertTrue(
                lines.get(3)
                        .startsWith("Shares     2 numbers mod 2^64, one random share of each to heavy-1, heavy-2, "
                                + "heavy-3"),
                lines.get(3));
        assertEquals("Revealed   only the total over at least 5 light nodes; no noise requested", lines.get(4));
        assertEquals(
                "Answer     {\"sum\":200.00,\"count\":6,\"mean\":33.33}  (computed here; nothing was sent)",
                lines.get(5));
        assertEquals(
                "Policy     passes (threshold 5 ≥ your min 3; 0 of 20 computations on patients today; "
                        + "6 contributing rows ≥ min 5)",
                lines.get(6));
        assertTrue(lines.get(7).startsWith("Off        columns, types, proposers, max-epsilon"), lines.get(7));
        assertTrue(lines.get(8).startsWith("Hash       " + r.proposalHash()), lines.get(8));
    }

    @Test
    void aDeclineShowsTheOwnersReasonAndTheGenericOneAndStillTheAnswer() {
        Answer a = new Answer(new long[] {9000, 2}, 9, 3, 1, 0);
        ReviewView r = review(DisclosurePolicy.OFF.with(Control.MIN_ROWS, 3L), FACTS, null, a, null);
        assertFalse(r.approved());
        assertEquals("min-rows: 2 contributing rows, below your minimum 3", r.reason());
        assertEquals("declined by the data owner's policy", r.wireReason());
        assertTrue(
                r.lines().get(6).startsWith("Policy     declines: min-rows: 2 contributing rows"),
                r.lines().get(6));
        assertEquals("{\"sum\":90.00,\"count\":2,\"mean\":45.00}", r.value().toString(), "the owner still sees it");
    }

    @Test
    void aFailedEvaluationIsADeclineAndNoiseIsShown() {
        ProposalFacts dp = new ProposalFacts("c1", "light-0009", 5, BigDecimal.ONE, FACTS.now());
        ReviewView r = review(
                DisclosurePolicy.OFF,
                dp,
                NoiseSpec.of(MEAN.aggregate(), BigDecimal.ONE),
                null,
                "patients.csv line 3: 1 field where the header has 2");
        assertFalse(r.approved());
        assertNull(r.value());
        assertEquals("the local evaluation failed: patients.csv line 3: 1 field where the header has 2", r.reason());
        assertEquals(
                "Answer     none — patients.csv line 3: 1 field where the header has 2",
                r.lines().get(5));
        assertEquals(
                "Revealed   only the total over at least 5 light nodes; each heavy node adds discrete-laplace "
                        + "noise of scale [12000, 2] (ε 1 per row)",
                r.lines().get(4));
        assertTrue(
                !r.proposalHash()
                        .equals(review(
                                        DisclosurePolicy.OFF,
                                        FACTS,
                                        null,
                                        new Answer(new long[] {0, 0}, 0, 0, 0, 0),
                                        null)
                                .proposalHash()),
                "asking for DP is part of what is approved");
        assertThrows(IllegalArgumentException.class, () -> review(DisclosurePolicy.OFF, FACTS, null, null, null));
    }
}
