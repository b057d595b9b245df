package io.formix.state;

import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The open {@code node.db} connections of the light nodes of one host, at most {@code capacity} at
 * a time. A light node works seldom (a computation, a result, an approval), so its database is open
 * only while it works: each {@link #store} is a {@link LightStore} that opens its SQLite file on
 * first use, keeps it while it is among the {@code capacity} most recently used, and closes it when
 * it is the least recently used one and another is needed, or when idle for {@code idle} ms
 * ({@link #closeIdle}, called by the host's ticker). A SQLite connection in WAL mode holds three
 * descriptors (the database, {@code -wal}, {@code -shm}), so the light stores of a host hold at most
 * {@code 3 × capacity} whatever the number of nodes.
 *
 * <p>Every store semantic is the SQLite store's: each operation is its own transaction, committed
 * before it returns, and a connection is closed only between operations (under the store's lock),
 * so closing never loses or splits a write. Reopening reads what was committed.
 *
 * <p>Lock order: a store's lock, then the pool's monitor; eviction only {@code tryLock}s a store, so
 * a store in use is never waited for. Opening a connection takes one of {@code capacity} permits and
 * waits for one (evicting idle stores meanwhile) when all are taken: the bound is hard.
 *
 * <p>Thread-safe.
 */
public final class LightStorePool implements AutoCloseable {

    /** Open light-node databases per host, unless {@value #CAPACITY_PROPERTY} says otherwise. */
    public static final int DEFAULT_CAPACITY = 128;
    /** A system property: how many light-node databases a host keeps open at most. */
    public static final String CAPACITY_PROPERTY = "formix.host.openLightStores";
    /** A light node's database idle this long is closed. */
    public static final long DEFAULT_IDLE_MS = 5_000;

    /** Opens one store's database; {@code first}: the first open of this host (creates and checks it). */
    @FunctionalInterface
    public interface Opener {
        LightStore open(Path file, boolean first);
    }

    private final int capacity;
    private final long idleMillis;
    private final LongSupplier clock;
    private final Opener opener;
    private final Semaphore permits;
    /** Stores with an open connection, least recently used first. Guarded by {@code this}. */
    private final LinkedHashMap<Pooled, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);

    /** A pool of SQLite light stores (the host's). */
    public static LightStorePool sqlite(int capacity, long idleMillis, LongSupplier clock) {
        return new LightStorePool(
                capacity,
                idleMillis,
                clock,
                (file, first) -> first ? SqliteLightStore.open(file) : SqliteLightStore.reopen(file));
    }

    /** The capacity a host uses: {@value #CAPACITY_PROPERTY}, else {@value #DEFAULT_CAPACITY}. */
    public static int configuredCapacity() {
        return Math.max(1, Integer.getInteger(CAPACITY_PROPERTY, DEFAULT_CAPACITY));
    }

    public LightStorePool(int capacity, long idleMillis, LongSupplier clock, Opener opener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.idleMillis = idleMillis;
        this.clock = clock;
        this.opener = opener;
        this.permits = new Semaphore(capacity);
    }

    /**
     * The store of the light node {@code uid} in {@code home}. Its database is opened (and created,
     * and checked) now, so that an unusable file fails the start of the node, not its first message.
     */
    public LightStore store(FormixHome home, PartyId uid) {
        return store(home.nodeDb(uid));
    }

    /** The pooled store of the database {@code file}, opened (created, checked) now. */
    public LightStore store(Path file) {
        Pooled p = new Pooled(file);
        p.use(s -> null);
        return p;
    }

    /** How many stores hold an open connection now (at most the capacity). */
    public int openCount() {
        return capacity - permits.availablePermits();
    }

    public int capacity() {
        return capacity;
    }

    /** Closes the connections not used for the idle time; returns how many were closed. */
    public int closeIdle() {
        long now = clock.getAsLong();
        List<Pooled> idle = new ArrayList<>();
        synchronized (this) {
            for (Pooled p : open.keySet()) {
                if (now - p.lastUsed >= idleMillis) {
                    idle.add(p);
                }
            }
        }
        int n = 0;
        for (Pooled p : idle) {
            n += p.closeIfIdle(now) ? 1 : 0;
        }
        return n;
    }

    /** Closes every open connection; the stores stay usable (they reopen) unless closed themselves. */
    @Override
    public void close() {
        List<Pooled> all;
        synchronized (this) {
            all = new ArrayList<>(open.keySet());
        }
        for (Pooled p : all) {
            p.lock.lock();
            try {
                p.disconnect();
            } finally {
                p.lock.unlock();
            }
        }
    }

    /**
     * Closes the least recently used connection not in use, if there is one. The victim is chosen
     * and taken out under the pool's monitor ({@code tryLock} only, never waiting there); the slow
     * part, SQLite's close (a checkpoint), runs outside it.
     */
    private void evictOne() {
        Pooled victim = null;
        synchronized (this) {
            for (Pooled p : open.keySet()) {
                if (p.lock.tryLock()) {
                    if (p.db != null) {
                        victim = p;
                        break;
                    }
                    p.lock.unlock();
                }
            }
            if (victim != null) {
                open.remove(victim);
            }
        }
        if (victim != null) {
            try {
                victim.disconnect();
            } finally {
                victim.lock.unlock();
            }
        }
    }

    /** One light node's store: its database is open only while among the pool's recently used. */
    private final class Pooled implements LightStore {
        final Path file;
        final ReentrantLock lock = new ReentrantLock();
        /** The open connection, or null. Guarded by {@link #lock}. */
        LightStore db;
        /** Whether the database was opened once already (the first open creates and checks it). */
        boolean openedOnce;

        volatile long lastUsed;
        boolean storeClosed;

        Pooled(Path file) {
            this.file = file;
        }

        <T> T use(Function<LightStore, T> work) {
            lock.lock();
            try {
                if (storeClosed) {
                    throw new StateException(file + " is closed");
                }
                if (db == null) {
                    connect();
                }
                lastUsed = clock.getAsLong();
                synchronized (LightStorePool.this) {
                    open.put(this, Boolean.TRUE); // most recently used
                }
                return work.apply(db);
            } finally {
                lastUsed = clock.getAsLong();
                lock.unlock();
            }
        }

        /** Takes a permit (closing idle stores for one if needed), then opens. Under {@link #lock}. */
        private void connect() {
            try {
                if (!permits.tryAcquire()) {
                    do {
                        evictOne();
                    } while (!permits.tryAcquire(20, TimeUnit.MILLISECONDS));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StateException("interrupted while waiting to open " + file);
            }
            try {
                if (openedOnce && !Files.exists(file)) {
                    throw new StateException(file + " disappeared while its node ran; the node's answers "
                            + "are lost — stop the node and look for what deleted it");
                }
                db = opener.open(file, !openedOnce);
                openedOnce = true;
            } catch (RuntimeException e) {
                permits.release();
                String limit = ResourceLimits.explain(e, file);
                throw limit == null ? e : new StateException("cannot open " + file + ": " + limit, e);
            }
        }

        /** Closes the connection (under {@link #lock}) and gives its permit back. */
        void disconnect() {
            synchronized (LightStorePool.this) {
                open.remove(this);
            }
            if (db != null) {
                try {
                    db.close();
                } finally {
                    db = null;
                    permits.release();
                }
            }
        }

        boolean closeIfIdle(long now) {
            if (!lock.tryLock()) {
                return false;
            }
            try {
                if (db == null || now - lastUsed < idleMillis) {
                    return false;
                }
                disconnect();
                return true;
            } finally {
                lock.unlock();
            }
        }

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
            return use(s -> s.receive(id, prompt, schema, scheme, deadline, heavy, initial, now));
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
            return use(s -> s.receiveAnswered(id, prompt, schema, scheme, deadline, heavy, answer, shares, now));
        }

        @Override
        public boolean decide(String id, boolean approve, String reason) {
            return use(s -> s.decide(id, approve, reason));
        }

        @Override
        public boolean answer(String id, int answer, List<byte[]> shares, long now) {
            return use(s -> s.answer(id, answer, shares, now));
        }

        @Override
        public boolean refuse(String id, String reason) {
            return use(s -> s.refuse(id, reason));
        }

        @Override
        public boolean markDeclined(String id) {
            return use(s -> s.markDeclined(id));
        }

        @Override
        public boolean markSent(String id) {
            return use(s -> s.markSent(id));
        }

        @Override
        public Optional<Entry> entry(String id) {
            return use(s -> s.entry(id));
        }

        @Override
        public List<Entry> inState(State state) {
            return use(s -> s.inState(state));
        }

        @Override
        public List<Entry> all() {
            return use(s -> s.all());
        }

        @Override
        public void close() {
            lock.lock();
            try {
                storeClosed = true;
                disconnect();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String toString() {
            return "pooled " + file;
        }
    }
}
