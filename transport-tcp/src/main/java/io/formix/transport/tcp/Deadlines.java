package io.formix.transport.tcp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Turns caller timeouts into {@link System#nanoTime()} deadlines without overflow. */
final class Deadlines {

    /** Longer timeouts are treated as this (a century): far enough to mean "forever", safe to add. */
    static final long MAX_NANOS = TimeUnit.DAYS.toNanos(36_500);

    private Deadlines() {}

    /** The deadline {@code timeout} from now; negative timeouts mean now, huge ones a century. */
    static long after(Duration timeout) {
        long nanos;
        if (timeout.isNegative()) {
            nanos = 0;
        } else if (timeout.compareTo(Duration.ofNanos(MAX_NANOS)) > 0) {
            nanos = MAX_NANOS;
        } else {
            nanos = timeout.toNanos();
        }
        return System.nanoTime() + nanos;
    }
}
