package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.data.Budget;
import io.formix.data.CsvSource;
import io.formix.data.DataSourceStore;
import io.formix.data.ManualSource;
import io.formix.data.SourceSpec;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.policy.ApprovalMode;
import io.formix.policy.DisclosurePolicy;
import io.formix.policy.PolicyStore;
import io.formix.policy.Verdict;
import io.formix.protocol.Bodies;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.query.Canonical;
import io.formix.query.Query;
import io.formix.query.QueryParser;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.LightStore.State;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A light node answering computations that carry a query: the core without threads, a fixed clock,
 * an in-memory store, the node's sources and policy in a real {@code node.db}; the driver's
 * evaluation is run in the test's thread ({@link Evaluations#run}).
 */
@Timeout(60)
class LightQueryTest {

    static final long T0 = LightCoreTest.T0;
    static final long DEADLINE = LightCoreTest.DEADLINE;
    static final String ID = LightCoreTest.ID;
    static final String COUNT_65 =
            "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
                    + "\"aggregate\":{\"type\":\"count\"}}";

    static final String Z64 = "additive-3-z64";

    @TempDir
    Path dir;

    FormixHome home;
    LightStore store;
    /** The cells the core asked to share, in order. */
    final List<long[]> shared = new ArrayList<>();

    LightCore core;

    @BeforeEach
    void node() throws Exception {
        home = FormixHome.of(dir.resolve("home"));
        Files.createDirectories(home.nodeDb(LightCoreTest.ME).getParent());
        Path csv = dir.resolve("patients.csv");
        Files.writeString(csv, "id,age\n1,70\n2,64\n3,65\n4,30\n5,81\n");
        SourceSpec patients = CsvSource.inspect(
                "patients", csv, SourceSpec.DEFAULT_CSV_MAX_BYTES, Map.of(), Budget.of(1000, Duration.ofSeconds(10)));
        try (DataSourceStore s = DataSourceStore.open(home, LightCoreTest.ME)) {
            s.add(patients, T0);
            s.add(ManualSource.define("commute"), T0);
        }
        store = LightStore.inMemory();
        core = new LightCore(
                LightCoreTest.ME,
                store,
                HeavyCoreTest.ROLES,
                true,
                new SecureRandom(),
                SharingSchemes::forId,
                LightData.of(home, LightCoreTest.ME),
                (scheme, cells) -> {
                    shared.add(cells.clone());
                    return QueryShares.share(SharingSchemes.forId(scheme), cells);
                });
    }

    static Envelope compute(String id, String query, int threshold, BigDecimal epsilon) {
        return Envelope.of(
                MessageType.COMPUTE,
                HeavyCoreTest.H1,
                LightCoreTest.ME,
                id,
                new ComputeBody(
                                "how many?",
                                ResponseSchema.DEFAULT,
                                Z64,
                                threshold,
                                DEADLINE,
                                2_000,
                                HeavyCoreTest.HEAVY,
                                List.of(),
                                Canonical.json(QueryParser.parse(query)),
                                epsilon)
                        .toJson());
    }

    void policy(DisclosurePolicy p, ApprovalMode mode) {
        try (PolicyStore s = PolicyStore.open(home, LightCoreTest.ME)) {
            s.set(p, Instant.ofEpochMilli(T0));
            s.setApproval(mode, Instant.ofEpochMilli(T0));
        }
    }

    /** Runs every {@link Effect.Evaluate} of {@code fx} here and feeds the outcome back; returns the effects. */
    List<Effect> drive(List<Effect> fx, long now) throws Exception {
        List<Effect> out = new ArrayList<>(fx);
        for (Effect e : fx) {
            if (e instanceof Effect.Evaluate ev) {
                out.addAll(core.handle(Evaluations.run(ev), now));
            }
        }
        return out;
    }

    static Effect.SendAll sendAll(List<Effect> fx) {
        return LightCoreTest.sendAll(fx);
    }

    /** The answer the three shares of {@code send} add up to, in Z/2^64. */
    static long[] reconstruct(Effect.SendAll send) throws Exception {
        List<VectorShare> shares = new ArrayList<>();
        for (Envelope m : send.messages()) {
            shares.add(ShareCodec.decodeShare(encoded(m), 1 << 24));
        }
        return SharingSchemes.forId(Z64).reconstructLongs(shares);
    }

