package io.formix.node;

import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.ProtocolException;
import io.formix.state.ComputationRecord;
import io.formix.state.NodeRecord.Role;

/**
 * Writes a {@code result} from heavy node 1 into this host's {@code network.db}, so that
 * {@code comp show} and {@code comp propose --wait} on a host that does not run heavy node 1 see
 * how the computation ended. Accepted only from the computation's heavy node 1, an admitted heavy
 * node (the sealing layer has already checked that it signed the message).
 */
final class Outcomes {

    private Outcomes() {}

    /**
     * Records {@code r}; {@code prompt} is the receiver's own copy (results carry none). A row it
     * had keeps its own scheme ({@link #row}).
     */
    static void record(Node node, Envelope m, Bodies.Result r, String prompt) throws ProtocolException {
        if (!r.heavy().get(0).equals(m.from())) {
            throw new ProtocolException("result of " + m.computation() + " sent by " + m.from()
                    + ", not by its heavy node 1 " + r.heavy().get(0));
        }
        if (node.services.registry().role(m.from()).orElse(null) != Role.HEAVY) {
            throw new ProtocolException("result from " + m.from() + ", which is not a registered heavy node");
        }
        ComputationRecord c = row(m.computation(), r, prompt);
        if (node.services.net().recordOutcome(c)) {
            node.log.info("computation " + m.computation() + ": " + r.status() + " (outcome from heavy node 1, "
                    + m.from() + ")");
        }
    }

    /**
     * The {@code network.db} row of result {@code r} of computation {@code id}. A row this host did
     * not have yet takes the result's scheme; an older result without one: a query's is taken as
     * {@code additive-3-z64}, another's as {@code additive-3}.
     */
    static ComputationRecord row(String id, Bodies.Result r, String prompt) {
        return new ComputationRecord(
                        id,
                        prompt,
                        r.schema().toJsonText(),
                        r.threshold(),
                        r.deadline(),
                        r.graceMs(),
                        r.heavy(),
                        ComputationRecord.Status.parse(r.status()),
                        r.invited(),
                        r.answers(),
                        Math.max(0, r.participants()),
                        r.result(),
                        r.reason(),
                        r.late(),
                        r.createdAt(),
                        r.endedAt(),
                        r.scheme() != null ? r.scheme() : r.query() != null ? QueryProposal.ADDITIVE_Z64 : null)
                .withQuery(r.query(), r.dpEpsilon())
                .withValue(r.value());
    }
}
