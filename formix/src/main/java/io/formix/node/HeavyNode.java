package io.formix.node;

import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.state.ComputationRecord;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A heavy node: the driver of {@link HeavyCore}. Everything the node does runs on its one
 * {@link Mailbox} thread, in order: a received message (decoded, then handed to the core), a tick (proposals to
 * pick up, timeouts, retries), the deadline close once the receiver has drained its inbox, the end
 * of a broadcast. Each core call runs in one store transaction; its effects are applied after the
 * commit (sends, then {@code network.db}). The receiver thread and the host's ticker only post work.
 */
final class HeavyNode extends Node {

    private final HeavyStore store;
    private final HeavyCore core;
    private final HeavyNetwork network;
    private final HeavyEffects effects;
    private final Mailbox mailbox;
    private final AtomicBoolean tickPosted = new AtomicBoolean();
    private final AtomicBoolean drainPosted = new AtomicBoolean();
    /** Mailbox work that keeps failing is skipped for a growing while and logged once per reason. */
    private final FailureBackoff failures;
    /** Earliest deadline of a computation still collecting here (Long.MAX_VALUE: none). */
    private volatile long nextDeadline = Long.MAX_VALUE;

    HeavyNode(PartyId uid, NodeLog log, Transport transport, HostServices services, HeavyStore store) {
        super(uid, log, transport, services);
        this.store = store;
        this.core = new HeavyCore(
                uid,
                store,
                services.registry()::role,
                id -> services.net().computation(id).map(ComputationRecord::status));
        this.network = new HeavyNetwork(this);
        this.mailbox = new Mailbox(uid);
        this.effects = new HeavyEffects(this, network, mailbox::post);
        this.failures = new FailureBackoff("tick", log::warn);
    }

    /** One event through the core, in one transaction, then its effects. */
    private void run(HeavyCore.Event event) throws ProtocolException {
        long now = services.now();
        // A share never moves a deadline: no query per share. Any other event reads the deadlines in
        // its own transaction (not in one more, as every 50 ms per heavy node the tick would).
        boolean deadlines =
                !(event instanceof HeavyCore.Message m) || m.envelope().type() == MessageType.COMPUTE;
        List<Effect> fx;
        try {
            fx = store.inTransaction(() -> {
                try {
                    List<Effect> out = core.handle(event, now);
                    if (deadlines) {
                        nextDeadline = core.nextDeadline();
                    }
                    return out;
                } catch (ProtocolException e) {
                    throw new Refused(e); // rolls the transaction back
                }
            });
        } catch (Refused r) {
            throw r.reason;
        }
        effects.apply(fx, now, later -> mailbox.post(() -> runQuietly(later)));
    }

    /** Carries a refusal out of the transaction, which it rolls back. */
    private static final class Refused extends RuntimeException {
        final ProtocolException reason;

        Refused(ProtocolException reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    private void runQuietly(HeavyCore.Event event) {
        try {
            run(event);
        } catch (ProtocolException | RuntimeException e) {
            failures.failed(e.toString(), services.now());
        }
    }

    @Override
    void deliver(Message msg) {
        mailbox.post(() -> {
            try {
                Envelope e = decode(msg);
                if (e.type() == MessageType.PROPOSE && network.onPropose(e)) {
                    pickUpProposals();
                } else if (e.type() == MessageType.RESULT) {
                    network.onResult(
                            e, store.entry(e.computation()).map(Entry::prompt).orElse(""));
                } else if (e.type() != MessageType.PROPOSE) {
                    run(new HeavyCore.Message(e));
                }
            } catch (ProtocolException e) {
                rejected(msg, e);
            } catch (RuntimeException e) {
                failedToHandle(msg, e);
            }
        });
    }

    @Override
    void onMessage(Envelope e) throws ProtocolException {
        run(new HeavyCore.Message(e)); // called through deliver, on the mailbox
    }

    @Override
    void resume() {
        mailbox.post(() -> {
            runQuietly(new HeavyCore.Resume());
            pickUpProposals();
        });
    }

    @Override
    void tick() {
        mailbox.postOnce(tickPosted, () -> {
            long now = services.now();
            if (!failures.ready(now)) {
                return;
            }
            try {
                if (network.proposalsMayHaveChanged(now)) {
                    pickUpProposals();
                }
                run(new HeavyCore.Tick());
                effects.retry(now);
                failures.succeeded();
            } catch (ProtocolException | RuntimeException e) {
                failures.failed(e.toString(), now);
            }
        });
    }

    private void pickUpProposals() {
        for (HeavyCore.Proposal p : network.proposals()) {
            runQuietly(p);
        }
    }

    @Override
    boolean hasIdleWork(long now) {
        return now >= nextDeadline && !drainPosted.get();
    }

    @Override
    Duration receivePoll(Duration standard) {
        return Duration.ofMillis(Math.min(100, standard.toMillis()));
    }

    /** The deadline close runs once the receiver has drained what was already delivered (see ReceiveLoop). */
    @Override
    void onIdle() {
        mailbox.postOnce(drainPosted, () -> runQuietly(new HeavyCore.Drained()));
    }

    /** The mailbox finishes what it holds (messages received are acknowledged only by the close). */
    @Override
    void drain() {
        mailbox.drain();
    }

    @Override
    void closeStore() {
        store.close();
    }
}
