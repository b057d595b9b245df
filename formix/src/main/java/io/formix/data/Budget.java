package io.formix.data;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How much a read may take: at most {@code maxRows} rows and {@code timeout} of wall-clock time,
 * measured by {@code nanoClock} (a seam for tests). Exceeding either is a {@link DataException}.
 */
public record Budget(long maxRows, Duration timeout, LongSupplier nanoClock) {

    public Budget {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive");
        }
    }

    public static Budget of(long maxRows, Duration timeout) {
        return new Budget(maxRows, timeout, System::nanoTime);
    }

    /** A started budget: the deadline is now + timeout. */
    public Deadline start() {
        return new Deadline(this, nanoClock.getAsLong() + timeout.toNanos());
    }

    /** A budget being spent. */
    public static final class Deadline {
        private final Budget budget;
        private final long deadline;

        Deadline(Budget budget, long deadline) {
            this.budget = budget;
            this.deadline = deadline;
        }

        public long maxRows() {
            return budget.maxRows;
        }

        public boolean expired() {
            return budget.nanoClock.getAsLong() - deadline > 0;
        }

        /** Fails if {@code rows} is above the row bound or the time is up. */
        public void check(long rows) {
            if (rows > budget.maxRows) {
                throw new DataException("more than " + budget.maxRows + " rows (the query's maxRows)");
            }
            if (expired()) {
                throw new DataException(
                        "reading took longer than " + budget.timeout.toSeconds() + " s (the query's time bound)");
            }
        }
    }
}
