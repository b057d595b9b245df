package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.time.Instant;
import java.util.Objects;

/**
 * An inbound channel that cannot move on: message {@code waitingFor} has not become deliverable
 * for at least the stable window while the folder holds numbered entries
 * {@code lowestAhead..highestAhead} above it. Either the sender lost its state and numbers again
 * from an older point, a sync engine lost the message, or someone wrote ahead. Reported by
 * {@link FileTransport#stalls()} until the channel moves on.
 *
 * @param from the sender of the channel
 * @param waitingFor the receiver's cursor: the message it waits for
 * @param lowestAhead the lowest message number present above the cursor at the latest listing
 * @param highestAhead the highest message number present above the cursor at the latest listing
 * @param since when a listing first showed the gap (the transport's clock)
 */
public record ChannelStall(PartyId from, long waitingFor, long lowestAhead, long highestAhead, Instant since) {

    /** Checks the fields. */
    public ChannelStall {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(since, "since");
        if (waitingFor < 0 || lowestAhead <= waitingFor || highestAhead < lowestAhead) {
            throw new IllegalArgumentException(
                    "not a gap: waiting for " + waitingFor + ", present " + lowestAhead + ".." + highestAhead);
        }
    }
}
