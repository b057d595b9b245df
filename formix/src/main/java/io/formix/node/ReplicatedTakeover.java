package io.formix.node;

import static io.formix.node.AgreementSteps.lastTimeout;
import static io.formix.node.HeavyAgreement.takeoverAt;

import io.formix.mpc.PartialSum;
import io.formix.node.Effect.Effects;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.PartialSums;
import io.formix.protocol.ProtocolException;
import io.formix.state.ComputationRecord;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.Report;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Heavy nodes 2 and 3 of a tolerant (replicated 2-of-3) computation after the close. Until heavy
 * node 1 had time to end it ({@link HeavyAgreement#takeoverAt}) they only answer it. Then they take
 * {@code network.db}'s word if it ended; otherwise heavy node 2 coordinates with heavy node 3: it
 * fixes the final set over its own and heavy node 3's reports (state {@code takeover}), asks heavy
 * node 3 for its partial sum and reveals from the two. Both give up at deadline + 3·grace.
 */
final class ReplicatedTakeover {

    private final AgreementSteps steps;
    private final HeavyCore core;
    private final HeavyStore store;

    ReplicatedTakeover(AgreementSteps steps) {
        this.steps = steps;
        this.core = steps.core;
        this.store = steps.core.store;
    }

    /** Moves {@code e}, of which this node is heavy node 2 or 3, forward as far as the clock allows. */
    void advance(Entry e, long now, Effects fx) {
        if (now < takeoverAt(e)) {
            return;
        }
        var end = core.ends.end(e.id());
        if (end.isPresent() && end.get().isFinal()) {
            boolean revealed = end.get() == ComputationRecord.Status.REVEALED;
            if (store.finish(
                    e.id(),
                    revealed ? State.REVEALED : State.FAILED,
                    revealed ? null : "ended by another heavy node (see formix comp show " + e.id() + ")")) {
                fx.info("computation " + e.id() + ": " + end.get().label() + " by another heavy node");
            }
            return;
        }
        if (now >= lastTimeout(e)) {
            giveUp(e, now, fx);
            return;
        }
        if (e.myIndex() != 2) {
            return;
        }
        if (e.state() == State.TAKEOVER) {
            revealAsHeavy2(e, now, fx);
            return;
        }
        if (e.state() == State.CLOSED && !fixFinalSetWithHeavy3(e, now, fx)) {
            return;
        }
        if (store.transition(e.id(), State.AGGREGATING, State.TAKEOVER, now)) {
            Entry t = store.entry(e.id()).orElseThrow();
            fx.warn("computation " + e.id() + ": heavy node 1 (" + e.heavy().get(0) + ") did not end it within "
                    + (takeoverAt(e) - e.deadline()) + " ms after the deadline; " + core.uid + " takes over with "
                    + e.heavy().get(2) + " over " + t.finalSet().size() + " light nodes");
            askForPartial(t, fx);
        }
    }

    /** At the last timeout: heavy node 2 fails the computation (telling the others), heavy node 3 only here. */
    private void giveUp(Entry e, long now, Effects fx) {
        boolean summed = store.partials(e.id()).containsKey(e.heavy().get(2));
        String reason = e.state() == State.TAKEOVER
                ? "heavy node 1 (" + e.heavy().get(0) + ") did not finish the computation and heavy node "
                        + e.heavy().get(2)
                        + (summed
                                ? " summed a final set whose shares " + core.uid + " does not all hold"
                                : " did not send its partial sum to " + core.uid)
                        + " within " + 3 * e.graceMs()
                        + " ms after the deadline — replicated sharing needs two of the three heavy nodes; nothing revealed"
                : "heavy nodes " + e.heavy().get(0) + " and " + e.heavy().get(1) + " did not finish the computation"
                        + " within " + 3 * e.graceMs() + " ms after the deadline — check they are running";
        if (e.myIndex() == 2) {
            steps.fail(e, reason, now, fx);
        } else {
            steps.failHere(e, reason, now, fx);
        }
    }

    /**
     * Heavy node 2 in {@code closed} fixes the final set over its own and heavy node 3's sets; false
     * if it cannot (no report from heavy node 3, or the threshold not met: the computation failed).
     */
    private boolean fixFinalSetWithHeavy3(Entry e, long now, Effects fx) {
        Report r3 = store.reports(e.id()).get(e.heavy().get(2));
        if (r3 == null) {
            steps.fail(
                    e,
                    "heavy node 1 (" + e.heavy().get(0) + ") did not coordinate and heavy node "
                            + e.heavy().get(2)
                            + " did not report its shares within " + (takeoverAt(e) - e.deadline())
                            + " ms after the deadline — replicated sharing needs two of the three heavy nodes; nothing "
                            + "revealed",
                    now,
                    fx);
            return false;
        }
        Set<PartyId> finalSet = steps.heldInvited(e);
        finalSet.retainAll(r3.lights());
        if (finalSet.size() < e.threshold()) {
            steps.fail(
                    e,
                    "threshold not met: only " + finalSet.size() + " of "
                            + e.invited().size()
                            + " light nodes had shares at both live heavy nodes, threshold is " + e.threshold()
                            + " — nothing revealed",
                    now,
                    fx);
            return false;
        }
        store.fixFinalSet(e.id(), finalSet);
        return true;
    }

    /** Heavy node 2 in {@code takeover} asks heavy node 3 to sum its final set. */
    void askForPartial(Entry e, Effects fx) {
        fx.add(new Effect.Send(
                Envelope.of(
                        MessageType.AGGREGATE,
                        core.uid,
                        e.heavy().get(2),
                        e.id(),
                        new Bodies.Aggregate(e.finalSet()).toJson()),
                lastTimeout(e)));
    }

    /**
     * Heavy node 2 reveals from its own and heavy node 3's partial sums, over the set heavy node 3
     * summed (the one heavy node 1 fixed there, if it got that far; each node sums one set only).
     */
    private void revealAsHeavy2(Entry e, long now, Effects fx) {
        String third = store.partials(e.id()).get(e.heavy().get(2));
        if (third == null) {
            return;
        }
        AgreementSteps.Total total;
        Set<PartyId> set = new TreeSet<>();
        try {
            PartialSum p3 = PartialSums.decode(third);
            for (String id : p3.contributors()) {
                set.add(PartyId.of(id));
            }
            if (!e.invited().containsAll(set) || set.size() < e.threshold()) {
                steps.fail(
                        e,
                        "heavy node " + e.heavy().get(2) + " summed " + set.size() + " light nodes, not a final set "
                                + "of invited light nodes meeting the threshold " + e.threshold()
                                + " — nothing revealed",
                        now,
                        fx);
                return;
            }
            if (!store.shareHolders(e.id()).containsAll(set)) {
                return; // heavy node 3 summed heavy node 1's set, which this node cannot: heavy node 1 may still reveal
            }
            PartialSum mine = steps.partial(e, set);
            total = steps.open(e, List.of(mine, p3), set.size());
        } catch (ProtocolException | IllegalArgumentException | IllegalStateException ex) {
            steps.fail(
                    e,
                    "the heavy nodes' partial sums do not agree (" + ex.getMessage() + ") — nothing revealed",
                    now,
                    fx);
            return;
        }
        steps.revealed(e, total, set.size(), now, fx);
    }
}
