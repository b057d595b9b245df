package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one transport knows about one peer: the connection it currently sends on, the lock that
 * serialises its sends, and the reader of the newest inbound connection (so a reader of a new
 * connection can wait for the previous one to finish, keeping per-sender order across reconnects).
 */
final class Link {

    /** A reader thread and the connection it drains. */
    record ReaderHandle(Thread thread, FramedConnection connection) {
    }

    final PartyId peer;
    final ReentrantLock sendLock = new ReentrantLock();
    private FramedConnection outbound;
    private ReaderHandle lastReader;

    Link(PartyId peer) {
        this.peer = peer;
    }

    /** The connection to send on, or null if none is up. */
    synchronized FramedConnection outbound() {
        if (outbound != null && outbound.isClosed()) {
            outbound = null;
        }
        return outbound;
    }

    /**
     * Waits until a connection to send on is up, the deadline passes (null) or {@code closed}
     * says the transport closed (null).
     */
    synchronized FramedConnection awaitOutbound(long deadlineNanos, java.util.function.BooleanSupplier closed)
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

    /** Waits until {@code c} is no longer the connection to send on, or the transport closed. */
    synchronized void awaitLost(FramedConnection c, java.util.function.BooleanSupplier closed)
            throws InterruptedException {
        while (outbound() == c && !closed.getAsBoolean()) {
            wait(200);
        }
    }

    /**
     * Makes {@code c} the connection to send on. A connection it replaces is left to its reader,
     * which drains what the peer sent on it and then closes it.
     */
    synchronized void setOutbound(FramedConnection c) {
        outbound = c;
        notifyAll();
    }

    /** Forgets {@code c} if it is the connection to send on (it broke or ended). */
    synchronized void outboundLost(FramedConnection c) {
        if (outbound == c) {
            outbound = null;
            notifyAll();
        }
    }

    /** Records {@code next} as the newest reader and returns the previous one (or null). */
    synchronized ReaderHandle swapReader(ReaderHandle next) {
        ReaderHandle prev = lastReader;
        lastReader = next;
        return prev;
    }

    /** Wakes every waiter (the transport closed). */
    synchronized void wake() {
        notifyAll();
    }
}
