package io.formix.node;

import io.formix.protocol.Envelope;
import io.formix.state.ComputationRecord.Status;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a protocol core asks its driver to do after an event: the store writes already happened
 * through the store port (inside the driver's transaction); these are the outside effects, applied
 * in order once that transaction has committed.
 */
sealed interface Effect {

    /** Send one message on the node's transport; a local failure is retried until {@code until}. */
    record Send(Envelope message, long until) implements Effect {}

    /**
     * Send the announcement of {@code computation} to every recipient off the node's mailbox thread,
     * retrying local failures until {@code until}; then feed {@link HeavyCore.BroadcastDone} back.
     */
    record Broadcast(String computation, List<Envelope> messages, long until) implements Effect {}

    /**
     * Send every message of {@code messages} (a light node's shares, or its declines); then feed
     * {@link LightCore.Delivered} back, saying whether all of them went out.
     */
    record SendAll(String computation, List<Envelope> messages, boolean shares) implements Effect {}

    /** {@code network.db}: the computation moved to {@code to} (and was sent to {@code invited} lights, if ≥ 0). */
    record Advance(String computation, Status to, int invited) implements Effect {}

    /** {@code network.db}: how many invited light nodes never received the computation, by reason. */
    record Undelivered(String computation, java.util.Map<String, Integer> byReason) implements Effect {}

    /** {@code network.db}: heavy node 1's progress count. */
    record Answers(String computation, int count) implements Effect {}

    /**
     * {@code network.db}: the total is revealed; {@code value} is the typed value of a query's total
     * (JSON text), or null for a computation without a query (then {@code total} is its 32-bit total).
     */
    record Reveal(String computation, long total, int participants, int late, long at, String value)
            implements Effect {}

    /** {@code network.db}: the computation failed (the first end wins). */
    record Fail(String computation, String reason, int participants, int late, long at) implements Effect {}

    /** Tell the nodes on other hosts how the computation ended (they do not share this network.db). */
    record Outcome(String computation, Collection<PartyId> invited, List<PartyId> heavy) implements Effect {}

    /** One line for the node's log (ids, counts, reasons; never a share or an answer). */
    record Log(boolean warning, String text) implements Effect {}

    /** Evaluate a light node's query over its source, off the node's lock (bounded by the query's maxRows/maxTime). */
    record Evaluate(String computation, io.formix.query.Query query, io.formix.data.SourceSpec spec)
            implements Effect {}

    /** The effects of one event, in order. */
    final class Effects {
        private final List<Effect> list = new ArrayList<>();

        Effects add(Effect e) {
            list.add(e);
            return this;
        }

        void info(String text) {
            list.add(new Log(false, text));
        }

        void warn(String text) {
            list.add(new Log(true, text));
        }

        List<Effect> list() {
            return list;
        }
    }
}
