package io.formix.transport.seal;

/**
 * Told of every incoming message a {@link SealingTransport} refuses or ignores as a duplicate,
 * on the receiving thread, before {@code receive} moves on to the next message. Must be quick and
 * must not throw (an exception is caught and dropped, never crashes the receiver).
 */
@FunctionalInterface
public interface RejectionListener {

    /** A message was refused ({@code rejection.step()} says where) or ignored as a duplicate. */
    void rejected(Rejection rejection);

    /** A listener that does nothing; the transport still counts. */
    RejectionListener NONE = r -> {};
}
