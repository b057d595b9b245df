package io.formix.transport;

import java.io.IOException;

/**
 * A {@link Transport} that lets the layer above refuse a message without using up its place in
 * the channel. Optional: a layer that authenticates messages (the sealing transport) checks
 * {@code instanceof RejectingTransport} and falls back to ordinary acknowledgement otherwise.
 *
 * <p>Why: on a channel anyone can write to (a synced folder), a well-formed forgery can arrive at
 * the number the genuine sender will use next. If the receiver acknowledged it, the genuine message
 * that arrives later under the same number would never be delivered. {@link #reject} instead sets
 * the forgery aside and keeps waiting for that number.
 *
 * <h2>Contract of {@link #reject}</h2>
 * {@code m} must be the message returned last on its channel (its sender's), not yet acknowledged:
 * call {@code reject} before the next {@code receive}/{@code receiveAny} that would acknowledge it
 * and before {@link #close()}. The transport then
 * <ul>
 *   <li>sets the message aside (a durable backend keeps it in a quarantine with {@code reason},
 *       never its content in a log);
 *   <li>does <em>not</em> advance: the channel's position stays at {@code m.sequence()}, also in
 *       durable storage and across a restart, and the next receive on that channel looks again at
 *       that same number, delivering the next candidate for it with the same
 *       {@link Message#sequence()} (another message written later under that number, or a copy a
 *       sync engine made of it);
 *   <li>never offers the same rejected candidate again (in this process).
 * </ul>
 * Messages after {@code m.sequence()} stay held until a candidate for it is accepted: per-sender
 * FIFO order and the exactly-once recipe of {@link Transport} are unchanged. A rejected message
 * that was genuine is lost, and its channel stalls at its number: refuse only what could not have
 * come from the sender (a failed authentication), and acknowledge what merely cannot be used.
 *
 * <p>Threads: as {@link Transport}; {@code reject} and a concurrent receive that acknowledges the
 * same channel race, so call {@code reject} from the thread that received {@code m}.
 */
public interface RejectingTransport extends Transport {

    /**
     * Refuses {@code m}, the message returned last on its channel and not yet acknowledged: sets
     * it aside with {@code reason} (one line, no content; control characters are not kept) and
     * stays at its sequence number.
     *
     * @throws IllegalStateException if {@code m} is not the last unacknowledged message of its
     *     channel (already acknowledged, already rejected, or an older one)
     * @throws TransportClosedException if this transport is closed
     * @throws IOException if the backend cannot take the refusal at all; a backend that merely
     *     fails to keep the evidence (the quarantine) says so in its log and still stays at the number
     */
    void reject(Message m, String reason) throws IOException;
}
