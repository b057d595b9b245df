package io.formix.node;

import static io.formix.node.AgreementSteps.join;
import static io.formix.node.AgreementSteps.lastTimeout;

import io.formix.mpc.PartialSum;
import io.formix.node.Effect.Effects;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.PartialSums;
import io.formix.protocol.ProtocolException;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.Report;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Heavy node 1's side of the agreement, for every scheme. In {@code closed} it waits for the other
 * heavy nodes' reports (until deadline + grace), fixes the final set (the lights whose shares
 * reached every reporting heavy node), checks the threshold and asks the reporters for their
 * partial sums; in {@code aggregating} it reveals with {@code SharingScheme.reveal} once it holds a
 * quorum's partial sums (until deadline + 2·grace). A reveal that fails (the heavy nodes summed
 * different sets, so their digests differ) fails the computation with that reason, never with a
 * wrong total. With a tolerant scheme two heavy nodes suffice; otherwise all three are needed.
 */
final class CoordinatorAgreement {

    private final AgreementSteps steps;
    private final HeavyCore core;
    private final HeavyStore store;

    CoordinatorAgreement(AgreementSteps steps) {
        this.steps = steps;
        this.core = steps.core;
        this.store = steps.core.store;
    }

    /** Moves {@code e}, of which this node is heavy node 1, forward as far as the clock allows. */
    void advance(Entry e, long now, Effects fx) {
        if (e.state() == State.CLOSED) {
            decideFinalSet(e, now, fx);
        } else if (e.state() == State.AGGREGATING) {
            reveal(e, now, fx);
        }
    }

    private void decideFinalSet(Entry e, long now, Effects fx) {
        Map<PartyId, Report> reports = store.reports(e.id());
        List<PartyId> missing = new ArrayList<>();
        for (PartyId h : steps.others(e)) {
            if (!reports.containsKey(h)) {
                missing.add(h);
            }
        }
        boolean tolerant = steps.tolerant(e);
        if (tolerant && missing.size() == 1) {
            if (now >= e.deadline() + e.graceMs()) {
                fx.warn("computation " + e.id() + ": heavy node " + missing.get(0) + " did not report within "
                        + e.graceMs() + " ms after the deadline; going on with the other two (replicated sharing)");
                summing(e, reports, 2, now, fx);
            }
            return;
        }
        if (tolerant && !missing.isEmpty()) {
            if (now >= e.deadline() + e.graceMs()) {
                steps.fail(
                        e,
                        "heavy nodes " + join(missing) + " did not report their shares within " + e.graceMs()
                                + " ms after the deadline — replicated sharing needs two of the three heavy nodes; nothing "
                                + "revealed",
                        now,
                        fx);
            }
            return;
        }
        if (!missing.isEmpty()) {
            if (now >= e.deadline() + e.graceMs()) {
                steps.fail(
                        e,
                        "heavy node " + join(missing) + " did not report its shares within " + e.graceMs()
                                + " ms after the deadline — check it is running (formix node start " + join(missing)
                                + ")",
                        now,
                        fx);
            }
            return;
        }
        summing(e, reports, 3, now, fx);
    }

    /** Fixes the final set over this node's and the {@code reports}' sets and asks their senders to sum it. */
    private void summing(Entry e, Map<PartyId, Report> reports, int heavies, long now, Effects fx) {
        Set<PartyId> finalSet = steps.heldInvited(e);
        int late = store.lateCount(e.id());
        for (Report r : reports.values()) {
            finalSet.retainAll(r.lights());
            late += r.late();
        }
        if (finalSet.size() < e.threshold()) {
            steps.fail(
                    e,
                    "threshold not met: only " + finalSet.size() + " of "
                            + e.invited().size()
                            + " light nodes had shares at " + (heavies == 3 ? "all three" : "both reporting")
                            + " heavy nodes, threshold is " + e.threshold() + " — nothing revealed",
                    now,
                    fx);
            return;
        }
        PartialSum mine;
        try {
            mine = steps.partial(e, finalSet);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            steps.fail(e, "could not sum the shares here: " + ex.getMessage(), now, fx);
            return;
        }
        store.addPartial(e.id(), core.uid, PartialSums.encode(mine));
        store.fixFinalSet(e.id(), finalSet);
        fx.info("computation " + e.id() + ": final set of " + finalSet.size() + " light nodes (" + late
                + " late shares ignored); asking for partial sums");
        for (PartyId h : steps.others(e)) {
            if (reports.containsKey(h)) {
                fx.add(new Effect.Send(
                        Envelope.of(
                                MessageType.AGGREGATE, core.uid, h, e.id(), new Bodies.Aggregate(finalSet).toJson()),
                        lastTimeout(e)));
            }
        }
        store.entry(e.id()).ifPresent(x -> reveal(x, now, fx));
    }

    private void reveal(Entry e, long now, Effects fx) {
        Map<PartyId, String> stored = store.partials(e.id());
        List<PartyId> missing = new ArrayList<>();
        Set<Integer> present = new TreeSet<>();
        for (PartyId h : e.heavy()) {
            if (!stored.containsKey(h)) {
                missing.add(h);
            } else {
                present.add(e.heavy().indexOf(h));
            }
        }
        if (steps.tolerant(e) && !missing.isEmpty() && steps.scheme(e).isQuorum(present)) {
            missing.clear(); // two replicated parties hold every component: reveal now
        }
        if (!missing.isEmpty()) {
            if (now >= e.deadline() + 2 * e.graceMs()) {
                steps.fail(
                        e,
                        "heavy node " + join(missing) + " did not send its partial sum in time — check it is running",
                        now,
                        fx);
            }
            return;
        }
        AgreementSteps.Total total;
        int participants = e.finalSet() == null ? 0 : e.finalSet().size();
        try {
            List<PartialSum> sums = new ArrayList<>();
            for (String s : stored.values()) {
                sums.add(PartialSums.decode(s));
            }
            total = steps.open(e, sums, participants);
        } catch (ProtocolException | IllegalArgumentException ex) {
            steps.fail(
                    e,
                    "the heavy nodes' partial sums do not agree (" + ex.getMessage() + ") — nothing revealed",
                    now,
                    fx);
            return;
        }
        steps.revealed(e, total, participants, now, fx);
    }
}
