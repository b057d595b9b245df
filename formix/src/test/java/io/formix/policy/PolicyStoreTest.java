package io.formix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.data.DataSourceStore;
import io.formix.data.ManualSource;
import io.formix.data.SourceKind;
import io.formix.query.Answer;
import io.formix.state.FormixHome;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The policy and its ledger in node.db: the per-day counter across midnight, the ε ledger, atomic spending. */
@Timeout(60)
class PolicyStoreTest {

    @TempDir
    Path home;

    final PartyId uid = PartyId.of("light-0001");

    static ProposalFacts at(String id, String instant, String epsilon) {
        return new ProposalFacts(
                id, "light-0009", 3, epsilon == null ? null : new BigDecimal(epsilon), Instant.parse(instant));
    }

    @Test
    void offUntilSetAndBesideTheDataSources() {
        FormixHome h = FormixHome.of(home);
        try (DataSourceStore d = DataSourceStore.open(h, uid)) {
            assertTrue(d.add(ManualSource.define("survey"), 1));
        }
        try (PolicyStore s = PolicyStore.open(h, uid)) {
            assertEquals(DisclosurePolicy.OFF, s.policy());
            s.set(DisclosurePolicy.RECOMMENDED, Instant.EPOCH);
        }
        try (PolicyStore s = PolicyStore.open(h, uid);
                DataSourceStore d = DataSourceStore.open(h, uid)) {
            assertEquals(DisclosurePolicy.RECOMMENDED, s.policy());
            assertEquals(1, d.list().size(), "the data sources are untouched");
            s.set(DisclosurePolicy.OFF, Instant.EPOCH);
            assertEquals(DisclosurePolicy.OFF, s.policy());
        }
    }

    @Test
    void perDayCounterStartsAgainAtUtcMidnight() {
        try (PolicyStore s = PolicyStore.open(FormixHome.of(home), uid)) {
            s.set(DisclosurePolicy.OFF.with(Control.MAX_PER_DAY, 2L), Instant.EPOCH);
            Answer a = new Answer(new long[] {7}, 9, 7, 0, 0);
            assertTrue(s.decide(PolicyCheckTest.COUNT, at("c1", "2026-03-01T23:58:00Z", null), a, SourceKind.CSV)
                    .approved());
            assertTrue(s.decide(PolicyCheckTest.COUNT, at("c2", "2026-03-01T23:59:00Z", null), a, SourceKind.CSV)
                    .approved());
            Verdict third =
                    s.decide(PolicyCheckTest.COUNT, at("c3", "2026-03-01T23:59:59.999Z", null), a, SourceKind.CSV);
            assertFalse(third.approved());
            assertEquals(Control.MAX_PER_DAY, third.control());
            assertEquals(
                    2,
                    s.usage("patients", Instant.parse("2026-03-01T23:59:59.999Z"))
                            .answeredToday(),
                    "a decline is not counted");
            assertTrue(
                    s.decide(PolicyCheckTest.COUNT, at("c3", "2026-03-02T00:00:00Z", null), a, SourceKind.CSV)
                            .approved(),
                    "a new UTC day");
            assertEquals(
                    1,
                    s.usage("patients", Instant.parse("2026-03-02T00:00:00Z")).answeredToday());
            assertTrue(
                    s.decide(PolicyCheckTest.COUNT, at("c3", "2026-03-02T00:00:01Z", null), a, SourceKind.CSV)
                            .approved(),
                    "the same computation decided again is not counted twice");
            assertEquals(
                    1,
                    s.usage("patients", Instant.parse("2026-03-02T00:00:01Z")).answeredToday());
            assertEquals(
                    0, s.usage("visits", Instant.parse("2026-03-02T00:00:01Z")).answeredToday(), "per dataset");
        }
    }

    @Test
    void epsilonLedgerSpendsExactlyAndDeclinesOnceSpent() {
        try (PolicyStore s = PolicyStore.open(FormixHome.of(home), uid)) {
            s.set(DisclosurePolicy.OFF.with(Control.MAX_EPSILON, BigDecimal.ONE), Instant.EPOCH);
            Answer a = new Answer(new long[] {7}, 9, 7, 0, 0);
            for (int i = 0; i < 10; i++) {
                assertTrue(
                        s.decide(
                                        PolicyCheckTest.COUNT,
                                        at("c" + i, "2026-03-0" + (i % 3 + 1) + "T10:00:00Z", "0.1"),
                                        a,
                                        SourceKind.CSV)
                                .approved(),
                        "spend " + i);
            }
            assertEquals(
                    0,
                    new BigDecimal("1.0")
                            .compareTo(s.usage("patients", Instant.parse("2026-03-05T00:00:00Z"))
                                    .epsilonSpent()),
                    "ten times 0.1 is exactly 1, across days");
            Verdict v =
                    s.decide(PolicyCheckTest.COUNT, at("c10", "2026-04-01T10:00:00Z", "0.000001"), a, SourceKind.CSV);
            assertFalse(v.approved());
            assertEquals(Control.MAX_EPSILON, v.control());
            assertEquals(Verdict.GENERIC, v.wireReason());
            assertFalse(
                    s.decide(PolicyCheckTest.COUNT, at("c11", "2026-04-01T10:00:00Z", null), a, SourceKind.CSV)
                            .approved(),
                    "and no query without DP either");
            assertEquals(
                    List.of("patients"),
                    List.copyOf(s.usageByDataset(Instant.EPOCH).keySet()));
            assertTrue(s.record("patients", at("manual", "2026-04-01T10:00:00Z", "0.5")), "a release by hand");
            assertFalse(s.record("patients", at("manual", "2026-04-01T10:00:00Z", "0.5")), "recorded once");
            assertEquals(
                    0,
                    new BigDecimal("1.5")
                            .compareTo(s.usage("patients", Instant.EPOCH).epsilonSpent()));
        }
    }

    @Test
    void concurrentDecisionsNeverOverspend() throws Exception {
        FormixHome h = FormixHome.of(home);
        try (PolicyStore s = PolicyStore.open(h, uid)) {
            s.set(DisclosurePolicy.OFF.with(Control.MAX_EPSILON, new BigDecimal(3)), Instant.EPOCH);
        }
        Answer a = new Answer(new long[] {7}, 9, 7, 0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                String id = "c" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    try (PolicyStore s = PolicyStore.open(h, uid)) {
                        return s.decide(PolicyCheckTest.COUNT, at(id, "2026-03-01T10:00:00Z", "1"), a, SourceKind.CSV)
                                .approved();
                    }
                }));
            }
            go.countDown();
            int approved = 0;
            for (Future<Boolean> f : results) {
                approved += f.get() ? 1 : 0;
            }
            assertEquals(3, approved, "a budget of 3 allows three computations of ε 1, never more");
        } finally {
            pool.shutdownNow();
        }
        try (PolicyStore s = PolicyStore.open(h, uid)) {
            assertEquals(
                    0,
                    new BigDecimal(3)
                            .compareTo(s.usage("patients", Instant.EPOCH).epsilonSpent()));
        }
    }
}
