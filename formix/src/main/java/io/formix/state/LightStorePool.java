package io.formix.state;

import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * <p>Each store is a {@link PooledLightStore}; this class keeps the permits and the recency order
 * and chooses what to close.
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
    private final LinkedHashMap<PooledLightStore, Boolean> open = new LinkedHashMap<>(16, 0.75f, true);

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
        PooledLightStore p = new PooledLightStore(this, file);
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
        List<PooledLightStore> idle = new ArrayList<>();
        synchronized (this) {
            for (PooledLightStore p : open.keySet()) {
                if (now - p.lastUsed() >= idleMillis) {
                    idle.add(p);
                }
            }
        }
        int n = 0;
        for (PooledLightStore p : idle) {
            n += p.closeIfIdle(now, idleMillis) ? 1 : 0;
        }
        return n;
    }

    /** Closes every open connection; the stores stay usable (they reopen) unless closed themselves. */
    @Override
    public void close() {
        List<PooledLightStore> all;
        synchronized (this) {
            all = new ArrayList<>(open.keySet());
        }
        for (PooledLightStore p : all) {
            p.disconnectNow();
        }
    }

    /** The pool's clock, in ms. */
    long now() {
        return clock.getAsLong();
    }

    /** Records {@code p} as the most recently used store with an open connection. */
    synchronized void markUsed(PooledLightStore p) {
        open.put(p, Boolean.TRUE);
    }

    /** Records that {@code p} holds no connection any more. */
    synchronized void forget(PooledLightStore p) {
        open.remove(p);
    }

    /**
     * Takes one of the {@code capacity} permits to open {@code file}, closing the least recently
     * used idle stores meanwhile while none is free: the bound is hard.
     */
    void acquirePermit(Path file) {
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
    }

    /** Gives back the permit of a connection closed (or never opened). */
    void releasePermit() {
        permits.release();
    }

    /** Opens the database {@code file}; {@code first}: its first open (creates and checks it). */
    LightStore open(Path file, boolean first) {
        return opener.open(file, first);
    }

    /**
     * Closes the least recently used connection not in use, if there is one. The victim is chosen
     * and taken out under the pool's monitor ({@code tryLock} only, never waiting there); the slow
     * part, SQLite's close (a checkpoint), runs outside it.
     */
    private void evictOne() {
        PooledLightStore victim = null;
        synchronized (this) {
            for (PooledLightStore p : open.keySet()) {
                if (p.tryLockIfConnected()) {
                    victim = p;
                    break;
                }
            }
            if (victim != null) {
                open.remove(victim);
            }
        }
        if (victim != null) {
            victim.disconnectLocked();
        }
    }
}
