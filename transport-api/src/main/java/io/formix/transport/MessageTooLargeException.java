package io.formix.transport;

/** A payload or an incoming length prefix exceeds the configured maximum message size. */
public class MessageTooLargeException extends TransportException {
    private final long length;
    private final long max;

    public MessageTooLargeException(long length, long max) {
        super("message of " + length + " bytes exceeds the maximum of " + max + " bytes");
        this.length = length;
        this.max = max;
    }

    /** The rejected length. */
    public long length() {
        return length;
    }

    /** The bound it broke. */
    public long max() {
        return max;
    }
}
