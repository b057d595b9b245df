package io.formix.transport.spi;

import io.formix.transport.MessageTooLargeException;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.util.Objects;

/** The argument checks every {@link Transport#send} performs first, in one place. */
public final class SendArguments {

    private SendArguments() {}

    /**
     * Checks a send from {@code self} to {@code to} of {@code payload} against {@code maxMessageBytes}.
     *
     * @throws NullPointerException if {@code to} or {@code payload} is null
     * @throws IllegalArgumentException if {@code to} is {@code self}
     * @throws MessageTooLargeException if the payload exceeds {@code maxMessageBytes}
     */
    public static void check(PartyId self, PartyId to, byte[] payload, int maxMessageBytes)
            throws MessageTooLargeException {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        if (to.equals(self)) {
            throw new IllegalArgumentException("cannot send to self (" + self + ")");
        }
        if (payload.length > maxMessageBytes) {
            throw new MessageTooLargeException(payload.length, maxMessageBytes);
        }
    }
}
