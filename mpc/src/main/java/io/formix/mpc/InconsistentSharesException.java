package io.formix.mpc;

/**
 * Shares or partial sums that cannot belong together: two parties report different values for the
 * same component, or partial sums cover different contributor sets. Revealing would give a wrong
 * result, so nothing is revealed.
 */
public final class InconsistentSharesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InconsistentSharesException(String message) {
        super(message);
    }
}
