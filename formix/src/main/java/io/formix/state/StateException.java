package io.formix.state;

/** A state file could not be read or written; the message says what and what to do. */
public class StateException extends RuntimeException {
    public StateException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateException(String message) {
        super(message);
    }
}
