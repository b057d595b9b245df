package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.Intake;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One contract, both stores: idempotent inserts, conditional transitions, transactions that roll back. */
@Timeout(30)
class HeavyStoreContractTest {

    private static final PartyId L1 = PartyId.of("light-0001");
    private static final PartyId L2 = PartyId.of("light-0002");
    private static final List<PartyId> HEAVY =
            List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));

    @TempDir
    static Path dir;

    static Stream<String> kinds() {
        return Stream.of("memory", "sqlite");
    }

    private static int opened;

    private static HeavyStore open(String kind) {
        return kind.equals("memory")
                ? HeavyStore.inMemory()
                : HeavyStore.open(FormixHome.of(dir.resolve("h" + opened++)), HEAVY.get(1));
    }

    private static Entry entry(State s) {
        return new Entry(
                "c1",
                2,
                "q",
                "{\"type\":\"integer\"}",
                "additive-3",
                1,
                1000,
                50,
                HEAVY,
                Set.of(L1, L2),
                s,
                null,
                null);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aQueryComputationKeepsItsQueryAndEpsilonAndSharesStreamOneAtATimeInLightOrder(String kind) {
        try (HeavyStore s = open(kind)) {
            Entry e = new Entry(
                    "c9",
                    2,
                    "q",
                    "{\"type\":\"integer\"}",
                    "additive-3-z64",
                    1,
                    1000,
                    50,
                    HEAVY,
                    Set.of(L1, L2),
                    State.COLLECTING,
                    null,
                    null,
                    "{\"dataset\":\"d\"}",
                    new java.math.BigDecimal("0.50"));
            assertTrue(s.create(e, 1));
            Entry back = s.entry("c9").orElseThrow();
            assertEquals("{\"dataset\":\"d\"}", back.query());
            assertEquals("0.50", back.dpEpsilon().toPlainString());
            assertEquals(e.query(), back.with(State.CLOSED, null, null).query(), "kept across transitions");
            s.addShare("c9", L2, new byte[] {2}, 1);
            s.addShare("c9", L1, new byte[] {1}, 1);
            List<String> seen = new java.util.ArrayList<>();
            s.forEachShare("c9", (light, b) -> seen.add(light.value() + "=" + b[0]));
            assertEquals(List.of("light-0001=1", "light-0002=2"), seen);
            assertEquals(null, s.entry("c1").map(Entry::query).orElse(null));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void theProposerHeavyNode1RecordedIsKeptAcrossTransitions(String kind) {
        try (HeavyStore s = open(kind)) {
            Entry plain = entry(State.BROADCASTING);
            Entry named = new Entry(
                    "c8",
                    1,
                    "q",
                    "{\"type\":\"integer\"}",
                    "additive-3",
                    1,
                    1000,
                    50,
                    HEAVY,
                    Set.of(L1, L2),
                    State.BROADCASTING,
                    null,
                    null,
                    null,
                    null,
                    PartyId.of("light-0007"));
            assertTrue(s.create(plain, 1));
            assertTrue(s.create(named, 1));
            assertEquals(PartyId.of("light-0007"), s.entry("c8").orElseThrow().proposer());
            assertEquals(null, s.entry("c1").orElseThrow().proposer(), "unknown stays unknown");
            assertTrue(s.transition("c8", State.BROADCASTING, State.COLLECTING, 2));
            assertEquals(PartyId.of("light-0007"), s.entry("c8").orElseThrow().proposer());
        }
    }

    @Test
    void aNodeDbWithoutTheQueryColumnsGetsThemInPlace(@TempDir Path home) throws Exception {
        Path file = FormixHome.of(home).nodeDb(HEAVY.get(1));
        java.nio.file.Files.createDirectories(file.getParent());
        String old = HeavyStoreTables.SCHEMA.replaceAll(",\\s*query\\s+TEXT,\\s*dp_epsilon\\s+TEXT", "");
        assertFalse(old.contains("dp_epsilon"), "the layout before the query columns");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement st = c.createStatement()) {
            for (String stmt : old.split(";")) {
                st.executeUpdate(stmt);
            }
            st.executeUpdate("INSERT INTO computations(id, my_index, prompt, schema, scheme, threshold, deadline, "
                    + "grace_ms, heavies, invited, state, created_at) VALUES ('c1', 2, 'q', '{}', 'additive-3', 1, 5, "
                    + "5, 'heavy-1,heavy-2,heavy-3', 'light-0001', 'collecting', 1)");
        }
        try (HeavyStore s = HeavyStore.open(FormixHome.of(home), HEAVY.get(1))) {
            Entry e = s.entry("c1").orElseThrow();
            assertEquals(null, e.query());
            assertEquals(null, e.dpEpsilon());
            assertEquals(State.COLLECTING, e.state());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void insertsAreIdempotentAndTransitionsConditional(String kind) {
        try (HeavyStore s = open(kind)) {
            assertTrue(s.create(entry(State.COLLECTING), 1));
            assertFalse(s.create(entry(State.BROADCASTING), 2), "known already");
            Entry e = s.entry("c1").orElseThrow();
            assertEquals(HEAVY, e.heavy());
            assertEquals("additive-3", e.scheme());
            assertEquals(State.COLLECTING, e.state());

            assertEquals(Intake.ACCEPTED, s.addShare("c1", L1, new byte[] {1, 2}, 3));
            assertEquals(Intake.DUPLICATE, s.addShare("c1", L1, new byte[] {9}, 4));
            assertArrayEquals(new byte[] {1, 2}, s.shares("c1").get(L1), "the first share stands");
            assertEquals(Intake.ACCEPTED, s.addDecline("c1", L2));
            assertEquals(Intake.DUPLICATE, s.addDecline("c1", L2));

            assertFalse(s.transition("c1", State.BROADCASTING, State.COLLECTING, 5), "not in broadcasting");
            assertTrue(s.transition("c1", State.COLLECTING, State.CLOSED, 5));
            assertFalse(s.transition("c1", State.COLLECTING, State.CLOSED, 6), "a replay changes nothing");
            assertEquals(Intake.LATE, s.addShare("c1", L2, new byte[] {3}, 7));
            assertEquals(1, s.lateCount("c1"));
            assertEquals(Set.of(L1), s.shareHolders("c1"));

            assertTrue(s.fixFinalSet("c1", Set.of(L1)));
            assertFalse(s.fixFinalSet("c1", Set.of(L1, L2)), "fixed once");
            assertEquals(Set.of(L1), s.entry("c1").orElseThrow().finalSet());
            assertTrue(s.addPartial("c1", HEAVY.get(1), "{\"p\":1}"));
            assertFalse(s.addPartial("c1", HEAVY.get(1), "{\"p\":2}"));
            assertEquals(Map.of(HEAVY.get(1), "{\"p\":1}"), s.partials("c1"));
            assertTrue(s.addReport("c1", HEAVY.get(2), Set.of(L1), 0));
            assertFalse(s.addReport("c1", HEAVY.get(2), Set.of(), 3));
            assertEquals(Set.of(L1), s.reports("c1").get(HEAVY.get(2)).lights());

            assertTrue(s.addUndelivered("c1", L2, "unreachable: gone"));
            assertFalse(s.addUndelivered("c1", L2, "other"));
            assertEquals(Map.of("unreachable: gone", 1), s.undelivered("c1"));

            assertTrue(s.finish("c1", State.REVEALED, null));
            assertFalse(s.finish("c1", State.FAILED, "late"), "a computation ends once");
            assertTrue(s.open().isEmpty());
            assertEquals(1, s.all().size());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aTransactionThatThrowsLeavesNothingBehind(String kind) {
        try (HeavyStore s = open(kind)) {
            s.create(entry(State.COLLECTING), 1);
            assertThrows(
                    IllegalStateException.class,
                    () -> s.inTransaction(() -> {
                        s.addShare("c1", L1, new byte[] {1}, 2);
                        s.transition("c1", State.COLLECTING, State.CLOSED, 2);
                        throw new IllegalStateException("refused");
                    }));
            assertTrue(s.shareHolders("c1").isEmpty());
            assertEquals(State.COLLECTING, s.entry("c1").orElseThrow().state());
            assertEquals(Intake.ACCEPTED, s.inTransaction(() -> s.addShare("c1", L1, new byte[] {1}, 3)));
            assertEquals(Set.of(L1), s.shareHolders("c1"));
        }
    }

    @Test
    void aNodeDbOfTheOlderLayoutIsRefusedWithWhatToDo(@TempDir Path home) throws Exception {
        FormixHome fh = FormixHome.of(home);
        PartyId uid = PartyId.of("heavy-1");
        java.nio.file.Files.createDirectories(fh.nodeDb(uid).getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fh.nodeDb(uid));
                Statement st = c.createStatement()) {
            st.executeUpdate("CREATE TABLE computations (id TEXT PRIMARY KEY, my_index INTEGER, heavy1 TEXT, "
                    + "heavy2 TEXT, heavy3 TEXT, state TEXT, created_at INTEGER)");
            st.executeUpdate("CREATE TABLE shares (computation TEXT, light TEXT, share INTEGER, arrived_at INTEGER, "
                    + "PRIMARY KEY (computation, light))");
        }
        UnusableDatabaseException e = assertThrows(UnusableDatabaseException.class, () -> HeavyStore.open(fh, uid));
        assertTrue(
                e.getMessage().contains("was made by an older Formix")
                        && e.getMessage().contains("formix init --force"),
                e.getMessage());
    }

    @Test
    void anOlderLightNodeDbIsRefusedToo(@TempDir Path home) throws Exception {
        FormixHome fh = FormixHome.of(home);
        PartyId uid = PartyId.of("light-0001");
        java.nio.file.Files.createDirectories(fh.nodeDb(uid).getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + fh.nodeDb(uid));
                Statement st = c.createStatement()) {
            st.executeUpdate(
                    "CREATE TABLE computations (id TEXT PRIMARY KEY, prompt TEXT, schema TEXT, deadline INTEGER, "
                            + "heavy1 TEXT, heavy2 TEXT, heavy3 TEXT, state TEXT, answer INTEGER, share1 INTEGER, share2 INTEGER, "
                            + "share3 INTEGER, reason TEXT, received_at INTEGER, answered_at INTEGER)");
        }
        UnusableDatabaseException e = assertThrows(UnusableDatabaseException.class, () -> LightStore.open(fh, uid));
        assertTrue(e.getMessage().contains("formix init --force"), e.getMessage());
    }
}
