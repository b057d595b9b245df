package io.formix.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.protocol.Bodies;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageLimits;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * A heavy node's dealings with {@code network.db} and with other hosts: finding proposals (as
 * heavy node 1), applying the core's public effects, recording proposals made on other hosts
 * ({@code propose}) and outcomes ({@code result}), and telling other hosts how a computation ended.
 */
final class HeavyNetwork {

    private static final long PROPOSAL_RESCAN_MS = 1_000;

    private final Node node;
    private long seenVersion = Long.MIN_VALUE;
    private long nextRescan;

    HeavyNetwork(Node node) {
        this.node = node;
    }

    /** Whether another process wrote {@code network.db} since the last look, or a rescan is due. */
    boolean proposalsMayHaveChanged(long now) {
        long v = node.services.net().dataVersion();
        if (v != seenVersion || now >= nextRescan) {
            seenVersion = v;
            nextRescan = now + PROPOSAL_RESCAN_MS;
            return true;
        }
        return false;
    }

    /** A {@code result} from heavy node 1 of another host, for this host's {@code network.db}. */
    void onResult(Envelope m, String prompt) throws ProtocolException {
        Outcomes.record(node, m, Bodies.Result.parse(m.body()), prompt);
    }

    /** Proposals waiting for this node as heavy node 1, with the light nodes registered now. */
    List<HeavyCore.Proposal> proposals() {
        List<HeavyCore.Proposal> out = new ArrayList<>();
        List<ComputationRecord> found = node.services.net().computations(Status.PROPOSED, node.uid);
        if (found.isEmpty()) {
            return out;
        }
        List<PartyId> lights = new ArrayList<>();
        for (NodeRecord n : node.services.net().members(Role.LIGHT)) {
            lights.add(n.uid());
            node.services.registry().remember(n);
        }
        for (ComputationRecord r : found) {
            out.add(new HeavyCore.Proposal(r, lights, r.scheme()));
        }
        return out;
    }

    /** Applies one public effect; false if it is not one of them. */
    boolean apply(Effect fx) {
        var net = node.services.net();
        if (fx instanceof Effect.Advance a) {
            net.advance(a.computation(), a.to(), a.invited());
        } else if (fx instanceof Effect.Undelivered u) {
            net.recordUndelivered(u.computation(), u.byReason());
        } else if (fx instanceof Effect.Answers a) {
            net.setAnswers(a.computation(), a.count());
        } else if (fx instanceof Effect.Reveal r) {
            if (r.value() != null) {
                net.revealValue(r.computation(), r.value(), r.participants(), r.late(), r.at());
            } else {
                net.reveal(r.computation(), (int) r.total(), r.participants(), r.late(), r.at());
            }
        } else if (fx instanceof Effect.Fail f) {
            net.fail(f.computation(), f.reason(), f.participants(), f.late(), f.at());
        } else if (fx instanceof Effect.Outcome o) {
            sendResult(o.computation(), o.invited(), o.heavy());
        } else {
            return false;
        }
        return true;
    }

    /**
     * A proposal made on another host: recorded in this host's {@code network.db} as
     * {@code proposed} (with its proposer, who gets the result); the next pick-up validates it again.
     * Returns whether it was new.
     */
    boolean onPropose(Envelope m) throws ProtocolException {
        ComputeBody c = ComputeBody.parse(m.body());
        if (!c.heavy().get(0).equals(node.uid)) {
            throw new ProtocolException(
                    "proposal " + m.computation() + " names " + c.heavy().get(0) + " as heavy node 1, not " + node.uid);
        }
        ComputationRecord r = new ComputationRecord(
                        m.computation(),
                        c.prompt(),
                        c.schema().toJsonText(),
                        c.threshold(),
                        c.deadline(),
                        c.graceMs(),
                        c.heavy(),
                        Status.PROPOSED,
                        0,
                        0,
                        0,
                        -1,
                        null,
                        0,
                        node.services.now(),
                        0,
                        c.scheme())
                .withQuery(c.query(), c.dpEpsilon());
        if (node.services.net().insertProposal(r, m.from())) {
            node.log.info("computation " + m.computation() + ": proposed by " + m.from() + " on another host");
            return true;
        }
        node.log.info("proposal " + m.computation() + " from " + m.from() + " is already known: ignored");
        return false;
    }

    /**
     * Tells the nodes of other hosts how computation {@code id} ended: every heavy node, the invited
     * light nodes and the proposer, those of them that run elsewhere. Nothing is sent on one machine.
     */
    private void sendResult(String id, java.util.Collection<PartyId> invited, List<PartyId> heavy) {
        Optional<ComputationRecord> row = node.services.net().computation(id);
        if (row.isEmpty() || !row.get().status().isFinal()) {
            return;
        }
        Set<PartyId> to = new LinkedHashSet<>();
        for (int i = 1; i < heavy.size(); i++) {
            to.add(heavy.get(i));
        }
        to.addAll(invited);
        node.services.net().proposer(id).ifPresent(to::add);
        node.services.net().members(Role.HEAVY).forEach(n -> to.add(n.uid()));
        to.remove(node.uid);
        to.removeIf(p -> !node.services.registry().isRemote(p));
        if (to.isEmpty()) {
            return;
        }
        ComputationRecord c = row.get();
        Bodies.Result result = new Bodies.Result(
                c.status().label(),
                c.result(),
                c.participants(),
                c.invited(),
                c.answers(),
                c.late(),
                c.reason(),
                ResponseSchema.parse(c.schema()),
                c.threshold(),
                c.deadline(),
                c.graceMs(),
                c.heavy(),
                c.createdAt(),
                c.endedAt(),
                c.value(),
                c.query(),
                c.dpEpsilon(),
                c.scheme());
        JsonNode full = result.toJson();
        JsonNode small = result.withoutValue().toJson();
        boolean fitsLights =
                Envelope.of(MessageType.RESULT, node.uid, node.uid, id, full).encode().length
                        <= MessageLimits.MAX_TO_LIGHT - 1024;
        for (PartyId p : to) {
            boolean toHeavy = node.services.registry().role(p).orElse(null) == Role.HEAVY;
            JsonNode body = toHeavy || fitsLights ? full : small;
            Envelope env = Envelope.of(MessageType.RESULT, node.uid, p, id, body);
            try {
                node.services.senders().execute(() -> node.send(env));
            } catch (RejectedExecutionException ex) {
                return; // closing
            }
        }
        node.log.info("computation " + id + ": outcome sent to " + to.size() + " node(s) on other hosts");
    }
}
