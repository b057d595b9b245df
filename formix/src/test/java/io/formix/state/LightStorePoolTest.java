package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.LightStore.State;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The light nodes' databases of a host, open only while they work: at most {@code capacity}
 * connections, a connection reused while it is recent, closed when idle, and no write lost by the
 * closing and reopening — on real SQLite files.
 */
@Timeout(60)
class LightStorePoolTest {

    private static final List<PartyId> HEAVY =
            List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));

    @TempDir
    Path dir;

    /** Counts the connections the pool opens and has open (the real SQLite store underneath). */
    private static final class Counting implements LightStorePool.Opener {
        final AtomicInteger opens = new AtomicInteger();
        final AtomicInteger live = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();

        @Override
        public LightStore open(Path file, boolean first) {
            LightStore real = first ? SqliteLightStore.open(file) : SqliteLightStore.reopen(file);
            opens.incrementAndGet();
            peak.accumulateAndGet(live.incrementAndGet(), Math::max);
            return new Forwarding(real, live);
        }
    }

    /** A store that counts its close. */
    private record Forwarding(LightStore s, AtomicInteger live) implements LightStore {
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
        public boolean markDeclined(String id) {
            return s.markDeclined(id);
        }

        @Override
        public boolean markSent(String id) {
            return s.markSent(id);
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
        public void close() {
            live.decrementAndGet();
            s.close();
        }
    }

    private Path db(int i) {
        return dir.resolve("nodes").resolve("light-" + i).resolve("node.db");
    }

    private static List<byte[]> shares(int i) {
        return List.of(new byte[] {1, (byte) i}, new byte[] {2, (byte) i}, new byte[] {3, (byte) i});
    }

    @Test
    void neverMoreConnectionsThanTheCapacityAndEveryStoreStillWorks() {
        Counting c = new Counting();
        AtomicLong clock = new AtomicLong(1_000);
        try (LightStorePool pool = new LightStorePool(4, 5_000, clock::get, c)) {
            List<LightStore> stores = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                stores.add(pool.store(db(i)));
                assertTrue(pool.openCount() <= 4, "open: " + pool.openCount());
            }
            for (int i = 0; i < 20; i++) {
                assertTrue(stores.get(i)
                        .receive("c" + i, "p", "{}", LightStore.DEFAULT_SCHEME, 9, HEAVY, State.APPROVED, 1));
            }
            assertEquals(4, c.peak.get(), "at most the capacity open at once");
            assertEquals(4, c.live.get());
            for (int i = 0; i < 20; i++) {
                assertEquals(
                        State.APPROVED,
                        stores.get(i).entry("c" + i).orElseThrow().state(),
                        "store " + i + " reads what it wrote before it was closed");
            }
            stores.forEach(LightStore::close);
            assertEquals(0, c.live.get(), "closing the stores closes their connections");
            assertEquals(0, pool.openCount());
        }
    }

    @Test
    void aRecentlyUsedStoreKeepsItsConnection() {
        Counting c = new Counting();
        AtomicLong clock = new AtomicLong(1_000);
        try (LightStorePool pool = new LightStorePool(2, 5_000, clock::get, c)) {
            LightStore a = pool.store(db(1));
            LightStore b = pool.store(db(2));
            int opens = c.opens.get();
            for (int k = 0; k < 50; k++) {
                a.receive("c" + k, "p", "{}", LightStore.DEFAULT_SCHEME, 9, HEAVY, State.APPROVED, k);
                b.entry("c" + k);
            }
            assertEquals(opens, c.opens.get(), "two stores within a capacity of two: no reopen");
            assertEquals(50, a.all().size());
            LightStore third = pool.store(db(3)); // evicts a least recently used one
            assertEquals(opens + 1, c.opens.get());
            assertEquals(2, c.live.get());
            third.all();
            b.all(); // b was the least recently used: reopened
            assertEquals(opens + 2, c.opens.get());
        }
    }

    @Test
    void connectionsIdleLongerThanTheIdleTimeAreClosed() {
        Counting c = new Counting();
        AtomicLong clock = new AtomicLong(1_000);
        try (LightStorePool pool = new LightStorePool(8, 5_000, clock::get, c)) {
            LightStore a = pool.store(db(1));
            LightStore b = pool.store(db(2));
            clock.addAndGet(3_000);
            b.receive("x", "p", "{}", LightStore.DEFAULT_SCHEME, 9, HEAVY, State.PENDING, 1);
            clock.addAndGet(2_500);
            assertEquals(1, pool.closeIdle(), "only a, idle 5.5 s, is closed");
            assertEquals(1, c.live.get());
            assertEquals(1, pool.openCount());
            clock.addAndGet(5_000);
            assertEquals(1, pool.closeIdle());
            assertEquals(0, c.live.get(), "an idle host holds no light database open");
            assertTrue(a.all().isEmpty(), "a closed store reopens on use");
            assertEquals(State.PENDING, b.entry("x").orElseThrow().state());
        }
    }

    @Test
    void noWriteIsLostWhileManyThreadsShareAFewConnections() throws Exception {
        Counting c = new Counting();
        AtomicLong clock = new AtomicLong(1_000);
        int stores = 30;
        int perStore = 40;
        try (LightStorePool pool = new LightStorePool(3, 5_000, clock::get, c)) {
            List<LightStore> all = new ArrayList<>();
            for (int i = 0; i < stores; i++) {
                all.add(pool.store(db(i)));
            }
            ExecutorService threads = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    done.add(threads.submit(() -> {
                        for (int k = seed; k < stores * perStore; k += 8) {
                            LightStore s = all.get(k % stores);
                            String id = "c" + k;
                            assertTrue(s.receiveAnswered(
                                    id, "p", "{}", LightStore.DEFAULT_SCHEME, 9, HEAVY, k % 101, shares(k), 1));
                            assertTrue(s.markSent(id));
                            if (k % 7 == 0) {
                                pool.closeIdle(); // closes nothing in use
                                clock.addAndGet(1_000);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(50, TimeUnit.SECONDS);
                }
            } finally {
                threads.shutdownNow();
            }
            assertTrue(c.peak.get() <= 3, "peak " + c.peak.get());
            assertTrue(c.opens.get() > stores, "connections were closed and reopened: " + c.opens.get());
            for (int i = 0; i < stores; i++) {
                List<LightStore.Entry> entries = all.get(i).all();
                assertEquals(perStore, entries.size(), "store " + i);
                for (LightStore.Entry e : entries) {
                    assertEquals(State.SENT, e.state());
                    int k = Integer.parseInt(e.id().substring(1));
                    assertEquals(k % 101, e.answer());
                    assertEquals(3, e.encodedShares().size());
                    assertEquals((byte) k, e.encodedShares().get(2)[1]);
                }
            }
            all.forEach(LightStore::close);
        }
        // Read once more through a fresh connection: everything was committed to the files.
        try (LightStore s = SqliteLightStore.open(db(5))) {
            assertEquals(perStore, s.inState(State.SENT).size());
        }
    }

    @Test
    void runningOutOfDescriptorsIsOneLineNamingTheLimit() {
        AtomicBoolean exhausted = new AtomicBoolean();
        AtomicLong clock = new AtomicLong(1_000);
        LightStorePool.Opener failing = (file, first) -> {
            if (exhausted.get()) {
                throw new StateException(
                        "cannot open " + file,
                        new java.nio.file.FileSystemException(file.toString(), null, "Too many open files"));
            }
            return first ? SqliteLightStore.open(file) : SqliteLightStore.reopen(file);
        };
        try (LightStorePool pool = new LightStorePool(1, 5_000, clock::get, failing)) {
            LightStore a = pool.store(db(1));
            LightStore b = pool.store(db(2)); // a's connection is closed for b
            a.receive("kept", "p", "{}", LightStore.DEFAULT_SCHEME, 9, HEAVY, State.APPROVED, 1);
            exhausted.set(true);
            StateException e = assertThrows(StateException.class, () -> b.markSent("kept"));
            String m = e.getMessage();
            assertTrue(m.contains("too many open files (limit "), m);
            assertTrue(m.contains("raise `ulimit -n` or host fewer nodes per process"), m);
            assertFalse(m.contains("\n"), "one line");
            assertEquals(0, pool.openCount(), "a failed open gives its permit back");
            exhausted.set(false);
            assertEquals(State.APPROVED, a.entry("kept").orElseThrow().state(), "nothing written was lost");
            assertTrue(Files.exists(db(2)));
        }
    }

    @Test
    void aDatabaseDeletedWhileItsNodeRunsIsNotSilentlyRecreated() throws Exception {
        AtomicLong clock = new AtomicLong(1_000);
        try (LightStorePool pool = LightStorePool.sqlite(1, 5_000, clock::get)) {
            LightStore a = pool.store(db(1));
            pool.store(db(2)); // closes a's connection
            Files.delete(db(1));
            StateException e = assertThrows(StateException.class, a::all);
            assertTrue(e.getMessage().contains("disappeared"), e.getMessage());
            assertFalse(Files.exists(db(1)));
        }
    }
}
