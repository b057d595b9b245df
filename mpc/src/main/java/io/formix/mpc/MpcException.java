package io.formix.mpc;

/**
 * The one exception family of this package: input that cannot be shared, accumulated, decoded or
 * revealed as asked. Every subclass leaves the object it was thrown from unchanged, and its message is
 * one line with the reason (never a share's value).
 *
 * <p>It extends {@link IllegalArgumentException}: the cause is always the caller's input (shares,
 * partial sums or bytes received from others), so code that already treats bad input as an
 * {@code IllegalArgumentException} keeps working. Catch {@code MpcException} to handle all of them,
 * or one of the nested subclasses:
 *
 * <ul>
 *   <li>{@link NotAQuorumException} — the parties present miss a component;
 *   <li>{@link InconsistentSharesException} — values or contributor sets that cannot belong together;
 *   <li>{@link DuplicateContributionException} — a contributor offered twice to one accumulator;
 *   <li>{@link MalformedEncodingException} — bytes or strings that are not a valid encoding.
 * </ul>
 *
 * <p>Only this package throws them; their constructors are not public.
 */
public abstract sealed class MpcException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MpcException(String message) {
        super(message);
    }

    MpcException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The parties that supplied shares or partial sums together miss a component: nothing can be revealed. */
    public static final class NotAQuorumException extends MpcException {
        private static final long serialVersionUID = 1L;

        NotAQuorumException(String message) {
            super(message);
        }
    }

    /**
     * Shares or partial sums that cannot belong together: two parties report different values for the
     * same component, or partial sums cover different contributor sets. Revealing would give a wrong
     * result, so nothing is revealed.
     */
    public static final class InconsistentSharesException extends MpcException {
        private static final long serialVersionUID = 1L;

        InconsistentSharesException(String message) {
            super(message);
        }
    }

    /** A contributor's share was offered to an accumulator that already holds one from it; the sum is unchanged. */
    public static final class DuplicateContributionException extends MpcException {
        private static final long serialVersionUID = 1L;

        DuplicateContributionException(String message) {
            super(message);
        }
    }

    /** Bytes or JSON-friendly strings that are not a valid encoding; nothing was allocated beyond the bounds. */
    public static final class MalformedEncodingException extends MpcException {
        private static final long serialVersionUID = 1L;

        MalformedEncodingException(String message) {
            super(message);
        }

        MalformedEncodingException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
