package io.formix.service;

import java.time.Duration;

/**
 * Waiting between two polls of a row: the seam that lets tests move a clock instead of sleeping.
 * {@link #REAL} sleeps; an interrupt ends the wait with a {@link ServiceException}.
 */
@FunctionalInterface
public interface Pause {

    /** Waits about {@code d}. */
    void pause(Duration d);

    /** {@link Thread#sleep}, the interrupt turned into a one-line error. */
    Pause REAL = d -> {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException(ServiceException.Kind.ERROR, "interrupted");
        }
    };
}
