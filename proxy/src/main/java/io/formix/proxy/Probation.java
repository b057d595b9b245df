package io.formix.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a new connection has shown that a process reads or writes at its other end, which an
 * idle socket (one opened and left, or still in the listen backlog) never does.
 *
 * <p>A connection starts unproven and is <em>proven</em> for good once:
 * <ul>
 *   <li>the application sent a byte on it ({@link #heard()}), or</li>
 *   <li>the application read a byte the proxy wrote: a probe ({@link #probe}) reads the socket
 *       table twice and finds that of the {@code handed} bytes the kernel took from the proxy, the
 *       proxy's socket has {@code tx} not yet acknowledged (first snapshot) and the peer's socket
 *       {@code rx} not yet read (second snapshot); if {@code handed - tx - rx > 0}, the peer's
 *       process read at least one byte. Bytes only move from the proxy's queue to the peer's and
 *       then out to the process, so reading the two queues in that order never overstates it.</li>
 * </ul>
 * Until then the writer takes no further message (see {@link ChannelToSocket}): the one written
 * is not acknowledged, and stays in hand for the next connection if this one ends.
 *
 * <p>A probe answers {@link Verdict#ABANDON} when bytes were written, none has been read for
 * {@code limit} since the first write, and another connection waits for the link: an idle socket
 * then cannot keep the engine out. With no one waiting, an unproven connection is kept (an engine
 * may be slow to read).
 *
 * <p>Thread-safe: the writer records what it hands to the kernel and probes while it waits; the
 * reader reports bytes heard and probes while the writer is blocked in a write.
 */
final class Probation {
    private static final Logger LOG = LoggerFactory.getLogger(Probation.class);

    /** What a probe found. */
    enum Verdict {
        /** The process at the other end reads or writes: the connection is the application's. */
        PROVEN,
        /** Nothing shown yet; keep the connection and probe again later. */
        WAIT,
        /** Written bytes left unread too long while another connection waits: close this one. */
        ABANDON
    }

    private final SocketTable table;
    private final InetSocketAddress self;
    private final InetSocketAddress peer;
    private final Predicate<List<SocketTable.Entry>> othersWaiting;
    private final long limitNanos;
    private final LongSupplier clock;
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile boolean proven;
    private volatile boolean abandoned;
    private volatile boolean writing;
    private volatile boolean wrote;
    private volatile long firstWriteNanos;
    private volatile long handed;
    private boolean complained;

    /**
     * @param self the proxy's endpoint of the connection
     * @param peer the other end
     * @param othersWaiting whether another connection waits for the link, in a snapshot
     * @param limitNanos how long written bytes may stay unread while another connection waits
     * @param clock {@link System#nanoTime()} or a test's
     */
    Probation(
            SocketTable table,
            InetSocketAddress self,
            InetSocketAddress peer,
            Predicate<List<SocketTable.Entry>> othersWaiting,
            long limitNanos,
            LongSupplier clock) {
        this.table = table;
        this.self = self;
        this.peer = peer;
        this.othersWaiting = othersWaiting;
        this.limitNanos = limitNanos;
        this.clock = clock;
    }

    boolean proven() {
        return proven;
    }

    /** The application sent bytes on the connection. */
    void heard() {
        if (!proven) {
            prove();
        }
    }

    /** The writer starts writing a message (on an unproven connection). */
    void startWrite() {
        if (!wrote) {
            firstWriteNanos = clock.getAsLong();
            wrote = true;
        }
        writing = true;
    }

    /** The kernel took {@code bytes} more bytes from the writer (a write of them returned). Writer thread only. */
    void handed(long bytes) {
        handed += bytes;
    }

    /** The writer is done writing (the message was written whole, or the write failed). */
    void endWrite() {
        writing = false;
    }

    /** Whether the writer is in a write on this unproven connection (so only another thread can probe). */
    boolean writing() {
        return writing;
    }

    /** Bytes the kernel took from the writer on this connection so far. */
    long handed() {
        return handed;
    }

    /** Marks the connection given up: closed by the proxy because its bytes stayed unread. */
    void abandon() {
        abandoned = true;
        settled.countDown();
    }

    boolean abandoned() {
        return abandoned;
    }

    /** The connection ended: wakes a writer waiting in {@link #await}. */
    void release() {
        settled.countDown();
    }

    /**
     * Waits up to {@code nanos} for the connection to be proven or to end.
     *
     * @return whether it is proven
     */
    boolean await(long nanos) throws InterruptedException {
        settled.await(nanos, TimeUnit.NANOSECONDS);
        return proven;
    }

    /**
     * Looks at the socket table: is the connection proven, to be kept, or to be abandoned?
     * {@code mayAbandon} false never answers {@link Verdict#ABANDON} (a last look at a connection
     * that already ended). A table that cannot be read answers {@link Verdict#WAIT}.
     */
    synchronized Verdict probe(boolean mayAbandon) {
        if (proven) {
            return Verdict.PROVEN;
        }
        long sent = handed;
        if (sent == 0 && !writing) {
            return Verdict.WAIT; // nothing written, nothing at stake
        }
        List<SocketTable.Entry> later;
        try {
            Optional<SocketTable.Entry> ours = SocketTable.connection(table.snapshot(), self, peer);
            later = table.snapshot();
            Optional<SocketTable.Entry> theirs = SocketTable.connection(later, peer, self);
            if (ours.isPresent()
                    && theirs.isPresent()
                    && sent - ours.get().txQueue() - theirs.get().rxQueue() > 0) {
                prove();
                return Verdict.PROVEN;
            }
        } catch (IOException e) {
            if (!complained) {
                complained = true;
                LOG.warn(
                        "cannot read the socket table ({}); the connection from {} stays unproven",
                        e.getMessage(),
                        peer);
            }
            return Verdict.WAIT;
        }
        if (mayAbandon && wrote && clock.getAsLong() - firstWriteNanos >= limitNanos && othersWaiting.test(later)) {
            return Verdict.ABANDON;
        }
        return Verdict.WAIT;
    }

    private void prove() {
        proven = true;
        settled.countDown();
    }
}
