package io.formix.node;

import io.formix.mpc.SharingSchemes;
import io.formix.node.Effect.Effects;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.State;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The first part of {@link HeavyCore}, on heavy node 1: a proposal is validated again (the proposer
 * may be buggy or stale), recorded as {@code broadcasting} with the light nodes invited now, and
 * announced (a {@link Effect.Broadcast}, sent by the driver off the mailbox); when the broadcast
 * ends the computation moves to {@code collecting}, and the invited lights that never got it are
 * recorded with the reason.
 */
final class HeavyAnnouncement {

    private final HeavyCore core;
    /** Computations whose broadcast is being sent. */
    private final Set<String> inFlight = new HashSet<>();

    HeavyAnnouncement(HeavyCore core) {
        this.core = core;
    }

    void propose(HeavyCore.Proposal p, long now, Effects fx) {
        ComputationRecord r = p.record();
        String problem = null;
        ResponseSchema schema = null;
        try {
            schema = ResponseSchema.parse(r.schema());
        } catch (IllegalArgumentException ex) {
            problem = "invalid schema: " + ex.getMessage();
        }
        if (problem != null) {
            // reported below
        } else if (new TreeSet<>(r.heavy()).size() != r.heavy().size()
                || r.heavy().size() != 3) {
            problem = "the three heavy nodes must be distinct";
        } else if (!knownScheme(p.scheme())) {
            problem = "unknown sharing scheme '" + p.scheme() + "' (known: additive-3, replicated-2of3, "
                    + QueryProposal.ADDITIVE_Z64 + ", " + QueryProposal.REPLICATED_Z64 + ")";
        } else if ((problem = queryProblem(r, p.scheme(), p.lights().size())) != null) {
            // reported below
        } else if (r.deadline() <= now) {
            problem = "the deadline had passed when heavy node 1 picked the proposal up";
        } else {
            for (PartyId h : r.heavy()) {
                if (core.roles.role(h).orElse(null) != Role.HEAVY) {
                    problem = h + " is not a registered heavy node";
                }
            }
        }
        if (problem != null) {
            fx.warn("refused computation " + r.id() + ": " + problem);
            fx.add(new Effect.Fail(r.id(), problem, 0, 0, now));
            fx.add(new Effect.Outcome(r.id(), List.of(), List.of(core.uid)));
            return;
        }
        Entry e = new Entry(
                r.id(),
                1,
                r.prompt(),
                schema.toJsonText(),
                p.scheme(),
                r.threshold(),
                r.deadline(),
                r.graceMs(),
                List.copyOf(r.heavy()),
                new TreeSet<>(p.lights()),
                State.BROADCASTING,
                null,
                null,
                r.query(),
                r.dpEpsilon(),
                r.proposer());
        core.store.create(e, now);
        fx.add(new Effect.Advance(r.id(), Status.BROADCAST, p.lights().size()));
        fx.info("computation " + r.id() + ": broadcasting to " + p.lights().size() + " light nodes");
        core.store.entry(r.id()).ifPresent(x -> core.advance(x, now, fx));
    }

    /**
     * Heavy nodes 2, 3 get the invited list; light nodes an empty one. Both name the proposer heavy
     * node 1 recorded (null: unknown). Idempotent (announcements are).
     */
    void broadcast(Entry e, Effects fx) {
        if (!inFlight.add(e.id())) {
            return;
        }
        ResponseSchema schema = ResponseSchema.parse(e.schema());
        ComputeBody forHeavies = new ComputeBody(
                e.prompt(),
                schema,
                e.scheme(),
                e.threshold(),
                e.deadline(),
                e.graceMs(),
                e.heavy(),
                new ArrayList<>(e.invited()),
                e.query(),
                e.dpEpsilon(),
                e.proposer());
        ComputeBody forLights = forHeavies.inviting(List.of());
        List<Envelope> out = new ArrayList<>();
        for (PartyId h : e.heavy().subList(1, e.heavy().size())) {
            // Sent before any light node hears of it, and retried until the deadline (even while the
            // heavy node is away, as over TCP during its restart): a light's share never reaches a heavy
            // node that cannot learn the computation, even if heavy node 1 dies during the broadcast.
            fx.add(new Effect.Send(
                    Envelope.of(MessageType.COMPUTE, core.uid, h, e.id(), forHeavies.toJson()), e.deadline()));
        }
        var body = forLights.toJson();
        for (PartyId light : e.invited()) {
            out.add(Envelope.of(MessageType.COMPUTE, core.uid, light, e.id(), body));
        }
        fx.add(new Effect.Broadcast(e.id(), out, e.deadline()));
    }

    /**
     * Why a proposal's query (or its absence) does not fit, or null: a query computation uses a
     * Z/2^64 scheme, its query is canonical and its total over the {@code invited} light nodes
     * cannot wrap (the wrap guard checked again), and its ε is one the heavy nodes can add.
     */
    static String queryProblem(ComputationRecord r, String scheme, int invited) {
        if (r.query() == null) {
            if (QueryProposal.isQueryScheme(scheme) || r.dpEpsilon() != null) {
                return "a computation without a query cannot use " + scheme
                        + (r.dpEpsilon() != null ? " or differential privacy" : "");
            }
            return null;
        }
        if (!QueryProposal.isQueryScheme(scheme)) {
            return "a query computation shares over Z/2^64 (" + QueryProposal.ADDITIVE_Z64 + " or "
                    + QueryProposal.REPLICATED_Z64 + "), not " + scheme;
        }
        try {
            String canonical =
                    QueryProposal.check(r.query(), r.dpEpsilon(), scheme.equals(QueryProposal.REPLICATED_Z64), invited);
            return canonical.equals(r.query()) ? null : "the query is not in canonical form";
        } catch (ProposalException ex) {
            return ex.getMessage();
        }
    }

    private static boolean knownScheme(String id) {
        try {
            SharingSchemes.forId(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    void broadcastDone(HeavyCore.BroadcastDone b, long now, Effects fx) {
        inFlight.remove(b.computation());
        Optional<Entry> e = core.store.entry(b.computation());
        if (e.isEmpty()) {
            return;
        }
        int lost = 0;
        for (Map.Entry<PartyId, String> u : b.undelivered().entrySet()) {
            if (e.get().invited().contains(u.getKey())) {
                core.store.addUndelivered(b.computation(), u.getKey(), u.getValue());
                lost++;
            }
        }
        if (lost > 0) {
            fx.add(new Effect.Undelivered(b.computation(), core.store.undelivered(b.computation())));
        }
        if (core.store.transition(b.computation(), State.BROADCASTING, State.COLLECTING, now)) {
            fx.add(new Effect.Advance(b.computation(), Status.COLLECTING, -1));
            fx.info("computation " + b.computation() + ": broadcast done ("
                    + (e.get().invited().size() - lost) + " delivered, " + lost
                    + " unreachable); collecting until the deadline");
            core.store.entry(b.computation()).ifPresent(x -> core.advance(x, now, fx));
        }
    }
}
