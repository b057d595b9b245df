package io.formix.transport;

import java.io.IOException;

/** A transport operation failed. Subclasses name the causes a caller may want to handle. */
public class TransportException extends IOException {
    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