    /** The share bytes of a share message (heavy nodes bound their length by the query; not checked here). */
    static byte[] encoded(Envelope m) {
        return java.util.Base64.getDecoder().decode(m.body().get("share").asText());
    }

    static String hash(LightStore.Entry en) {
        Query q = QueryParser.parse(en.asked().query());
        return LightQueries.hash(en, q);
    }

    @Test
    void aCountWithAFilterOverACsvSourceIsAnsweredOnlyAfterTheOwnersApproval() throws Exception {
        List<Effect> fx = drive(core.handle(new LightCore.Announced(compute(ID, COUNT_65, 1, null)), T0), T0);
        assertTrue(fx.stream().noneMatch(e -> e instanceof Effect.SendAll || e instanceof Effect.Evaluate), "" + fx);
        LightStore.Entry pending = store.entry(ID).orElseThrow();
        assertEquals(State.PENDING, pending.state(), "manual approval is the default, whatever node create said");
        assertTrue(shared.isEmpty(), "nothing is evaluated or shared before the owner approves");
        assertTrue(core.wantsTick(T0));

        assertTrue(store.approveQuery(ID, hash(pending), null), "the owner approves (comp approve)");
        long t = T0 + LightCore.RETRY_MS;
        Effect.SendAll send = sendAll(drive(core.handle(new LightCore.Tick(), t), t));
        assertTrue(send.shares());
        assertEquals(
                HeavyCoreTest.HEAVY, send.messages().stream().map(Envelope::to).toList());
        assertEquals(1, shared.size());
        assertArrayEquals(new long[] {3}, shared.get(0), "ages 70, 65 and 81 are ≥ 65");
        assertArrayEquals(new long[] {3}, reconstruct(send), "the three shares reconstruct the answer mod 2^64");
        LightStore.Entry answered = store.entry(ID).orElseThrow();
        assertEquals(State.ANSWERED, answered.state());
        assertArrayEquals(new long[] {3}, answered.asked().cells());
        try (PolicyStore p = PolicyStore.open(home, LightCoreTest.ME)) {
            assertEquals(1, p.usage("patients", Instant.ofEpochMilli(t)).answeredToday(), "recorded in the ledger");
        }
        core.handle(new LightCore.Delivered(ID, true, true), t + 1);
        assertEquals(State.SENT, store.entry(ID).orElseThrow().state());
    }

    @Test
    void underApprovalPolicyAComputationThatPassesEveryRuleIsAnsweredAtOnce() throws Exception {
        policy(DisclosurePolicy.OFF.with(io.formix.policy.Control.MIN_THRESHOLD, 2L), ApprovalMode.POLICY);
        List<Effect> first = core.handle(new LightCore.Announced(compute(ID, COUNT_65, 3, null)), T0);
        assertTrue(first.stream().anyMatch(e -> e instanceof Effect.Evaluate), "evaluated off the node's lock");
        assertEquals(State.APPROVED, store.entry(ID).orElseThrow().state());
        assertTrue(
                core.handle(new LightCore.Tick(), T0 + 5 * LightCore.RETRY_MS).stream()
                        .noneMatch(e -> e instanceof Effect.Evaluate),
                "one evaluation in flight at a time");
        Effect.SendAll send = sendAll(drive(first, T0 + 1));
        assertTrue(send.shares());
        assertArrayEquals(new long[] {3}, shared.get(0));
        assertNull(store.entry(ID).orElseThrow().asked().approvedHash(), "approved by the policy, not by hand");
    }

