package io.formix.query;

import java.time.Duration;
import java.util.List;

/**
 * A parsed query: the dataset it runs on, its AND-ed terms, its aggregate, and the bounds of its
 * evaluation on one node (at most {@code maxRows} rows read, at most {@code maxTime}).
 */
public record Query(String dataset, List<Term> where, Aggregate aggregate, long maxRows, Duration maxTime) {

    public static final long DEFAULT_MAX_ROWS = 1_000_000;
    public static final long MAX_MAX_ROWS = 1_000_000_000;
    public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(30);
    public static final Duration MAX_MAX_TIME = Duration.ofHours(1);

    public Query {
        where = List.copyOf(where);
    }

    /** The per-node bound of each cell of the answer: what one node's answer can be at most, in absolute value. */
    public java.math.BigInteger[] cellBounds() {
        return aggregate.cellBounds(maxRows);
    }
}
