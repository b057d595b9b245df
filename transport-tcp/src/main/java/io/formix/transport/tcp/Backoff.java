package io.formix.transport.tcp;

/** Capped exponential backoff: {@code initial}, {@code 2*initial}, ... never above {@code max}. Not thread-safe. */
final class Backoff {

    private final long maxNanos;
    private long nextNanos;

    Backoff(long initialNanos, long maxNanos) {
        this.maxNanos = maxNanos;
        this.nextNanos = initialNanos;
    }

    /** The delay to wait before the next attempt; each call doubles the following one up to the cap. */
    long nextDelayNanos() {
        long d = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos > maxNanos / 2 ? maxNanos : nextNanos * 2);
        return d;
    }
}
