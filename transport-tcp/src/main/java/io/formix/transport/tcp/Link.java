package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What one transport knows about one peer: the connection it currently sends on, the lock that
 * serialises its sends, and the reader of the newest inbound connection (so a reader of a new
 * connection can wait for the previous one to finish, keeping per-sender order across reconnects).
 */
final class Link {

    final PartyId peer;
    final ReentrantLock sendLock = new ReentrantLock();
    private final boolean acknowledged;
    private FramedConnection outbound;
    private Reader lastReader;
    /** Messages written on / acknowledged over {@link #outbound} (directory mode). */
    private long sent;

    private long acked;
    private String lossReport;
    private long pendingCount;

    /**
     * @param acknowledged whether the peer acknowledges delivered messages on the outbound
     *     connection (directory mode), so that its end with messages unconfirmed can be reported
     */
    Link(PartyId peer, boolean acknowledged) {
        this.peer = peer;
        this.acknowledged = acknowledged;
    }

    /** The connection to send on, or null if none is up. */
    synchronized FramedConnection outbound() {
        if (outbound != null && outbound.isClosed()) {
            outboundLost(outbound);
        }
        return outbound;
    }

    /** Counts a message about to be written on {@code c}. */
    synchronized void sending(FramedConnection c) {
        if (outbound == c) {
            sent++;
        }
    }

    /** The peer confirmed delivery of the first {@code count} messages written on {@code c}. */
    synchronized void acknowledged(FramedConnection c, long count) {
        if (outbound == c && count > acked) {
            acked = Math.min(count, sent);
            notifyAll();
        }
    }

    /**
     * Returns and clears the report of messages that were written on a connection which ended
     * before the peer confirmed them, or null if there is none.
     */
    synchronized String takeLossReport() {
        String r = lossReport;
        lossReport = null;
        pendingCount = 0;
        return r;
    }

    /**
     * Waits until every message written to the peer is confirmed (true), or the deadline passes
     * (false). Throws if a connection ended with messages unconfirmed (clearing that report).
     */
    synchronized boolean awaitDelivered(long deadlineNanos, BooleanSupplier closed)
            throws PeerUnavailableException, InterruptedException {
        while (true) {
            outbound();
            String report = takeLossReport();
            if (report != null) {
                throw new PeerUnavailableException(report);
            }
            if (outbound == null || acked >= sent) {
                return true;
            }
            long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0 || closed.getAsBoolean()) {
                return false;
            }
            wait(Math.min(leftMs, 200));
        }
    }

    /**
     * Waits until a connection to send on is up, the deadline passes (null) or {@code closed}
     * says the transport closed (null).
     */
    synchronized FramedConnection awaitOutbound(long deadlineNanos, BooleanSupplier closed)
            throws InterruptedException {
        while (true) {
            FramedConnection c = outbound();
            if (c != null || closed.getAsBoolean()) {
                return c;
            }
            long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return null;
            }
            wait(Math.min(leftMs, 200));
        }
    }

    /**
     * Makes {@code c} the connection to send on. A connection it replaces is left to its reader,
     * which drains what the peer sent on it and then closes it.
     */
    synchronized void setOutbound(FramedConnection c) {
        outbound = c;
        sent = 0;
        acked = 0;
        notifyAll();
    }

    /**
     * Forgets {@code c} if it is the connection to send on (it broke or ended). With
     * acknowledgements, messages written on it but not confirmed become a loss report.
     */
    synchronized void outboundLost(FramedConnection c) {
        if (outbound == c) {
            if (acknowledged && sent > acked) {
                long lost = sent - acked + (lossReport == null ? 0 : pendingCount);
                pendingCount = lost;
                lossReport = lost + " message(s) sent to " + peer + " were not confirmed before the connection "
                        + c.remoteAddress() + " ended; they may not have been delivered";
            }
            outbound = null;
            notifyAll();
        }
    }

    /** Records {@code next} as the newest reader and returns the previous one (or null). */
    synchronized Reader swapReader(Reader next) {
        Reader prev = lastReader;
        lastReader = next;
        return prev;
    }

    /** Forgets {@code r} if it is still the newest reader (it ended). */
    synchronized void readerEnded(Reader r) {
        if (lastReader == r) {
            lastReader = null;
        }
    }

    /** Wakes every waiter (the transport closed). */
    synchronized void wake() {
        notifyAll();
    }
}
