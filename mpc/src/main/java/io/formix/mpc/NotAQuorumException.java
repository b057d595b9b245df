package io.formix.mpc;

/** The parties that supplied shares or partial sums together miss a component: nothing can be revealed. */
public final class NotAQuorumException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotAQuorumException(String message) {
        super(message);
    }
}
