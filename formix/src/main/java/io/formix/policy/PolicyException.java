package io.formix.policy;

/** A policy setting that is not acceptable, or a policy that cannot be read: one line saying why. */
public final class PolicyException extends RuntimeException {
    public PolicyException(String message) {
        super(message);
    }
}
