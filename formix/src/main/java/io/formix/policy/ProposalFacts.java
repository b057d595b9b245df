package io.formix.policy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What a light node knows of a proposal besides its query, as the policy needs it.
 *
 * @param computation the computation's id (the ledger records each computation once)
 * @param proposer    the proposer's party uid, or {@code null} when it is not known
 * @param threshold   how many light nodes' answers the total must hold at least
 * @param dpEpsilon   the ε of the differential privacy the proposal asks for, or {@code null} for none
 * @param now         when the node decides (the per-day counter counts UTC days of it)
 */
public record ProposalFacts(String computation, String proposer, long threshold, BigDecimal dpEpsilon, Instant now) {

    /** The longest computation id the ledger keeps. */
    public static final int MAX_ID = 128;

    public ProposalFacts {
        Objects.requireNonNull(computation, "computation");
        Objects.requireNonNull(now, "now");
        if (computation.isEmpty() || computation.length() > MAX_ID) {
            throw new PolicyException("a computation id has 1.." + MAX_ID + " characters");
        }
        if (threshold < 1) {
            throw new PolicyException("a threshold is at least 1, not " + threshold);
        }
        if (dpEpsilon != null && dpEpsilon.signum() <= 0) {
            throw new PolicyException("a differential privacy ε is above 0, not " + dpEpsilon.toPlainString());
        }
    }
}
