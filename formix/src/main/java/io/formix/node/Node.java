package io.formix.node;

import io.formix.protocol.Envelope;
import io.formix.protocol.ProtocolException;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;

/**
 * The part common to heavy and light nodes: identity, log, transport, and the rule that every
 * handler runs under the node's lock (one message or tick at a time) and is idempotent, since a
 * restarted node may see its last message again.
 */
abstract class Node implements AutoCloseable {

    final PartyId uid;
    final NodeLog log;
    final Transport transport;
    final HostServices services;
    /** Set to end the receiver loop; the transport is closed only after the loop exits. */
    volatile boolean stopping;
    /** Released by {@link #requestStop}: wakes a receiver waiting out a failure. */
    private final java.util.concurrent.CountDownLatch stopSignal = new java.util.concurrent.CountDownLatch(1);
    /** Ticks that keep failing are skipped for a growing while, and logged once (see {@link FailureBackoff}). */
    final FailureBackoff tickFailures;
    /** Inbound channels stuck on a gap, published for {@code node show} (see {@link ChannelHealth}). */
    final ChannelHealth health = new ChannelHealth();
    /**
     * Messages refused since start, for {@code node show} (see {@link Rejections}). The host sets
     * it before the node starts to the object its transport's refusals go to as well.
     */
    Rejections rejections = new Rejections();

    Node(PartyId uid, NodeLog log, Transport transport, HostServices services) {
        this.uid = uid;
        this.log = log;
        this.transport = transport;
        this.services = services;
        this.tickFailures = new FailureBackoff("tick", text -> log.warn(text));
        this.limitFailures = new FailureBackoff("handling a message", text -> log.warn(text));
    }

    /** Asks the receiver loop to end (it finishes the message in hand) and wakes it from a failure wait. */
    void requestStop() {
        stopping = true;
        stopSignal.countDown();
    }

