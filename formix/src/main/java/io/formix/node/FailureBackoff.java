package io.formix.node;

import io.formix.transport.spi.Backoff;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What a loop does when the same operation keeps failing (a receive, a tick): wait before trying
 * again, {@link #INITIAL} doubling up to {@link #MAX}, back to {@link #INITIAL} after a success;
 * and log each distinct failure once — its first occurrence, a "still failing" line after 10, 100,
 * 1000 … repeats, and {@code … repeated N times} when it changes or clears — instead of one line per
 * attempt. A loop that sleeps asks {@link #failed} for the wait; a periodic one (the ticker) skips
 * the work until {@link #ready} says the wait is over. No clock or thread of its own: callers pass
 * the time, so tests drive it without sleeping. Thread-safe.
 */
final class FailureBackoff {

    static final Duration INITIAL = Duration.ofMillis(50);
    static final Duration MAX = Duration.ofSeconds(5);

    /** Waits up to a number of milliseconds (returns early when the loop should end). */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final String what;
    private final Consumer<String> log;
    private final Backoff backoff = new Backoff(INITIAL, MAX);
    private String failure;
    private long repeats;
    private long retryAt = Long.MIN_VALUE;

    /** {@code what} names the operation in log lines ("receive", "tick"); {@code log} takes one line. */
    FailureBackoff(String what, Consumer<String> log) {
        this.what = what;
        this.log = log;
    }

    /**
     * Records a failure at {@code now} (ms) with its one-line {@code reason}; returns how long to
     * wait before the next attempt, in ms.
     */
    synchronized long failed(String reason, long now) {
        String r = String.valueOf(reason);
        if (!r.equals(failure)) {
            summarize();
            failure = r;
            repeats = 1;
            log.accept(what + " failed: " + r);
        } else {
            repeats++;
            if (isPowerOfTen(repeats)) {
                log.accept(what + " still failing (" + repeats + " times so far): " + r);
            }
        }
        long wait = backoff.nextNanos() / 1_000_000;
        retryAt = now + wait;
        return wait;
    }

    /** Records a success: logs the summary of the failure that just cleared and resets the wait. */
    synchronized void succeeded() {
        if (failure != null) {
            summarize();
            failure = null;
            backoff.reset();
            retryAt = Long.MIN_VALUE;
        }
    }

    /** Whether the wait after the last failure is over at {@code now} (ms); always true without failures. */
    synchronized boolean ready(long now) {
        return now >= retryAt;
    }

    private void summarize() {
        if (failure != null && repeats > 1) {
            log.accept(what + " failed: " + failure + " — repeated " + repeats + " times");
        }
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }
}
