package io.formix.transport.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff for reconnect and retry loops: the delays are {@code initial},
 * {@code 2·initial}, {@code 4·initial} ... never above {@code max} (no overflow, however large);
 * {@link #reset()} starts again from {@code initial} after a success. Not thread-safe: one per loop.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private long nextNanos;

    /** @throws IllegalArgumentException unless {@code 0 < initial <= max} */
    public Backoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + " and " + max);
        }
        this.initialNanos = saturatedNanos(initial);
        this.maxNanos = saturatedNanos(max);
        this.nextNanos = initialNanos;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The delay to wait before the next attempt, in nanoseconds; the following one is twice as long, up to the cap. */
    public long nextNanos() {
        long d = nextNanos;
        nextNanos = nextNanos > maxNanos / 2 ? maxNanos : nextNanos * 2;
        return d;
    }

    /** Back to {@code initial}, after a success. */
    public void reset() {
        nextNanos = initialNanos;
    }
}
