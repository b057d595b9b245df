package io.formix.transport.file;

import java.util.concurrent.TimeUnit;

/**
 * Where receivers wait for something to look at. {@link #ring()} is called by watch listeners on
 * the dispatch thread and never blocks beyond a short monitor; a waiter reads {@link #count()}
 * before looking and then waits only if nothing rang since, so no event is lost between its look
 * and its wait. A {@link #listen listener} hears every ring too, after the count went up, so whoever
 * serves the transport from another thread can look after each ring without a thread waiting here.
 */
final class Doorbell {

    private final Object monitor = new Object();
    private volatile long rings;
    private boolean closed;
    private volatile Runnable listener;

    /** Calls {@code l} (which must not block) after every later ring; null stops it. */
    void listen(Runnable l) {
        listener = l;
    }

    /** Rings so far; pass to {@link #await}. */
    long count() {
        return rings;
    }

    void ring() {
        synchronized (monitor) {
            rings++;
            monitor.notifyAll();
        }
        Runnable l = listener;
        if (l != null) {
            l.run();
        }
    }

    /** Wakes every waiter for good. */
    void close() {
        listener = null;
        synchronized (monitor) {
            closed = true;
            monitor.notifyAll();
        }
    }

    /** Waits up to {@code nanos} unless it rang since {@code seen} or was closed. */
    void await(long seen, long nanos) throws InterruptedException {
        synchronized (monitor) {
            if (rings == seen && !closed && nanos > 0) {
                TimeUnit.NANOSECONDS.timedWait(monitor, nanos);
            }
        }
    }
}
