package io.formix.node;

import io.formix.mpc.SharingScheme;
import io.formix.node.Effect.Effects;
import io.formix.protocol.Envelope;
import io.formix.protocol.ProtocolException;
import io.formix.state.HeavyStore.Entry;
import io.formix.transport.PartyId;
import java.util.Set;

/**
 * The second half of {@link HeavyCore}: after the close. It sends a heavy node's reports and partial
 * sums and routes each computation to its path: heavy node 1 agrees on the final set and reveals
 * ({@link CoordinatorAgreement}); heavy nodes 2 and 3 of a tolerant scheme may take over from it
 * ({@link ReplicatedTakeover}); heavy nodes 2 and 3 of another scheme only answer and, if heavy node
 * 1 leaves the computation open, fail it at deadline + 3·grace. The messages between heavy nodes are
 * {@link AgreementMessages}'; the steps the paths share are {@link AgreementSteps}. A computation
 * fails with a reason, never with a wrong total.
 */
final class HeavyAgreement {

    final AgreementSteps steps;
    private final CoordinatorAgreement coordinator;
    private final ReplicatedTakeover takeover;
    private final AgreementMessages messages;

    HeavyAgreement(HeavyCore core) {
        this.steps = new AgreementSteps(core);
        this.coordinator = new CoordinatorAgreement(steps);
        this.takeover = new ReplicatedTakeover(steps);
        this.messages = new AgreementMessages(steps);
    }

    /**
     * Whether {@code e}'s scheme survives the loss of one heavy node: any two of the three parties
     * are a quorum (replicated 2-of-3). Such computations follow the fault-tolerant rows of the
     * table in {@link HeavyCore}; the others (additive 3-of-3) need all three heavy nodes.
     */
    boolean tolerant(Entry e) {
        return steps.tolerant(e);
    }

    static boolean tolerant(SharingScheme s) {
        return s.parties() == 3 && s.isQuorum(Set.of(0, 1)) && s.isQuorum(Set.of(1, 2)) && s.isQuorum(Set.of(0, 2));
    }

    /** When heavy node 2 coordinates in place of a heavy node 1 that has not ended the computation. */
    static long takeoverAt(Entry e) {
        return e.deadline() + e.graceMs() + e.graceMs() / 2;
    }

    /** Moves a computation in {@code closed}, {@code aggregating} or {@code takeover} forward. */
    void advance(Entry e, long now, Effects fx) {
        if (e.myIndex() != 1 && steps.tolerant(e)) {
            takeover.advance(e, now, fx);
        } else if (e.myIndex() != 1) {
            watchHeavy1(e, now, fx);
        } else {
            coordinator.advance(e, now, fx);
        }
    }

    /** Refuses a share that is not for this heavy node's components of the computation's scheme. */
    void checkShare(Entry e, byte[] encoded) throws ProtocolException {
        steps.checkShare(e, encoded);
    }

    /** The invited lights whose share this node holds (the set it reports). */
    Set<PartyId> heldInvited(Entry e) {
        return steps.heldInvited(e);
    }

    /** Reports the held set to heavy node 1 (tolerant schemes: to every other heavy node, as any may coordinate). */
    void sendReceived(Entry e, Effects fx) {
        steps.sendReceived(e, fx);
    }

    /** Sends this node's partial sum over {@code finalSet} to heavy node 1 (its final set is fixed once). */
    void sendPartial(Entry e, Set<PartyId> finalSet, Effects fx) {
        steps.sendPartial(e, finalSet, e.heavy().get(0), fx);
    }

    /** Heavy node 2 in {@code takeover} asks heavy node 3 to sum its final set. */
    void askForPartial(Entry e, Effects fx) {
        takeover.askForPartial(e, fx);
    }

    void onMessage(Envelope m, long now, Effects fx) throws ProtocolException {
        messages.onMessage(m, now, fx);
    }

    /** Heavy nodes 2 and 3 of a non-tolerant scheme end a computation that heavy node 1 left hanging. */
    private void watchHeavy1(Entry e, long now, Effects fx) {
        if (now < e.deadline() + 3 * e.graceMs()) {
            return;
        }
        steps.failHere(
                e,
                "heavy node 1 (" + e.heavy().get(0) + ") did not finish the computation within " + 3 * e.graceMs()
                        + " ms after the deadline — check it is running",
                now,
                fx);
    }

    /** Refuses an announcement whose query (or its absence) does not fit its scheme, ε and invited nodes. */
    void checkQuery(String id, io.formix.protocol.ComputeBody c) throws ProtocolException {
        String problem = HeavyAnnouncement.queryProblem(
                new io.formix.state.ComputationRecord(
                                id,
                                c.prompt(),
                                "",
                                c.threshold(),
                                c.deadline(),
                                c.graceMs(),
                                c.heavy(),
                                io.formix.state.ComputationRecord.Status.PROPOSED,
                                0,
                                0,
                                0,
                                -1,
                                null,
                                0,
                                0,
                                0,
                                c.scheme())
                        .withQuery(c.query(), c.dpEpsilon()),
                c.scheme(),
                c.invited().size());
        if (problem != null) {
            throw new ProtocolException("computation " + id + " refused: " + problem);
        }
    }
}
