package io.formix.protocol;

/** A message was rejected: bad JSON, unknown version or type, or a malformed body. */
public final class ProtocolException extends Exception {
    public ProtocolException(String reason) {
        super(reason);
    }
}
