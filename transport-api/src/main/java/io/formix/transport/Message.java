package io.formix.transport;

import java.util.Objects;

/**
 * One message as received: who sent it, its number on the channel, and its payload.
 *
 * <p>{@code sequence} is the message's position on the channel {@code from -> receiver}: 0, 1, 2
 * ... For durable backends it is the number in the file name and is stable across restarts, so a
 * message delivered again after a receiver crash (see {@link Transport}) carries the same sequence
 * and a caller can recognise it. For non-durable backends it counts from 0 per connection session.
 *
 * <p>The payload array belongs to the caller that received it; no transport keeps a reference.
 */
public record Message(PartyId from, long sequence, byte[] payload) {
    public Message {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(payload, "payload");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must be >= 0");
        }
    }

    @Override
    public String toString() {
        // Never the payload: it may hold a secret share.
        return "Message[from=" + from + ", sequence=" + sequence + ", bytes=" + payload.length + "]";
    }
}
