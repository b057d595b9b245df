package io.formix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.data.SourceKind;
import io.formix.query.Answer;
import io.formix.query.Query;
import io.formix.query.QueryParser;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every control of {@link PolicyCheck} at its edge, and the controls that are off. */
class PolicyCheckTest {

    static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");
    static final Query COUNT =
            QueryParser.parse("{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\","
                    + "\"value\":65}],\"aggregate\":{\"type\":\"count\"}}");
    static final Query SUM = QueryParser.parse("{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"sum\","
            + "\"column\":\"fee\",\"min\":0,\"max\":100,\"decimals\":2}}");
    static final Query MEAN = QueryParser.parse("{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"mean\","
            + "\"column\":\"fee\",\"min\":0,\"max\":100,\"decimals\":2}}");
    static final Query HIST = QueryParser.parse("{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"histogram\","
            + "\"column\":\"age\",\"edges\":[0,18,65]}}");

    static ProposalFacts facts(long threshold) {
        return new ProposalFacts("c1", "light-0009", threshold, null, NOON);
    }

    static ProposalFacts dp(String epsilon) {
        return new ProposalFacts("c1", "light-0009", 3, new BigDecimal(epsilon), NOON);
    }

    static Answer count(long n) {
        return new Answer(new long[] {n}, 100, n, 0, 0);
    }

    static Verdict check(DisclosurePolicy p, Query q, ProposalFacts f, Answer a) {
        return PolicyCheck.check(p, q, f, a, SourceKind.CSV, Usage.NONE);
    }

    @Test
    void everyControlIsOffByDefaultAndOffApprovesAnything() {
        assertEquals(List.of(Control.values()), DisclosurePolicy.OFF.off());
        Verdict v = check(DisclosurePolicy.OFF, HIST, facts(1), new Answer(new long[] {1, 1, 1, 1, 1}, 5, 5, 1, 0));
        assertTrue(v.approved());
        assertNull(v.wireReason());
        assertEquals("approved by policy", v.ownerReason());
        assertEquals(List.of(), v.passed(), "nothing was checked");
    }

