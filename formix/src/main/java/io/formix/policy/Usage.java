package io.formix.policy;

import java.math.BigDecimal;

/**
 * What a dataset has given so far, from the node's ledger: computations answered on the day of the
 * decision (UTC), and the ε of every differentially private computation answered, in all.
 */
public record Usage(long answeredToday, BigDecimal epsilonSpent) {

    /** Nothing given yet. */
    public static final Usage NONE = new Usage(0, BigDecimal.ZERO);
}
