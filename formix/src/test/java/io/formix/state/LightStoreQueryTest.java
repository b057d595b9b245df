package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.LightStore.Asked;
import io.formix.state.LightStore.State;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The query computations of a light node's store, SQLite and in memory alike. */
@Timeout(30)
class LightStoreQueryTest {

    static final List<PartyId> HEAVY = List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));

    @TempDir
    Path dir;

    void lifecycle(Supplier<LightStore> open) {
        try (LightStore s = open.get()) {
            Asked a = Asked.of("{\"dataset\":\"d\"}", new BigDecimal("0.5"), 3).withProposer("light-0002");
            assertTrue(s.receiveQuery("c1", "p", "{}", "additive-3-z64", 100, HEAVY, a, State.PENDING, null, 1));
            assertFalse(s.receiveQuery("c1", "p", "{}", "additive-3-z64", 100, HEAVY, a, State.PENDING, null, 2));
            assertTrue(s.reviewed("c1", "h1"));
            assertFalse(s.answerCells("c1", new long[] {1}, List.of(), 3), "not approved yet");
            assertTrue(s.approveQuery("c1", "h1", new long[] {Long.MIN_VALUE, 7}));
            assertFalse(s.approveQuery("c1", "h1", null), "approved once");
            assertTrue(s.answerCells("c1", new long[] {Long.MIN_VALUE, 7}, List.of(new byte[] {1, 2}), 4));
            assertTrue(s.receiveQuery("c2", "p", "{}", "additive-3-z64", 100, HEAVY, a, State.PENDING, null, 5));
            assertTrue(s.refuse("c2", "generic", "precise"));
            assertFalse(s.reviewed("c2", "h"), "only a pending computation is reviewed");
        }
        try (LightStore s = open.get()) {
            LightStore.Entry e = s.entry("c1").orElseThrow();
            assertEquals(State.ANSWERED, e.state());
            assertEquals("{\"dataset\":\"d\"}", e.asked().query());
            assertEquals(0, new BigDecimal("0.5").compareTo(e.asked().dpEpsilon()));
            assertEquals(3, e.asked().threshold());
            assertArrayEquals(new long[] {Long.MIN_VALUE, 7}, e.asked().cells());
            assertEquals("h1", e.asked().reviewedHash());
            assertEquals("h1", e.asked().approvedHash());
            assertEquals("light-0002", e.asked().proposer(), "the proposer the compute named, kept");
            assertArrayEquals(new byte[] {1, 2}, e.encodedShares().get(0));
            assertNull(e.answer(), "no integer answer");
            LightStore.Entry r = s.entry("c2").orElseThrow();
            assertEquals(State.REFUSED, r.state());
            assertEquals("generic", r.reason());
            assertEquals("precise", r.asked().detail());
        }
    }

    @Test
    void sqliteKeepsAQueryComputationAcrossReopens() {
        lifecycle(() -> SqliteLightStore.open(dir.resolve("node.db")));
    }

    @Test
    void inMemoryBehavesTheSame() {
        LightStore mem = LightStore.inMemory();
        lifecycle(() -> new Unclosed(mem));
    }

    @Test
    void aNodeDbMadeBeforeQueriesGainsTheirColumnsAndKeepsItsRows() {
        Path file = dir.resolve("old.db");
        String old = SqliteLightStore.SCHEMA.replaceAll("(?s),\\s*query .*?approved_hash TEXT", "");
        try (Sqlite db = Sqlite.open(file, old)) {
            db.update("INSERT INTO computations(id, prompt, schema, scheme, deadline, heavies, state, received_at) "
                    + "VALUES ('c0','p','{}','additive-3',1,'heavy-1,heavy-2,heavy-3','pending',1)");
        }
        try (LightStore s = SqliteLightStore.open(file)) {
            assertEquals(State.PENDING, s.entry("c0").orElseThrow().state());
            assertNull(s.entry("c0").orElseThrow().asked());
            assertTrue(s.receiveQuery(
                    "c1", "p", "{}", "additive-3-z64", 9, HEAVY, Asked.of("{}", null, 1), State.PENDING, null, 2));
        }
    }

    @Test
    void aQueryAnswersSharesAreOneBlobAndTextRowsStillRead() {
        Path file = dir.resolve("node.db");
        byte[] big = new byte[300_000];
        big[299_999] = 9;
        List<byte[]> shares = List.of(new byte[] {1}, new byte[0], big);
        try (LightStore s = SqliteLightStore.open(file)) {
            Asked a = Asked.of("{\"dataset\":\"d\"}", null, 3);
            assertTrue(s.receiveQuery("c1", "p", "{}", "additive-3-z64", 100, HEAVY, a, State.APPROVED, null, 1));
            assertTrue(s.answerCells("c1", new long[] {5}, shares, 2));
            assertTrue(s.receive("c2", "p", "{}", "additive-3", 100, HEAVY, State.APPROVED, 3));
            assertTrue(s.answer("c2", 7, List.of(new byte[] {4, 5}, new byte[] {6}), 4));
        }
        try (Sqlite db = Sqlite.open(file, SqliteLightStore.SCHEMA)) {
            assertEquals(
                    List.of("blob", "text"),
                    db.query("SELECT typeof(shares) FROM computations ORDER BY id", rs -> rs.getString(1)));
        }
        try (LightStore s = SqliteLightStore.open(file)) {
            List<byte[]> back = s.entry("c1").orElseThrow().encodedShares();
            assertEquals(3, back.size());
            assertArrayEquals(new byte[] {1}, back.get(0));
            assertArrayEquals(new byte[0], back.get(1));
            assertArrayEquals(big, back.get(2));
            assertArrayEquals(
                    new byte[] {6}, s.entry("c2").orElseThrow().encodedShares().get(1));
        }
    }

    @Test
    void damagedShareBlobsAreRefusedWithTheReason() {
        assertEquals(List.of(), LightRows.shares(new byte[0]));
        assertEquals(List.of(), LightRows.shares(null));
        byte[] ok = LightRows.blob(List.of(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {0, 0, 0, 3, 1, 2, 3}, ok);
        StateException beyond = org.junit.jupiter.api.Assertions.assertThrows(
                StateException.class, () -> LightRows.unblob(new byte[] {0, 0, 0, 9, 1, 2}));
        assertTrue(beyond.getMessage().contains("a share of 9 bytes in 2 remaining"), beyond.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(
                StateException.class, () -> LightRows.unblob(new byte[] {(byte) 0xff, 0, 0, 0}));
        org.junit.jupiter.api.Assertions.assertThrows(
                StateException.class, () -> LightRows.unblob(new byte[] {0, 0, 0, 0, 0, 0}));
        org.junit.jupiter.api.Assertions.assertThrows(StateException.class, () -> LightRows.unblob(new byte[17 * 4]));
    }

    /** A store whose close does nothing (the in-memory store is its own data). */
    private record Unclosed(LightStore s) implements LightStore {
        @Override
        public boolean receive(
                String id,
                String prompt,
                String schema,
                String scheme,
                long deadline,
                List<PartyId> heavy,
                State initial,
                long now) {
            return s.receive(id, prompt, schema, scheme, deadline, heavy, initial, now);
        }

        @Override
        public boolean receiveAnswered(
                String id,
                String prompt,
                String schema,
                String scheme,
                long deadline,
                List<PartyId> heavy,
                int answer,
                List<byte[]> shares,
                long now) {
            return s.receiveAnswered(id, prompt, schema, scheme, deadline, heavy, answer, shares, now);
        }

        @Override
        public boolean decide(String id, boolean approve, String reason) {
            return s.decide(id, approve, reason);
        }

        @Override
        public boolean answer(String id, int answer, List<byte[]> shares, long now) {
            return s.answer(id, answer, shares, now);
        }

        @Override
        public boolean refuse(String id, String reason) {
            return s.refuse(id, reason);
        }

        @Override
        public boolean receiveQuery(
                String id,
                String prompt,
                String schema,
                String scheme,
                long deadline,
                List<PartyId> heavy,
                Asked asked,
                State initial,
                String reason,
                long now) {
            return s.receiveQuery(id, prompt, schema, scheme, deadline, heavy, asked, initial, reason, now);
        }

        @Override
        public boolean reviewed(String id, String hash) {
            return s.reviewed(id, hash);
        }

        @Override
        public boolean approveQuery(String id, String hash, long[] cells) {
            return s.approveQuery(id, hash, cells);
        }

        @Override
        public boolean answerCells(String id, long[] cells, List<byte[]> shares, long now) {
            return s.answerCells(id, cells, shares, now);
        }

        @Override
        public boolean refuse(String id, String reason, String detail) {
            return s.refuse(id, reason, detail);
        }

        @Override
        public boolean markDeclined(String id) {
            return s.markDeclined(id);
        }

        @Override
        public boolean markSent(String id) {
            return s.markSent(id);
        }

        @Override
        public java.util.Optional<Entry> entry(String id) {
            return s.entry(id);
        }

        @Override
        public List<Entry> inState(State state) {
            return s.inState(state);
        }

        @Override
        public List<Entry> all() {
            return s.all();
        }

        @Override
        public void close() {}
    }
}
