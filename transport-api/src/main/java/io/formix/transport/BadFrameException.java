package io.formix.transport;

/** A frame's length prefix is impossible (negative). Oversized lengths are {@link MessageTooLargeException}. */
public class BadFrameException extends TransportException {
    public BadFrameException(String message) {
        super(message);
    }
}
