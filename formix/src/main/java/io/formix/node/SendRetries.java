package io.formix.node;

import io.formix.protocol.Envelope;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Single sends of a heavy node to the other heavy nodes of a computation (announcements, reports,
 * partial sums, aborts) that failed for a local reason or because the peer is away (a heavy node
 * restarting over TCP comes back): tried again from the node's ticks after {@link FailureBackoff#INITIAL}
 * doubling to {@link FailureBackoff#MAX}, until the computation's last timeout. The failure is logged
 * once per reason by {@link Node#attempt}. Confined to the node's mailbox thread.
 */
final class SendRetries {

    private record Retry(Envelope message, long until, long at, long delay) {}

    private final Node node;
    private final List<Retry> pending = new ArrayList<>();

    SendRetries(Node node) {
        this.node = node;
    }

    /** Sends {@code e}; on a local failure, keeps it for a retry until {@code until}. */
    void send(Envelope e, long until, long now) {
        SendFailure f = node.attempt(e);
        if (f != null && worthRetrying(f) && now < until) {
            pending.add(
                    new Retry(e, until, now + FailureBackoff.INITIAL.toMillis(), FailureBackoff.INITIAL.toMillis()));
        }
    }

    /** Tries again the sends whose wait is over. */
    void retry(long now) {
        List<Retry> again = new ArrayList<>();
        for (Iterator<Retry> it = pending.iterator(); it.hasNext(); ) {
            Retry r = it.next();
            if (now >= r.until()) {
                it.remove(); // the deadline passed: given up (its failure was logged)
            } else if (now >= r.at()) {
                it.remove();
                SendFailure f = node.attempt(r.message());
                long delay = Math.min(r.delay() * 2, FailureBackoff.MAX.toMillis());
                if (f != null && worthRetrying(f)) {
                    again.add(new Retry(r.message(), r.until(), now + delay, delay));
                }
            }
        }
        pending.addAll(again);
    }

    /** A heavy node of the computation is needed by it: one that is away may come back in time. */
    private static boolean worthRetrying(SendFailure f) {
        return f.local() || f.peerAway();
    }

    int size() {
        return pending.size();
    }
}
