package io.formix.transport.seal;

import java.security.GeneralSecurityException;

/**
 * A sealed envelope failed one of the receiver's checks. {@link #step()} names the check; the
 * message is one line, {@code "<description>: <detail>"}, and never holds the envelope's content.
 */
public class EnvelopeRejectedException extends GeneralSecurityException {

    private final Step step;
    private final String detail;

    public EnvelopeRejectedException(Step step, String detail) {
        super(step.description() + ": " + detail);
        this.step = step;
        this.detail = detail;
    }

    /** The check that failed. */
    public Step step() {
        return step;
    }

    /** The detail after the step's description. */
    public String detail() {
        return detail;
    }
}
