package io.formix.transport;

/** The peer could not be reached, or went away while a message was in flight. */
public class PeerUnavailableException extends TransportException {
    public PeerUnavailableException(String message) {
        super(message);
    }

    public PeerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
