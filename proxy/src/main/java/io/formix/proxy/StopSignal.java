package io.formix.proxy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A link's stop request with its grace deadline: once stopped, no new connection is made and a frame
 * in hand may finish until the deadline ({@link System#nanoTime()}). Thread-safe.
 */
final class StopSignal {
    private final CountDownLatch signal = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile long graceDeadline;

    /** Asks to stop; a frame in hand may finish until {@code graceDeadlineNanos}. */
    void stop(long graceDeadlineNanos) {
        this.graceDeadline = graceDeadlineNanos;
        this.stopping = true;
        signal.countDown();
    }

    boolean stopping() {
        return stopping;
    }

    /** Whether stopping and the grace period is over. */
    boolean pastGrace() {
        return stopping && System.nanoTime() - graceDeadline >= 0;
    }

    /** Nanoseconds left of the grace period (negative once over); meaningful only once stopping. */
    long graceLeftNanos() {
        return graceDeadline - System.nanoTime();
    }

    /** Waits up to {@code nanos} or until stop is requested; returns true if stopping. */
    boolean await(long nanos) throws InterruptedException {
        return signal.await(nanos, TimeUnit.NANOSECONDS);
    }
}