    @Test
    void aPolicyRuleDeclinesWithAGenericReasonOutAndThePreciseOneInTheStore() throws Exception {
        policy(DisclosurePolicy.OFF.with(io.formix.policy.Control.MIN_ROWS, 5L), ApprovalMode.POLICY);
        Effect.SendAll send =
                sendAll(drive(core.handle(new LightCore.Announced(compute(ID, COUNT_65, 3, null)), T0), T0 + 1));
        assertFalse(send.shares(), "declines");
        for (Envelope m : send.messages()) {
            assertEquals(MessageType.DECLINE, m.type());
            assertEquals(Verdict.GENERIC, Bodies.Decline.parse(m.body()).reason());
        }
        LightStore.Entry e = store.entry(ID).orElseThrow();
        assertEquals(State.REFUSED, e.state());
        assertEquals(Verdict.GENERIC, e.reason());
        assertTrue(
                e.asked().detail().startsWith("min-rows: 3 contributing rows"),
                e.asked().detail());
        assertTrue(shared.isEmpty(), "nothing shared");
        try (PolicyStore p = PolicyStore.open(home, LightCoreTest.ME)) {
            assertEquals(0, p.usage("patients", Instant.ofEpochMilli(T0)).answeredToday(), "a decline costs nothing");
        }
    }

    @Test
    void aDataFreeRuleDeclinesOnArrivalWithoutReadingTheData() throws Exception {
        policy(DisclosurePolicy.OFF.with(io.formix.policy.Control.MIN_THRESHOLD, 5L), ApprovalMode.MANUAL);
        List<Effect> fx = core.handle(new LightCore.Announced(compute(ID, COUNT_65, 3, null)), T0);
        assertTrue(fx.stream().noneMatch(e -> e instanceof Effect.Evaluate));
        assertFalse(sendAll(fx).shares());
        LightStore.Entry e = store.entry(ID).orElseThrow();
        assertEquals(State.REFUSED, e.state());
        assertEquals(
                "min-threshold: threshold 3 is below your minimum 5", e.asked().detail());
    }

    @Test
    void aManualChoiceIsAnsweredWithTheOwnersChoice() throws Exception {
        policy(DisclosurePolicy.OFF, ApprovalMode.POLICY);
        String choice =
                "{\"dataset\":\"commute\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"bike\",\"car\"]}}";
        List<Effect> fx = core.handle(new LightCore.Announced(compute(ID, choice, 1, null)), T0);
        assertTrue(fx.stream().noneMatch(e -> e instanceof Effect.SendAll || e instanceof Effect.Evaluate));
        LightStore.Entry pending = store.entry(ID).orElseThrow();
        assertEquals(State.PENDING, pending.state(), "a manual source waits for its owner even under policy");
        assertTrue(store.approveQuery(ID, hash(pending), new long[] {0, 1}), "comp answer --choice car");
        long t = T0 + LightCore.RETRY_MS;
        List<Effect> out = core.handle(new LightCore.Tick(), t);
        assertTrue(out.stream().noneMatch(e -> e instanceof Effect.Evaluate), "nothing to evaluate");
        assertTrue(sendAll(out).shares());
        assertArrayEquals(new long[] {0, 1}, shared.get(0));
        assertEquals(State.ANSWERED, store.entry(ID).orElseThrow().state());
    }

    @Test
    void anUnknownDatasetIsDeclined() throws Exception {
        policy(DisclosurePolicy.OFF, ApprovalMode.POLICY);
        String q = "{\"dataset\":\"nosuch\",\"aggregate\":{\"type\":\"count\"}}";
        Effect.SendAll send = sendAll(core.handle(new LightCore.Announced(compute(ID, q, 1, null)), T0));
        assertFalse(send.shares());
        assertEquals(
                Verdict.GENERIC,
                Bodies.Decline.parse(send.messages().get(0).body()).reason());
        assertEquals(
                "no dataset nosuch on this node",
                store.entry(ID).orElseThrow().asked().detail());
    }

