package io.formix.node;

import io.formix.node.Effect.Effects;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.PartialSums;
import io.formix.protocol.ProtocolException;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.State;

/**
 * The messages between heavy nodes after the close: {@code received} (a heavy node's set),
 * {@code aggregate} (the coordinator asks for a partial sum), {@code partial} (the answer) and
 * {@code abort}. Each is refused with a {@link ProtocolException}, changing nothing, unless its
 * computation is known here and its sender has that role in it; accepted ones are stored and the
 * computation moved on through {@link HeavyCore#advance}.
 */
final class AgreementMessages {

    private final AgreementSteps steps;
    private final HeavyCore core;
    private final HeavyStore store;

    AgreementMessages(AgreementSteps steps) {
        this.steps = steps;
        this.core = steps.core;
        this.store = steps.core.store;
    }

    void onMessage(Envelope m, long now, Effects fx) throws ProtocolException {
        switch (m.type()) {
            case RECEIVED -> {
                Bodies.Received r = Bodies.Received.parse(m.body());
                Entry e = heavyMessage(m, false);
                if (store.addReport(e.id(), m.from(), r.lights(), r.late())) {
                    fx.info("computation " + e.id() + ": " + m.from() + " reports shares of "
                            + r.lights().size() + " light nodes");
                }
                core.advance(store.entry(e.id()).orElseThrow(), now, fx);
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
                if (steps.tolerant(e)) {
                    // one final set per node: a second coordinator gets the sum over the set fixed first
                    steps.sendPartial(e, e.finalSet() != null ? e.finalSet() : a.lights(), m.from(), fx);
                } else {
                    steps.sendPartial(e, a.lights(), e.heavy().get(0), fx);
                }
            }
            case PARTIAL -> {
                Bodies.Partial p = Bodies.Partial.parse(m.body());
                Entry e = heavyMessage(m, false);
                if (p.sum().party() != e.heavy().indexOf(m.from())) {
                    throw new ProtocolException(
                            "partial sum of party " + p.sum().party() + " sent by " + m.from());
                }
                store.addPartial(e.id(), m.from(), PartialSums.encode(p.sum()));
                core.advance(store.entry(e.id()).orElseThrow(), now, fx);
            }
            case ABORT -> {
                Bodies.Abort a = Bodies.Abort.parse(m.body());
                Entry e = heavyMessage(m, true);
                if (store.finish(e.id(), State.FAILED, a.reason())) {
                    fx.info("computation " + e.id() + " aborted by " + m.from() + ": " + a.reason());
                }
            }
            default -> throw new ProtocolException("unexpected '" + m.type().wire() + "' for a heavy node");
        }
    }

    /**
     * The computation of a message between heavy nodes, if its sender has that role: {@code aggregate}
     * and {@code abort} come from the coordinator (heavy node 1; with a tolerant scheme also heavy node
     * 2, which may take over), {@code received} and {@code partial} go to it from the others.
     */
    private Entry heavyMessage(Envelope m, boolean fromCoordinator) throws ProtocolException {
        Entry e = store.entry(m.computation())
                .orElseThrow(
                        () -> new ProtocolException(m.type().wire() + " for unknown computation " + m.computation()));
        int senderIndex = e.heavy().indexOf(m.from());
        boolean allowed;
        if (steps.tolerant(e)) {
            allowed = fromCoordinator
                    ? (senderIndex == 0 || senderIndex == 1) && e.myIndex() - 1 != senderIndex
                    : senderIndex >= 0
                            && senderIndex != e.myIndex() - 1
                            && (m.type() == MessageType.RECEIVED || e.myIndex() <= 2);
        } else {
            allowed = fromCoordinator ? senderIndex == 0 : senderIndex >= 1 && e.myIndex() == 1;
        }
        if (!allowed) {
            throw new ProtocolException(
                    m.type().wire() + " from " + m.from() + ", which has no such role in " + m.computation());
        }
        return e;
    }
}
