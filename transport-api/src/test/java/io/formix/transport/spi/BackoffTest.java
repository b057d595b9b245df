package io.formix.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesUpToTheCapAndResets() {
        Backoff b = new Backoff(Duration.ofNanos(10), Duration.ofNanos(75));
        assertEquals(10, b.nextNanos());
        assertEquals(20, b.nextNanos());
        assertEquals(40, b.nextNanos());
        assertEquals(75, b.nextNanos());
        assertEquals(75, b.nextNanos());
        b.reset();
        assertEquals(10, b.nextNanos());
    }

    @Test
    void hugeDelaysSaturateInsteadOfOverflowing() {
        Backoff huge = new Backoff(Duration.ofNanos(Long.MAX_VALUE / 2 + 1), Duration.ofSeconds(Long.MAX_VALUE));
        huge.nextNanos();
        assertEquals(Long.MAX_VALUE, huge.nextNanos());
        assertEquals(Long.MAX_VALUE, huge.nextNanos());
    }

    @Test
    void rejectsZeroOrInvertedBounds() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    }
}
