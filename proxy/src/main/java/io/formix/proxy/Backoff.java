package io.formix.proxy;

import java.time.Duration;

/** Doubling delays from a minimum to a cap, for reconnecting to a late application. Not thread-safe. */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private long next;

    Backoff(Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.next = minNanos;
    }

    /** The delay to wait now; the following one is twice as long, up to the cap. */
    long nextNanos() {
        long d = next;
        next = Math.min(maxNanos, next * 2);
        return d;
    }

    /** Back to the minimum, after a success. */
    void reset() {
        next = minNanos;
    }
}