    /** Waits up to {@code millis}, or less if the node is asked to stop. */
    void awaitStop(long millis) throws InterruptedException {
        stopSignal.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Handles one validated envelope; throws {@link ProtocolException} to reject it with a reason. */
    abstract void onMessage(Envelope e) throws ProtocolException;

    /** Periodic work: deadlines, timeouts, approvals, retries. */
    abstract void tick();

    /**
     * Whether {@link #onIdle} has work: the receiver then drains the transport without waiting and
     * calls it once nothing is left. Read without the node's lock, so it must be cheap.
     */
    boolean hasIdleWork(long now) {
        return false;
    }

    /** Work to do only once every message already delivered to this node has been handled. */
    void onIdle() {}

    /** How long the receiver may block waiting for a message. */
    java.time.Duration receivePoll(java.time.Duration standard) {
        return standard;
    }

    /** Whether {@link #tick} has work now; read without the node's lock, so it must be cheap. */
    boolean wantsTick(long now) {
        return true;
    }

    /**
     * Whether {@link #tick} may have work later without another event first; false lets the host's
     * ticker stop asking until {@link #tickWanted} is run again. Read without the node's lock.
     */
    boolean mayWantTick() {
        return true;
    }

    /**
     * Tells the host's ticker to ask this node for ticks ({@link #wantsTick}) from now on, until
     * {@link #mayWantTick} says no more; the host sets it before the node starts.
     */
    Runnable tickWanted = () -> {};

    /** Set while a tick of this node runs on a pool thread, so ticks never pile up. */
    final java.util.concurrent.atomic.AtomicBoolean ticking = new java.util.concurrent.atomic.AtomicBoolean();

    /** One tick, unless ticks keep failing and the wait after the last failure is not over. */
    void tickOnce(long now) {
        if (!tickFailures.ready(now)) {
            return;
        }
        try {
            synchronized (this) {
                if (!stopping) {
                    tick();
                }
            }
            tickFailures.succeeded();
        } catch (RuntimeException e) {
            tickFailures.failed(e.toString(), now);
        }
    }

    /** Picks up persisted work after a (re)start. */
    abstract void resume();

    /**
     * Called by the host before {@link #resume}: for a heavy node right after it was opened, before
     * any message; for a light node once it runs ({@link LightRecovery}), under its lock.
     */
    void prepare() {}

    /** Failed sends per peer, so a retried failure is logged once with a count. */
    private final java.util.Map<PartyId, FailureBackoff> sendFailures = new java.util.concurrent.ConcurrentHashMap<>();

    /** Sends an envelope; returns false (and logs why, once per distinct reason) if the transport refused it. */
    boolean send(Envelope e) {
        return attempt(e) == null;
    }

    /**
     * Sends an envelope; returns null when sent, else why not: a {@link SendFailure#local()} failure
     * (too many open files, disk full, a transient I/O error) is worth retrying, any other is the
     * transport's verdict that the peer is unknown or unreachable. Logged once per distinct reason.
     */
    SendFailure attempt(Envelope e) {
        FailureBackoff failures = sendFailures.computeIfAbsent(
                e.to(), to -> new FailureBackoff("sending to " + to, text -> log.warn(text)));
        try {
            byte[] bytes = e.encode();
            transport.send(e.to(), bytes);
            failures.succeeded();
            return null;
        } catch (IOException ex) {
            // Retries repeat the same failure: logged once per distinct reason, with a count.
            String limit = io.formix.state.ResourceLimits.explain(ex, null);
            failures.failed(
                    "could not send " + e.type().wire() + " for " + e.computation() + ": "
                            + (limit != null ? limit : ex.getMessage()),
                    services.now());
            return SendFailure.of(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return SendFailure.permanent("interrupted");
        }
    }

    /** Dispatches one received message (decoded, checked, handed to {@link #onMessage}); see {@link NodeHost}. */
    void deliver(io.formix.transport.Message msg) {
        try {
            Envelope e = decode(msg);
            handleWithinLimits(e);
        } catch (ProtocolException e) {
            rejected(msg, e);
        } catch (RuntimeException e) {
            failedToHandle(msg, e);
        }
    }

    /** Failures to handle a message because of a resource limit, logged once per distinct reason. */
    private final FailureBackoff limitFailures;

    /**
     * Hands {@code e} to {@link #onMessage}; while that fails because this process met a limit (too
     * many open files, a full disk: {@link io.formix.state.ResourceLimits}), says so once and tries
     * again after a growing wait, so the message is not dropped. Handlers are idempotent, so a
     * retry after a half-done attempt is safe. Gives up only when the node is asked to stop meanwhile:
     * the failure is then rethrown and logged as a message that could not be handled (closing the
     * transport acknowledges it, so it is not seen again).
     */
    void handleWithinLimits(Envelope e) throws ProtocolException {
        while (true) {
            try {
                synchronized (this) {
                    onMessage(e);
                }
                limitFailures.succeeded();
                return;
            } catch (io.formix.state.StateException ex) {
                String limit = io.formix.state.ResourceLimits.explain(ex, null);
                if (limit == null || stopping) {
                    throw ex;
                }
                long wait = limitFailures.failed(
                        "cannot handle " + e.type().wire() + " for " + e.computation() + " from " + e.from() + ": "
                                + limit,
                        services.now());
                try {
                    awaitStop(Math.max(10, wait));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
            }
        }
    }

    /** Decodes {@code msg} and checks its envelope against the transport's facts and the registry. */
    Envelope decode(io.formix.transport.Message msg) throws ProtocolException {
        Envelope e = Envelope.decode(msg.payload());
        if (!e.from().equals(msg.from())) {
            throw new ProtocolException("envelope claims sender " + e.from() + " but came from " + msg.from());
        }
        if (!e.to().equals(uid)) {
            throw new ProtocolException("envelope addressed to " + e.to());
        }
        if (services.registry().role(msg.from()).isEmpty()) {
            throw new ProtocolException("sender " + msg.from() + " is not a known node");
        }
        return e;
    }

    void rejected(io.formix.transport.Message msg, ProtocolException e) {
        log.warn("rejected message #" + msg.sequence() + " from " + msg.from() + " (" + msg.payload().length
                + " bytes): " + e.getMessage());
        rejections.record(msg.from(), "protocol", e.getMessage(), java.time.Instant.ofEpochMilli(services.now()));
    }

    void failedToHandle(io.formix.transport.Message msg, RuntimeException e) {
        log.warn("error handling message #" + msg.sequence() + " from " + msg.from() + ": " + e);
        rejections.record(msg.from(), "error", e.toString(), java.time.Instant.ofEpochMilli(services.now()));
    }

    abstract void closeStore();

    /** Finishes work already accepted, before the transport closes (which acknowledges what was received). */
    void drain() {}

    @Override
    public void close() {
        drain();
        try {
            transport.close();
        } catch (IOException e) {
            log.warn("closing transport: " + e.getMessage());
        }
        closeStore();
    }
}