    @Test
    void theEpsilonLedgerDeclinesOnceItIsSpent() throws Exception {
        policy(DisclosurePolicy.OFF.with(io.formix.policy.Control.MAX_EPSILON, BigDecimal.ONE), ApprovalMode.POLICY);
        BigDecimal eps = new BigDecimal("0.6");
        assertTrue(sendAll(drive(core.handle(new LightCore.Announced(compute(ID, COUNT_65, 3, eps)), T0), T0 + 1))
                .shares());
        String second = "c00000002";
        Effect.SendAll declined =
                sendAll(drive(core.handle(new LightCore.Announced(compute(second, COUNT_65, 3, eps)), T0 + 2), T0 + 3));
        assertFalse(declined.shares());
        String detail = store.entry(second).orElseThrow().asked().detail();
        assertTrue(detail.startsWith("max-epsilon: ε budget of patients spent: 0.6 of 1 used"), detail);
        assertEquals(1, shared.size());
        try (PolicyStore p = PolicyStore.open(home, LightCoreTest.ME)) {
            assertEquals(
                    0,
                    new BigDecimal("0.6")
                            .compareTo(p.usage("patients", Instant.ofEpochMilli(T0))
                                    .epsilonSpent()));
        }
    }

    @Test
    void aLongHistogramIsSharedSeedCompressedAndReconstructsExactly() throws Exception {
        policy(DisclosurePolicy.OFF, ApprovalMode.POLICY);
        StringBuilder edges = new StringBuilder();
        for (int e = 0; e <= 90; e += 5) {
            edges.append(e == 0 ? "" : ",").append(e);
        }
        String q = "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"histogram\",\"column\":\"age\"," + "\"edges\":["
                + edges + "]}}";
        Effect.SendAll send = sendAll(drive(core.handle(new LightCore.Announced(compute(ID, q, 1, null)), T0), T0 + 1));
        long[] cells = shared.get(0);
        assertTrue(cells.length > QueryShares.COMPRESS_ABOVE, "" + cells.length);
        assertArrayEquals(cells, reconstruct(send));
        assertEquals(5, java.util.Arrays.stream(cells).sum(), "every row in one cell");
        int first = encoded(send.messages().get(0)).length;
        int last = encoded(send.messages().get(2)).length;
        assertTrue(
                first < last, "a seed for heavy node 1 (" + first + " bytes), the vector for the last (" + last + ")");
    }

    @Test
    void aQueryOnA32BitSchemeIsDeclined() throws Exception {
        policy(DisclosurePolicy.OFF, ApprovalMode.POLICY);
        Envelope e = compute(ID, COUNT_65, 1, null);
        com.fasterxml.jackson.databind.node.ObjectNode body = (com.fasterxml.jackson.databind.node.ObjectNode) e.body();
        body.put("scheme", Bodies.DEFAULT_SCHEME);
        Envelope e32 = Envelope.of(MessageType.COMPUTE, e.from(), e.to(), ID, body);
        assertFalse(sendAll(core.handle(new LightCore.Announced(e32), T0)).shares());
        assertTrue(store.entry(ID).orElseThrow().asked().detail().contains("Z/2^64"));
    }

    @Test
    void aPooledNodeReadsItsSourcesAndPolicyThroughItsOwnConnectionWithinThePoolsBound() {
        policy(DisclosurePolicy.OFF, ApprovalMode.POLICY);
        try (io.formix.state.LightStorePool pool = io.formix.state.LightStorePool.sqlite(1, 60_000, () -> T0)) {
            LightStore mine = pool.store(home, LightCoreTest.ME);
            LightStore other = pool.store(home, io.formix.transport.PartyId.of("light-0002"));
            LightData data = LightData.of(mine);
            assertEquals(ApprovalMode.POLICY, data.approval());
            assertEquals(1, pool.openCount());
            other.all(); // takes the only permit: mine is closed
            assertEquals(
                    io.formix.data.SourceKind.CSV,
                    data.source("patients").orElseThrow().kind(),
                    "reopened under a permit");
            assertTrue(data.source("nosuch").isEmpty());
            assertEquals(1, pool.openCount(), "never more connections than the pool allows");
            LightData fresh = LightData.of(pool.store(home, io.formix.transport.PartyId.of("light-0003")));
            assertTrue(fresh.source("patients").isEmpty(), "a node.db without sources yet");
            assertEquals(ApprovalMode.MANUAL, fresh.approval(), "each table group is created on its first use");
        }
    }

