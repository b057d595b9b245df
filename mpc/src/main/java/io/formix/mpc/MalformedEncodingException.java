package io.formix.mpc;

/** Bytes or JSON-friendly strings that are not a valid encoding; nothing was allocated beyond the bounds. */
public final class MalformedEncodingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedEncodingException(String message) {
        super(message);
    }

    MalformedEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
