package io.formix.node;

import io.formix.protocol.Envelope;
import io.formix.transport.PartyId;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Single sends of a heavy node to the other heavy nodes of a computation (announcements, reports,
 * partial sums, aborts), in order per peer. A send that fails for a local reason, or because the
 * peer is away (a heavy node restarting over TCP comes back), is tried again after
 * {@link FailureBackoff#INITIAL} doubling to {@link #MAX_DELAY_MS}, until its computation's last
 * timeout; the messages queued behind it for the same peer wait, so a peer never gets a report
 * before the announcement it follows. The failure is logged once per reason by {@link Node#attempt}.
 *
 * <p>Attempts run on {@code attempts} and their outcome comes back through {@code mailbox}: for a
 * transport whose send may wait for a connection (TCP waits up to its connect timeout), a pool and
 * the node's mailbox, so that a peer that is down never stalls the node; for a durable (file)
 * transport, whose send is a local write, both run inline. State is confined to the mailbox thread.
 */
final class SendRetries {

    /**
     * The longest wait between two attempts. Shorter than {@link FailureBackoff#MAX}: there are only
     * two peers, a refused connection costs nothing, and a heavy node back from a restart must get
     * the announcement it missed within a second, not up to five seconds later, with the deadline
     * running.
     */
    static final long MAX_DELAY_MS = 1_000;

    private record Pending(Envelope message, long until) {}

    /** The queue of one peer, and when its head may be tried next. */
    private static final class Peer {
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        boolean inFlight;
        long at;
        long delay;
    }

    private final Node node;
    private final Executor attempts;
    private final Consumer<Runnable> mailbox;
    private final Map<PartyId, Peer> peers = new LinkedHashMap<>();

    /** Sends inline (tests, and nodes whose transport is durable). */
    SendRetries(Node node) {
        this(node, Runnable::run, Runnable::run);
    }

    SendRetries(Node node, Executor attempts, Consumer<Runnable> mailbox) {
        this.node = node;
        this.attempts = attempts;
        this.mailbox = mailbox;
    }

    /** Queues {@code e} for its peer and sends it when its turn comes, retrying until {@code until}. */
    void send(Envelope e, long until, long now) {
        Peer p = peers.computeIfAbsent(e.to(), to -> new Peer());
        p.queue.add(new Pending(e, until));
        pump(p, now);
    }

    /** Tries again the sends whose wait is over (called from the node's ticks). */
    void retry(long now) {
        for (Peer p : peers.values()) {
            pump(p, now);
        }
    }

    private void pump(Peer p, long now) {
        while (!p.inFlight && !p.queue.isEmpty()) {
            Pending head = p.queue.peek();
            if (now >= head.until()) {
                p.queue.poll(); // its computation's last timeout passed: given up (its failure was logged)
                p.delay = 0;
                continue;
            }
            if (now < p.at) {
                return;
            }
            p.inFlight = true;
            try {
                attempts.execute(() -> {
                    SendFailure f = node.attempt(head.message());
                    mailbox.accept(() -> done(p, f, now));
                });
            } catch (RejectedExecutionException ex) {
                p.inFlight = false; // the host is closing; a restart sends again what is persisted
                return;
            }
        }
    }

    private void done(Peer p, SendFailure f, long startedAt) {
        p.inFlight = false;
        long now = Math.max(startedAt, node.services.now());
        if (f == null || !worthRetrying(f)) {
            p.queue.poll();
            p.delay = 0;
            p.at = 0;
        } else {
            p.delay = p.delay == 0 ? FailureBackoff.INITIAL.toMillis() : Math.min(p.delay * 2, MAX_DELAY_MS);
            p.at = now + p.delay;
        }
        pump(p, now);
    }

    /** A heavy node of the computation is needed by it: one that is away may come back in time. */
    private static boolean worthRetrying(SendFailure f) {
        return f.local() || f.peerAway();
    }

    /** Messages not yet sent (waiting for a retry, queued behind one, or being tried). */
    int size() {
        return peers.values().stream().mapToInt(p -> p.queue.size()).sum();
    }
}
