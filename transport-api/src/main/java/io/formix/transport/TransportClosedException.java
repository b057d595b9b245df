package io.formix.transport;

/** The transport was closed before or during the call. */
public class TransportClosedException extends TransportException {
    public TransportClosedException(String message) {
        super(message);
    }
}
