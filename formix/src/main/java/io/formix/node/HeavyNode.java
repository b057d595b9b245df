package io.formix.node;

import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.ProtocolException;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A heavy node: the driver of {@link HeavyCore}. Everything the node does runs on its one mailbox
 * thread, in order: a received message (decoded, then handed to the core), a tick (proposals to
 * pick up, timeouts, retries), the deadline close once the receiver has drained its inbox, the end
 * of a broadcast. Each core call runs in one store transaction; its effects are applied after the
 * commit (sends, then {@code network.db}). The receiver thread and the host's ticker only post work.
 */
final class HeavyNode extends Node {

    private static final long PROPOSAL_RESCAN_MS = 1_000;

    private final HeavyStore store;
    private final HeavyCore core;
    private final HeavyNetwork network;
    private final Broadcaster broadcaster;
    private final ExecutorService mailbox;
    private final AtomicBoolean tickPosted = new AtomicBoolean();
    private final AtomicBoolean drainPosted = new AtomicBoolean();
    /** Earliest deadline of a computation still collecting here (Long.MAX_VALUE: none). */
    private volatile long nextDeadline = Long.MAX_VALUE;
    // Mailbox thread only:
    private final SendRetries retries = new SendRetries(this);
    private long seenVersion = Long.MIN_VALUE;
    private long nextRescan;

    HeavyNode(PartyId uid, NodeLog log, Transport transport, HostServices services, HeavyStore store) {
        super(uid, log, transport, services);
        this.store = store;
        this.core = new HeavyCore(uid, store, services.registry()::role);
        this.network = new HeavyNetwork(this);
        this.broadcaster = new Broadcaster(this, services.senders());
        this.mailbox = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "node-" + uid + "-mailbox", 256 * 1024);
            t.setDaemon(true);
            return t;
        });
    }

    private void post(Runnable work) {
        try {
            mailbox.execute(work);
        } catch (RejectedExecutionException e) {
            // stopping: a restart picks the persisted work up again
        }
    }

    /** One event through the core, in one transaction, then its effects. */
    private void run(HeavyCore.Event event) throws ProtocolException {
        long now = services.now();
        List<Effect> effects;
        try {
            effects = store.inTransaction(() -> {
                try {
                    return core.handle(event, now);
                } catch (ProtocolException e) {
                    throw new Refused(e); // rolls the transaction back
                }
            });
        } catch (Refused r) {
            throw r.reason;
        }
        effects.forEach(fx -> apply(fx, now));
        nextDeadline = core.nextDeadline();
    }

    private static final class Refused extends RuntimeException {
        final ProtocolException reason;

        Refused(ProtocolException reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    private void apply(Effect fx, long now) {
        if (fx instanceof Effect.Send s) {
            retries.send(s.message(), s.until(), now);
        } else if (fx instanceof Effect.Broadcast b) {
            broadcaster.send(b, lost -> post(() -> runQuietly(new HeavyCore.BroadcastDone(b.computation(), lost))));
        } else if (fx instanceof Effect.Log l) {
            if (l.warning()) {
                log.warn(l.text());
            } else {
                log.info(l.text());
            }
        } else {
            network.apply(fx);
        }
    }

    private void runQuietly(HeavyCore.Event event) {
        try {
            run(event);
        } catch (ProtocolException | RuntimeException e) {
            tickFailures.failed(e.toString(), services.now());
        }
    }

    @Override
    void deliver(Message msg) {
        post(() -> {
            try {
                Envelope e = decode(msg);
                switch (e.type()) {
                    case PROPOSE -> {
                        if (network.onPropose(e)) {
                            pickUpProposals();
                        }
                    }
                    case RESULT -> Outcomes.record(this, e, Bodies.Result.parse(e.body()),
                            store.entry(e.computation()).map(Entry::prompt).orElse(""));
                    default -> run(new HeavyCore.Message(e));
                }
            } catch (ProtocolException e) {
                rejected(msg, e);
            } catch (RuntimeException e) {
                log.warn("error handling message #" + msg.sequence() + " from " + msg.from() + ": " + e);
            }
        });
    }

    @Override
    void onMessage(Envelope e) throws ProtocolException {
        run(new HeavyCore.Message(e)); // only through deliver, on the mailbox
    }

    @Override
    void resume() {
        post(() -> {
            runQuietly(new HeavyCore.Resume());
            pickUpProposals();
        });
    }

    @Override
    void tick() {
        if (tickPosted.compareAndSet(false, true)) {
            post(() -> {
                tickPosted.set(false);
                long now = services.now();
                if (!tickFailures.ready(now)) {
                    return;
                }
                try {
                    long v = services.net().dataVersion();
                    if (v != seenVersion || now >= nextRescan) {
                        seenVersion = v;
                        nextRescan = now + PROPOSAL_RESCAN_MS;
                        pickUpProposals();
                    }
                    run(new HeavyCore.Tick());
                    retries.retry(now);
                    tickFailures.succeeded();
                } catch (ProtocolException | RuntimeException e) {
                    tickFailures.failed(e.toString(), now);
                }
            });
        }
    }

    private void pickUpProposals() {
        for (HeavyCore.Proposal p : network.proposals()) {
            runQuietly(p);
        }
    }

    /* The deadline close runs once the receiver has drained what was already delivered (see ReceiveLoop). */

    @Override
    boolean hasIdleWork(long now) {
        return now >= nextDeadline && !drainPosted.get();
    }

    @Override
    Duration receivePoll(Duration standard) {
        return Duration.ofMillis(Math.min(100, standard.toMillis()));
    }

    @Override
    void onIdle() {
        if (drainPosted.compareAndSet(false, true)) {
            post(() -> {
                drainPosted.set(false);
                runQuietly(new HeavyCore.Drained());
            });
        }
    }

    /** The mailbox finishes what it holds (messages received are acknowledged only by the close). */
    @Override
    void drain() {
        mailbox.shutdown();
        try {
            if (!mailbox.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("the mailbox did not finish within 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    void closeStore() {
        store.close();
    }
}
