package io.formix.node;

import io.formix.mpc.PartialSum;
import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.node.Effect.Effects;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.PartialSums;
import io.formix.protocol.ProtocolException;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.Report;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The second half of {@link HeavyCore}: after the close. Heavy node 1 agrees on the final set (the
 * lights whose shares reached every heavy node), checks the threshold, and reveals with
 * {@link SharingScheme#reveal} from the partial sums, which fails when the heavy nodes did not sum the
 * same contributor set (their digests differ): the computation then fails with that reason, never
 * with a wrong total. Heavy nodes 2 and 3 report their sets and return their {@link PartialSum}.
 * The arithmetic is mpc's ({@link ShareAccumulator}); nothing here adds shares.
 */
final class HeavyAgreement {

    private final HeavyCore core;
    private final Map<String, SharingScheme> schemes = new HashMap<>();

    HeavyAgreement(HeavyCore core) {
        this.core = core;
    }

    private SharingScheme scheme(Entry e) {
        return schemes.computeIfAbsent(e.scheme(), SharingSchemes::forId);
    }

    /** Refuses a share that is not for this heavy node's components of the computation's scheme. */
    void checkShare(Entry e, byte[] encoded) throws ProtocolException {
        VectorShare s = ShareCodec.decodeShare(encoded, 1);
        int party = e.myIndex() - 1;
        if (s.party() != party || !Arrays.equals(s.componentIndices(), scheme(e).componentsHeldBy(party))) {
            throw new ProtocolException("share for party " + s.party() + " components "
                    + Arrays.toString(s.componentIndices()) + " sent to heavy node " + e.myIndex() + " of " + e.id());
        }
    }

    void advance(Entry e, long now, Effects fx) {
        if (e.myIndex() != 1) {
            watchHeavy1(e, now, fx);
        } else if (e.state() == State.CLOSED) {
            decideFinalSet(e, now, fx);
        } else if (e.state() == State.AGGREGATING) {
            reveal(e, now, fx);
        }
    }

    /** The invited lights whose share this node holds (the set it reports). */
    Set<PartyId> heldInvited(Entry e) {
        Set<PartyId> held = core.store.shareHolders(e.id());
        held.retainAll(e.invited());
        return held;
    }

    void sendReceived(Entry e, Effects fx) {
        fx.add(new Effect.Send(
                Envelope.of(
                        MessageType.RECEIVED,
                        core.uid,
                        e.heavy().get(0),
                        e.id(),
                        new Bodies.Received(heldInvited(e), core.store.lateCount(e.id())).toJson()),
                lastTimeout(e)));
    }

    /** This node's partial sum over exactly {@code set}, computed by mpc. */
    private PartialSum partial(Entry e, Set<PartyId> set) {
        Set<String> ids = new TreeSet<>();
        set.forEach(p -> ids.add(p.value()));
        ShareAccumulator acc = ShareAccumulator.forContributors(scheme(e), e.myIndex() - 1, 1, ids);
        Map<PartyId, byte[]> shares = core.store.shares(e.id());
        int missing = 0;
        for (PartyId light : set) {
            byte[] b = shares.get(light);
            if (b == null) {
                missing++;
            } else {
                acc.add(light.value(), ShareCodec.decodeShare(b, 1));
            }
        }
        if (missing > 0) {
            throw new IllegalStateException(
                    "final set of " + e.id() + " names " + missing + " light node(s) without a share here");
        }
        return acc.partialSum();
    }

    void sendPartial(Entry e, Set<PartyId> finalSet, Effects fx) {
        PartialSum p;
        try {
            p = partial(e, finalSet);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            fx.warn("computation " + e.id() + ": " + ex.getMessage());
            return;
        }
        core.store.fixFinalSet(e.id(), finalSet);
        fx.add(new Effect.Send(
                Envelope.of(MessageType.PARTIAL, core.uid, e.heavy().get(0), e.id(), new Bodies.Partial(p).toJson()),
                lastTimeout(e)));
        fx.info("computation " + e.id() + ": partial sum over " + finalSet.size() + " light nodes sent to "
                + e.heavy().get(0));
    }

    private void decideFinalSet(Entry e, long now, Effects fx) {
        Map<PartyId, Report> reports = core.store.reports(e.id());
        List<PartyId> missing = new ArrayList<>();
        for (PartyId h : others(e)) {
            if (!reports.containsKey(h)) {
                missing.add(h);
            }
        }
        if (!missing.isEmpty()) {
            if (now >= e.deadline() + e.graceMs()) {
                fail(
                        e,
                        "heavy node " + join(missing) + " did not report its shares within " + e.graceMs()
                                + " ms after the deadline — check it is running (formix node start " + join(missing)
                                + ")",
                        now,
                        fx);
            }
            return;
        }
        Set<PartyId> finalSet = heldInvited(e);
        int late = core.store.lateCount(e.id());
        for (Report r : reports.values()) {
            finalSet.retainAll(r.lights());
            late += r.late();
        }
        if (finalSet.size() < e.threshold()) {
            fail(
                    e,
                    "threshold not met: only " + finalSet.size() + " of "
                            + e.invited().size()
                            + " light nodes had shares at all three heavy nodes, threshold is " + e.threshold()
                            + " — nothing revealed",
                    now,
                    fx);
            return;
        }
        PartialSum mine;
        try {
            mine = partial(e, finalSet);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            fail(e, "could not sum the shares here: " + ex.getMessage(), now, fx);
            return;
        }
        core.store.addPartial(e.id(), core.uid, PartialSums.encode(mine));
        core.store.fixFinalSet(e.id(), finalSet);
        fx.info("computation " + e.id() + ": final set of " + finalSet.size() + " light nodes (" + late
                + " late shares ignored); asking for partial sums");
        for (PartyId h : others(e)) {
            fx.add(new Effect.Send(
                    Envelope.of(MessageType.AGGREGATE, core.uid, h, e.id(), new Bodies.Aggregate(finalSet).toJson()),
                    lastTimeout(e)));
        }
        core.store.entry(e.id()).ifPresent(x -> reveal(x, now, fx));
    }

    private void reveal(Entry e, long now, Effects fx) {
        Map<PartyId, String> stored = core.store.partials(e.id());
        List<PartyId> missing = new ArrayList<>();
        for (PartyId h : e.heavy()) {
            if (!stored.containsKey(h)) {
                missing.add(h);
            }
        }
        if (!missing.isEmpty()) {
            if (now >= e.deadline() + 2 * e.graceMs()) {
                fail(
                        e,
                        "heavy node " + join(missing) + " did not send its partial sum in time — check it is running",
                        now,
                        fx);
            }
            return;
        }
        int[] total;
        try {
            List<PartialSum> sums = new ArrayList<>();
            for (String s : stored.values()) {
                sums.add(PartialSums.decode(s));
            }
            total = scheme(e).reveal(sums);
        } catch (ProtocolException | IllegalArgumentException ex) {
            fail(e, "the heavy nodes' partial sums do not agree (" + ex.getMessage() + ") — nothing revealed", now, fx);
            return;
        }
        int participants = e.finalSet() == null ? 0 : e.finalSet().size();
        int late = core.store.lateCount(e.id());
        for (Report r : core.store.reports(e.id()).values()) {
            late += r.late();
        }
        core.store.finish(e.id(), State.REVEALED, null);
        fx.add(new Effect.Reveal(e.id(), Integer.toUnsignedLong(total[0]), participants, late, now));
        fx.info("computation " + e.id() + ": revealed the total over " + participants + " light nodes");
        fx.add(new Effect.Outcome(e.id(), e.invited(), e.heavy()));
    }

    void fail(Entry e, String reason, long now, Effects fx) {
        int participants = e.finalSet() == null ? -1 : e.finalSet().size();
        if (!core.store.finish(e.id(), State.FAILED, reason)) {
            return;
        }
        fx.add(new Effect.Fail(e.id(), reason, participants, core.store.lateCount(e.id()), now));
        fx.warn("computation " + e.id() + " failed: " + reason);
        fx.add(new Effect.Outcome(e.id(), e.invited(), e.heavy()));
        for (PartyId h : others(e)) {
            fx.add(new Effect.Send(
                    Envelope.of(MessageType.ABORT, core.uid, h, e.id(), new Bodies.Abort(reason).toJson()),
                    lastTimeout(e)));
        }
    }

    /** Heavy nodes 2 and 3 end a computation that heavy node 1 left hanging. */
    private void watchHeavy1(Entry e, long now, Effects fx) {
        if (now < e.deadline() + 3 * e.graceMs()) {
            return;
        }
        String reason = "heavy node 1 (" + e.heavy().get(0) + ") did not finish the computation within "
                + 3 * e.graceMs() + " ms after the deadline — check it is running";
        if (core.store.finish(e.id(), State.FAILED, reason)) {
            fx.add(new Effect.Fail(e.id(), reason, -1, 0, now));
            fx.warn("computation " + e.id() + " failed: " + reason);
        }
    }

    // ------------------------------------------------------------------ messages between heavy nodes

    void onMessage(Envelope m, long now, Effects fx) throws ProtocolException {
        switch (m.type()) {
            case RECEIVED -> {
                Bodies.Received r = Bodies.Received.parse(m.body());
                Entry e = heavyMessage(m, false);
                if (core.store.addReport(e.id(), m.from(), r.lights(), r.late())) {
                    fx.info("computation " + e.id() + ": " + m.from() + " reports shares of "
                            + r.lights().size() + " light nodes");
                }
                core.advance(core.store.entry(e.id()).orElseThrow(), now, fx);
            }
            case AGGREGATE -> {
                Bodies.Aggregate a = Bodies.Aggregate.parse(m.body());
                Entry e = heavyMessage(m, true);
                if (e.state().isFinal()) {
                    return;
                }
                if (e.state() != State.CLOSED && e.state() != State.AGGREGATING) {
                    throw new ProtocolException("aggregate for " + e.id() + " while still "
                            + e.state().label());
                }
                sendPartial(e, a.lights(), fx);
            }
            case PARTIAL -> {
                Bodies.Partial p = Bodies.Partial.parse(m.body());
                Entry e = heavyMessage(m, false);
                if (p.sum().party() != e.heavy().indexOf(m.from())) {
                    throw new ProtocolException(
                            "partial sum of party " + p.sum().party() + " sent by " + m.from());
                }
                core.store.addPartial(e.id(), m.from(), PartialSums.encode(p.sum()));
                core.advance(core.store.entry(e.id()).orElseThrow(), now, fx);
            }
            case ABORT -> {
                Bodies.Abort a = Bodies.Abort.parse(m.body());
                Entry e = heavyMessage(m, true);
                if (core.store.finish(e.id(), State.FAILED, a.reason())) {
                    fx.info("computation " + e.id() + " aborted by " + m.from() + ": " + a.reason());
                }
            }
            default -> throw new ProtocolException("unexpected '" + m.type().wire() + "' for a heavy node");
        }
    }

    private Entry heavyMessage(Envelope m, boolean fromHeavy1) throws ProtocolException {
        Entry e = core.store
                .entry(m.computation())
                .orElseThrow(
                        () -> new ProtocolException(m.type().wire() + " for unknown computation " + m.computation()));
        int senderIndex = e.heavy().indexOf(m.from());
        if (fromHeavy1 ? senderIndex != 0 : senderIndex < 1 || e.myIndex() != 1) {
            throw new ProtocolException(
                    m.type().wire() + " from " + m.from() + ", which has no such role in " + m.computation());
        }
        return e;
    }

    /** Until when a message of {@code e} is worth retrying: its last timeout. */
    private static long lastTimeout(Entry e) {
        return e.deadline() + 3 * e.graceMs();
    }

    private static List<PartyId> others(Entry e) {
        return e.heavy().subList(1, e.heavy().size());
    }

    private static String join(List<PartyId> ids) {
        StringBuilder b = new StringBuilder();
        for (PartyId id : ids) {
            b.append(b.length() == 0 ? "" : " ").append(id.value());
        }
        return b.toString();
    }
}
