package io.formix.mpc;

/** A contributor's share was offered to an accumulator that already holds one from it; the sum is unchanged. */
public final class DuplicateContributionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    DuplicateContributionException(String message) {
        super(message);
    }
}
