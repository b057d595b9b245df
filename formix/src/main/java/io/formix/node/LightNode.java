package io.formix.node;

import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.state.LightStore;
import io.formix.state.LightStore.Entry;
import io.formix.state.LightStore.State;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.util.List;

/**
 * A light node: the driver of {@link LightCore}. Answers each computation (after its owner's
 * approval if {@code manual}) with a uniform integer from {@link java.security.SecureRandom} within
 * 0..100 and the schema, keeps the answer in its own {@code node.db}, and sends share i to heavy
 * node i. Its events (messages from its receiver thread, ticks from the host's light-tick pool) run
 * one at a time under the node's lock — a light node needs no thread of its own, so a host can run
 * thousands.
 */
final class LightNode extends Node {

    /** The range of the first version's answers. */
    static final int ANSWER_MIN = LightCore.ANSWER_MIN;

    static final int ANSWER_MAX = LightCore.ANSWER_MAX;

    private final LightStore store;
    private final LightCore core;
    /** False once {@link #prepare} found nothing to resume (every computation sent or declined). */
    private boolean resumeNeeded = true;
    /**
     * {@link LightCore#nextTick} after the core's last event: what the host's ticker reads, without
     * the node's lock, of a light node it asks for ticks ({@link #wantsTick}, {@link #mayWantTick}).
     */
    private volatile long tickAt = Long.MAX_VALUE;

    LightNode(
            PartyId uid, NodeLog log, Transport transport, HostServices services, LightStore store, Approval approval) {
        super(uid, log, transport, services);
        this.store = store;
        this.core = new LightCore(
                uid,
                store,
                services.registry()::role,
                approval == Approval.AUTO,
                services.random(),
                services::scheme,
                LightData.of(store),
                (scheme, cells) -> QueryShares.share(services.scheme(scheme), cells));
    }

    @Override
    void onMessage(Envelope e) throws ProtocolException {
        if (e.type() == MessageType.RESULT) {
            Outcomes.record(
                    this,
                    e,
                    Bodies.Result.parse(e.body()),
                    store.entry(e.computation()).map(Entry::prompt).orElse(""));
            return;
        }
        if (e.type() != MessageType.COMPUTE) {
            throw new ProtocolException("unexpected '" + e.type().wire() + "' message for a light node");
        }
        run(new LightCore.Announced(e));
    }

    @Override
    boolean wantsTick(long now) {
        return now >= tickAt;
    }

    @Override
    boolean mayWantTick() {
        return tickAt != Long.MAX_VALUE;
    }

    @Override
    void tick() {
        runQuietly(new LightCore.Tick());
    }

    /**
     * Looks whether {@link #resume} has anything to do, just before it (both by {@link LightRecovery},
     * once the node runs): a light node with nothing pending reads its database once, not twice.
     */
    @Override
    void prepare() {
        resumeNeeded = store.all().stream().anyMatch(e -> e.state() != State.SENT && e.state() != State.DECLINED);
    }

    @Override
    void resume() {
        if (resumeNeeded) {
            runQuietly(new LightCore.Resume());
        }
    }

    private void runQuietly(LightCore.Event event) {
        try {
            run(event);
        } catch (ProtocolException e) {
            log.warn(e.getMessage());
        }
    }

    private void run(LightCore.Event event) throws ProtocolException {
        long now = services.now();
        List<Effect> effects;
        try {
            effects = core.handle(event, now);
        } finally {
            long at = core.nextTick(); // the only place the core changes
            tickAt = at;
            if (at != Long.MAX_VALUE) {
                tickWanted.run(); // written first: the ticker that drops this node reads it again after
            }
        }
        for (Effect fx : effects) {
            if (fx instanceof Effect.SendAll s) {
                boolean all = true;
                for (Envelope m : s.messages()) {
                    all &= send(m);
                }
                run(new LightCore.Delivered(s.computation(), s.shares(), all));
            } else if (fx instanceof Effect.Evaluate ev) {
                Evaluations.submit(ev, this::evaluated);
            } else if (fx instanceof Effect.Log l) {
                if (l.warning()) {
                    log.warn(l.text());
                } else {
                    log.info(l.text());
                }
            }
        }
    }

    /** An evaluation came back (on the evaluation pool's thread, or at once when it is full). */
    private void evaluated(LightCore.Evaluated outcome) {
        synchronized (this) {
            if (!stopping) {
                try {
                    runQuietly(outcome);
                } catch (RuntimeException e) {
                    log.warn("computation " + outcome.computation() + ": " + e.getMessage());
                }
            }
        }
    }

    @Override
    void closeStore() {
        store.close();
    }
}
