package io.formix.state;

import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One light node's store in a {@link LightStorePool}: its SQLite connection is open only while it
 * is among the pool's most recently used. Every operation runs under the store's lock with the
 * connection open (reopening it, after taking one of the pool's permits, if it was closed), and is
 * its own committed transaction; the connection is closed only between operations, under the same
 * lock, so closing never loses or splits a write.
 *
 * <p>The first open of the file creates and checks it; a later open of a file that disappeared
 * meanwhile fails with the reason instead of silently creating an empty database.
 *
 * <p>Lock order: this store's lock, then the pool's monitor. Thread-safe.
 */
final class PooledLightStore implements LightStore {
    private final LightStorePool pool;
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    /** The open connection, or null. Guarded by {@link #lock}. */
    private LightStore db;
    /** Whether the database was opened once already (the first open creates and checks it). */
    private boolean openedOnce;

    private volatile long lastUsed;
    /** Whether {@link #close()} was called: no operation runs any more. Guarded by {@link #lock}. */
    private boolean storeClosed;

    PooledLightStore(LightStorePool pool, Path file) {
        this.pool = pool;
        this.file = file;
    }

    /** When this store was last used (the pool's clock). */
    long lastUsed() {
        return lastUsed;
    }

    /** Runs {@code work} on the open connection, opening it first if needed. */
    <T> T use(Function<LightStore, T> work) {
        lock.lock();
        try {
            if (storeClosed) {
                throw new StateException(file + " is closed");
            }
            if (db == null) {
                connect();
            }
            lastUsed = pool.now();
            pool.markUsed(this); // most recently used
            return work.apply(db);
        } finally {
            lastUsed = pool.now();
            lock.unlock();
        }
    }

    /** Takes a permit (closing idle stores for one if needed), then opens. Under {@link #lock}. */
    private void connect() {
        pool.acquirePermit(file);
        try {
            if (openedOnce && !Files.exists(file)) {
                throw new StateException(file + " disappeared while its node ran; the node's answers "
                        + "are lost — stop the node and look for what deleted it");
            }
            db = pool.open(file, !openedOnce);
            openedOnce = true;
        } catch (RuntimeException e) {
            pool.releasePermit();
            String limit = ResourceLimits.explain(e, file);
            throw limit == null ? e : new StateException("cannot open " + file + ": " + limit, e);
        }
    }

    /** Closes the connection (under {@link #lock}) and gives its permit back. */
    private void disconnect() {
        pool.forget(this);
        if (db != null) {
            try {
                db.close();
            } finally {
                db = null;
                pool.releasePermit();
            }
        }
    }

    /** Closes the connection, waiting for the operation in hand; the store stays usable. */
    void disconnectNow() {
        lock.lock();
        try {
            disconnect();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the store's lock if it is free and the connection open (an eviction candidate); the
     * caller then calls {@link #disconnectLocked()}. Never waits.
     */
    boolean tryLockIfConnected() {
        if (!lock.tryLock()) {
            return false;
        }
        if (db != null) {
            return true;
        }
        lock.unlock();
        return false;
    }

    /** After a successful {@link #tryLockIfConnected()}: closes the connection and unlocks. */
    void disconnectLocked() {
        try {
            disconnect();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection if it is open, not in use and unused for {@code idleMillis}. */
    boolean closeIfIdle(long now, long idleMillis) {
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
        return use(s -> s.receiveQuery(id, prompt, schema, scheme, deadline, heavy, asked, initial, reason, now));
    }

    @Override
    public boolean reviewed(String id, String hash) {
        return use(s -> s.reviewed(id, hash));
    }

    @Override
    public boolean approveQuery(String id, String hash, long[] cells) {
        return use(s -> s.approveQuery(id, hash, cells));
    }

    @Override
    public boolean answerCells(String id, long[] cells, List<byte[]> shares, long now) {
        return use(s -> s.answerCells(id, cells, shares, now));
    }

    @Override
    public boolean refuse(String id, String reason, String detail) {
        return use(s -> s.refuse(id, reason, detail));
    }

    @Override
    public <T> T onDatabase(Function<Sqlite, T> work) {
        return use(s -> s.onDatabase(work));
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