    @Test
    void minRowsDeclinesBelowTheMinimumButNotAtItNorAtZero() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.MIN_ROWS, 5L);
        Verdict below = check(p, COUNT, facts(3), count(4));
        assertFalse(below.approved());
        assertEquals(Control.MIN_ROWS, below.control());
        assertEquals(Verdict.GENERIC, below.wireReason());
        assertEquals("min-rows: 4 contributing rows, below your minimum 5", below.ownerReason());
        assertFalse(below.wireReason().contains("4"), "the wire learns nothing of the data");
        assertTrue(check(p, COUNT, facts(3), count(5)).approved());
        assertTrue(check(p, COUNT, facts(3), count(0)).approved(), "no matching row: nothing to protect");
        assertFalse(check(p, COUNT, facts(3), count(1)).approved());
    }

    @Test
    void minRowsCountsTheRowsThatContribute() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.MIN_ROWS, 3L);
        // a sum over 4 matching rows of which 2 are blank: 2 values make it
        Answer sum = new Answer(new long[] {5000}, 10, 4, 2, 0);
        assertFalse(check(p, SUM, facts(3), sum).approved());
        assertTrue(check(p, SUM, facts(3), new Answer(new long[] {5000}, 10, 5, 2, 0))
                .approved());
        assertEquals(2, PolicyCheck.contributingRows(SUM.aggregate(), sum, SourceKind.CSV));
        assertNull(PolicyCheck.contributingRows(SUM.aggregate(), sum, SourceKind.COMMAND), "a command does not say");
        assertTrue(PolicyCheck.check(p, SUM, facts(3), sum, SourceKind.COMMAND, Usage.NONE)
                .approved());
        // a mean: its count cell
        assertFalse(check(p, MEAN, facts(3), new Answer(new long[] {5000, 2}, 9, 9, 7, 0))
                .approved());
        assertTrue(check(p, MEAN, facts(3), new Answer(new long[] {5000, 3}, 9, 9, 6, 0))
                .approved());
        // a histogram: all its cells, missing included
        assertFalse(check(p, HIST, facts(3), new Answer(new long[] {0, 0, 1, 0, 1}, 2, 2, 1, 0))
                .approved());
        assertTrue(check(p, HIST, facts(3), new Answer(new long[] {0, 0, 2, 0, 1}, 3, 3, 1, 0))
                .approved());
    }

    @Test
    void minCellDeclinesAHistogramWithACellOfOneToKMinusOne() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.MIN_CELL, 3L);
        Verdict v = check(p, HIST, facts(3), new Answer(new long[] {3, 0, 2, 5, 0}, 10, 10, 0, 0));
        assertFalse(v.approved());
        assertEquals("min-cell: histogram cell 3 of 5 holds 2 rows, below your minimum 3", v.ownerReason());
        assertTrue(
                check(p, HIST, facts(3), new Answer(new long[] {3, 0, 3, 5, 0}, 11, 11, 0, 0))
                        .approved(),
                "k itself passes, and empty cells pass");
        Verdict missing = check(p, HIST, facts(3), new Answer(new long[] {3, 3, 3, 3, 1}, 13, 13, 1, 0));
        assertFalse(missing.approved(), "the missing cell is a cell too");
        assertTrue(check(p, COUNT, facts(3), count(1)).approved(), "min-cell is for histograms only");
    }

    @Test
    void minThresholdAtItsEdge() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.MIN_THRESHOLD, 5L);
        Verdict v = check(p, COUNT, facts(4), count(9));
        assertFalse(v.approved());
        assertEquals("min-threshold: threshold 4 is below your minimum 5", v.ownerReason());
        Verdict ok = check(p, COUNT, facts(5), count(9));
        assertTrue(ok.approved());
        assertEquals(List.of("threshold 5 ≥ your min 5"), ok.passed());
    }

    @Test
    void allowedColumnsCoverTermsAndTheAggregate() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.COLUMNS, List.of("age"));
        assertTrue(check(p, COUNT, facts(3), count(9)).approved());
        assertTrue(check(p, HIST, facts(3), new Answer(new long[] {9, 9, 9, 9, 9}, 45, 45, 9, 0))
                .approved());
        Verdict v = check(p, SUM, facts(3), new Answer(new long[] {1}, 9, 9, 0, 0));
        assertFalse(v.approved());
        assertEquals("columns: the query reads column fee, not in your list", v.ownerReason());
        Query where = QueryParser.parse("{\"dataset\":\"patients\",\"where\":[{\"column\":\"sex\",\"op\":\"=\","
                + "\"value\":\"F\"}],\"aggregate\":{\"type\":\"count\"}}");
        assertFalse(check(p, where, facts(3), count(9)).approved(), "a where column counts");
    }

    @Test
    void allowedTypes() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.TYPES, List.of("count", "mean"));
        assertTrue(check(p, COUNT, facts(3), count(9)).approved());
        assertTrue(check(p, MEAN, facts(3), new Answer(new long[] {1, 9}, 9, 9, 0, 0))
                .approved());
        Verdict v = check(p, SUM, facts(3), new Answer(new long[] {1}, 9, 9, 0, 0));
        assertEquals(Control.TYPES, v.control());
        assertThrows(PolicyException.class, () -> DisclosurePolicy.OFF.with(Control.TYPES, List.of("median")));
    }

    @Test
    void proposerAllowList() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.PROPOSERS, List.of("light-0009", "heavy-1"));
        assertTrue(check(p, COUNT, facts(3), count(9)).approved());
        Verdict other = check(p, COUNT, new ProposalFacts("c1", "light-0010", 3, null, NOON), count(9));
        assertFalse(other.approved());
        assertEquals("proposers: proposer light-0010 is not in your list", other.ownerReason());
        assertFalse(
                check(p, COUNT, new ProposalFacts("c1", null, 3, null, NOON), count(9))
                        .approved(),
                "an unknown proposer is not on any list");
        assertThrows(PolicyException.class, () -> DisclosurePolicy.OFF.with(Control.PROPOSERS, List.of("../x")));
    }

    @Test
    void maxPerDayAtItsEdge() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.MAX_PER_DAY, 2L);
        assertTrue(PolicyCheck.check(p, COUNT, facts(3), count(9), SourceKind.CSV, new Usage(1, BigDecimal.ZERO))
                .approved());
        Verdict v = PolicyCheck.check(p, COUNT, facts(3), count(9), SourceKind.CSV, new Usage(2, BigDecimal.ZERO));
        assertFalse(v.approved());
        assertEquals("max-per-day: 2 computations on patients today already, your maximum is 2", v.ownerReason());
    }

    @Test
    void maxEpsilonNeedsDpAndDeclinesOnceSpent() {
        DisclosurePolicy p = DisclosurePolicy.OFF.with(Control.MAX_EPSILON, new BigDecimal("1.0"));
        assertEquals(
                Control.MAX_EPSILON,
                check(p, COUNT, facts(3), count(9)).control(),
                "without differential privacy, a budget declines");
        Usage used = new Usage(0, new BigDecimal("0.7"));
        assertTrue(
                PolicyCheck.check(p, COUNT, dp("0.3"), count(9), SourceKind.CSV, used)
                        .approved(),
                "exactly spent");
        Verdict over = PolicyCheck.check(p, COUNT, dp("0.31"), count(9), SourceKind.CSV, used);
        assertFalse(over.approved());
        assertEquals("max-epsilon: ε budget of patients spent: 0.7 of 1 used, this asks 0.31", over.ownerReason());
    }

    @Test
    void dataIndependentControlsComeFirst() {
        DisclosurePolicy p = DisclosurePolicy.RECOMMENDED;
        Verdict v = check(p, COUNT, facts(2), count(1));
        assertEquals(Control.MIN_THRESHOLD, v.control(), "threshold before rows");
        assertEquals(
                Control.MIN_THRESHOLD,
                PolicyCheck.beforeAnswer(p, COUNT, facts(2), Usage.NONE).control());
        assertTrue(PolicyCheck.beforeAnswer(p, COUNT, facts(3), Usage.NONE).approved());
    }

    @Test
    void everyDeclineCarriesTheSameGenericReasonOnTheWire() {
        DisclosurePolicy all = new DisclosurePolicy(
                5L, 5L, 5L, List.of("age"), List.of("count", "histogram"), List.of("light-0009"), 1L, BigDecimal.ONE);
        List<Verdict> declines = List.of(
                check(all, COUNT, new ProposalFacts("c1", "light-0010", 5, BigDecimal.ONE, NOON), count(9)),
                check(all, SUM, new ProposalFacts("c1", "light-0009", 5, BigDecimal.ONE, NOON), count(9)),
                check(
                        all,
                        QueryParser.parse("{\"dataset\":\"patients\",\"where\":[{\"column\":\"fee\",\"op\":\">\","
                                + "\"value\":1}],\"aggregate\":{\"type\":\"count\"}}"),
                        dp("1"),
                        count(9)),
                check(all, COUNT, new ProposalFacts("c1", "light-0009", 4, BigDecimal.ONE, NOON), count(9)),
                check(all, COUNT, new ProposalFacts("c1", "light-0009", 5, null, NOON), count(9)),
                PolicyCheck.check(
                        all,
                        COUNT,
                        new ProposalFacts("c1", "light-0009", 5, BigDecimal.ONE, NOON),
                        count(9),
                        SourceKind.CSV,
                        new Usage(1, BigDecimal.ZERO)),
                check(all, COUNT, new ProposalFacts("c1", "light-0009", 5, BigDecimal.ONE, NOON), count(4)),
                check(
                        all,
                        HIST,
                        new ProposalFacts("c1", "light-0009", 5, BigDecimal.ONE, NOON),
                        new Answer(new long[] {5, 4, 5, 5, 5}, 24, 24, 5, 0)));
        assertEquals(
                List.of(
                        Control.PROPOSERS,
                        Control.TYPES,
                        Control.COLUMNS,
                        Control.MIN_THRESHOLD,
                        Control.MAX_EPSILON,
                        Control.MAX_PER_DAY,
                        Control.MIN_ROWS,
                        Control.MIN_CELL),
                declines.stream().map(Verdict::control).toList(),
                "one decline per control");
        for (Verdict v : declines) {
            assertEquals("declined by the data owner's policy", v.wireReason());
        }
        assertTrue(
                check(all, COUNT, new ProposalFacts("c1", "light-0009", 5, BigDecimal.ONE, NOON), count(5))
                        .approved(),
                "and everything at its edge passes");
    }

    @Test
    void recommendedIsOneSetAndStoresRoundTrip() {
        DisclosurePolicy r = DisclosurePolicy.RECOMMENDED;
        assertEquals(List.of(Control.COLUMNS, Control.TYPES, Control.PROPOSERS, Control.MAX_EPSILON), r.off());
        DisclosurePolicy mine = r.overlay(DisclosurePolicy.OFF
                .with(Control.MIN_ROWS, 10L)
                .with(Control.COLUMNS, List.of("age", "fee", "age"))
                .with(Control.MAX_EPSILON, new BigDecimal("2.50")));
        assertEquals(10L, mine.minRows());
        assertEquals(3L, mine.minThreshold());
        assertEquals(List.of("age", "fee"), mine.columns(), "duplicates dropped");
        assertEquals("2.5", mine.maxEpsilon().toPlainString());
        assertEquals(mine, DisclosurePolicy.fromJson(mine.toJson()));
        assertEquals(DisclosurePolicy.OFF, DisclosurePolicy.fromJson("{}"));
        assertEquals(Control.MIN_ROWS, Control.parse("min-rows"));
        assertTrue(assertThrows(PolicyException.class, () -> Control.parse("min-row"))
                .getMessage()
                .contains("min-threshold, min-rows"));
        assertThrows(PolicyException.class, () -> DisclosurePolicy.OFF.with(Control.MIN_ROWS, 0L));
        assertThrows(PolicyException.class, () -> DisclosurePolicy.OFF.with(Control.COLUMNS, List.of()));
        assertThrows(PolicyException.class, () -> DisclosurePolicy.OFF.with(Control.MAX_EPSILON, BigDecimal.ZERO));
        assertThrows(PolicyException.class, () -> DisclosurePolicy.fromJson("{\"min-rows\":\"x\"}"));
    }
}