    @Test
    void anEvaluationThatCouldNotRunIsAskedAgainFromTheNextTicks() throws Exception {
        policy(DisclosurePolicy.OFF, ApprovalMode.POLICY);
        core.handle(new LightCore.Announced(compute(ID, COUNT_65, 1, null)), T0);
        core.handle(new LightCore.Evaluated(ID, null, null), T0 + 1);
        assertTrue(core.wantsTick(T0 + 1 + LightCore.RETRY_MS));
        List<Effect> again = core.handle(new LightCore.Tick(), T0 + 1 + LightCore.RETRY_MS);
        assertNotNull(again.stream()
                .filter(e -> e instanceof Effect.Evaluate)
                .findFirst()
                .orElse(null));
    }

    /** A count announced by heavy node 1 naming {@code proposer} (null: none, as an older heavy node 1 sends). */
    static Envelope computeFrom(String id, String proposer) throws Exception {
        ComputeBody c = ComputeBody.parse(compute(id, COUNT_65, 1, null).body());
        return Envelope.of(
                MessageType.COMPUTE,
                HeavyCoreTest.H1,
                LightCoreTest.ME,
                id,
                new ComputeBody(
                                c.prompt(),
                                c.schema(),
                                c.scheme(),
                                c.threshold(),
                                c.deadline(),
                                c.graceMs(),
                                c.heavy(),
                                c.invited(),
                                c.query(),
                                c.dpEpsilon(),
                                proposer == null ? null : io.formix.transport.PartyId.of(proposer))
                        .toJson());
    }

    @Test
    void aProposerOnTheOwnersListIsAnsweredAndAnUnlistedOrUnknownOneDeclined() throws Exception {
        policy(
                DisclosurePolicy.OFF.with(io.formix.policy.Control.PROPOSERS, List.of("light-0002")),
                ApprovalMode.POLICY);
        Effect.SendAll listed =
                sendAll(drive(core.handle(new LightCore.Announced(computeFrom("c1", "light-0002")), T0), T0));
        assertTrue(listed.shares(), "light-0002 is on the list: answered");
        assertArrayEquals(new long[] {3}, shared.get(0));
        assertEquals("light-0002", store.entry("c1").orElseThrow().asked().proposer(), "kept in the store");

        Effect.SendAll unlisted = sendAll(core.handle(new LightCore.Announced(computeFrom("c2", "light-0003")), T0));
        assertFalse(unlisted.shares());
        assertEquals(
                Verdict.GENERIC,
                Bodies.Decline.parse(unlisted.messages().get(0).body()).reason());
        assertEquals(
                "proposers: proposer light-0003 is not in your list",
                store.entry("c2").orElseThrow().asked().detail());

        Effect.SendAll unknown = sendAll(core.handle(new LightCore.Announced(computeFrom("c3", null)), T0));
        assertFalse(unknown.shares());
        assertEquals(
                "proposers: proposer unknown is not in your list",
                store.entry("c3").orElseThrow().asked().detail());
        assertNull(store.entry("c3").orElseThrow().asked().proposer());
        assertEquals(1, shared.size(), "only the listed proposer's computation was evaluated and shared");
    }

    @Test
    void anOwnersApprovalIsCheckedAgainAgainstTheProposerTheComputeNamed() throws Exception {
        policy(
                DisclosurePolicy.OFF.with(io.formix.policy.Control.PROPOSERS, List.of("light-0002")),
                ApprovalMode.MANUAL);
        core.handle(new LightCore.Announced(computeFrom(ID, "light-0002")), T0);
        LightStore.Entry pending = store.entry(ID).orElseThrow();
        assertEquals(State.PENDING, pending.state());
        assertTrue(store.approveQuery(ID, hash(pending), null));
        long t = T0 + LightCore.RETRY_MS;
        Effect.SendAll send = sendAll(drive(core.handle(new LightCore.Tick(), t), t));
        assertTrue(send.shares(), "the controls run again on the answer, with the stored proposer: it passes");

        policy(
                DisclosurePolicy.OFF.with(io.formix.policy.Control.PROPOSERS, List.of("light-0009")),
                ApprovalMode.MANUAL);
        core.handle(new LightCore.Announced(computeFrom("c2", "light-0002")), t);
        assertEquals(State.REFUSED, store.entry("c2").orElseThrow().state(), "no longer listed: declined on arrival");
    }
}
