package io.formix.node;

import io.formix.protocol.Envelope;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sends a broadcast through the host's send pool, without blocking the node's mailbox: every message
 * at once, then again, after a growing wait ({@link FailureBackoff#INITIAL} doubling to
 * {@link FailureBackoff#MAX}), those that failed for a local reason (a local error is not a lost
 * peer), until the deadline. A peer the transport itself calls unknown or unreachable is not tried
 * again. When it ends, {@code done} gets the recipients that never got the message, with why.
 */
final class Broadcaster {

    private final Node node;
    private final Executor senders;

    Broadcaster(Node node, Executor senders) {
        this.node = node;
        this.senders = senders;
    }

    void send(Effect.Broadcast b, Consumer<Map<PartyId, String>> done) {
        round(b.messages(), b.until(), FailureBackoff.INITIAL.toMillis(), new TreeMap<>(), done);
    }

    private void round(
            List<Envelope> pending,
            long until,
            long wait,
            Map<PartyId, String> lost,
            Consumer<Map<PartyId, String>> done) {
        List<CompletableFuture<SendFailure>> sends = new ArrayList<>();
        try {
            for (Envelope e : pending) {
                sends.add(CompletableFuture.supplyAsync(() -> node.attempt(e), senders));
            }
        } catch (RejectedExecutionException ex) {
            return; // the host is closing; a restart broadcasts again
        }
        CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).whenComplete((v, ex) -> {
            List<Envelope> again = new ArrayList<>();
            Map<PartyId, String> localReasons = new TreeMap<>();
            for (int i = 0; i < sends.size(); i++) {
                SendFailure f = sends.get(i).getNow(SendFailure.local("send failed"));
                if (f == null) {
                    continue;
                }
                if (f.local()) {
                    again.add(pending.get(i));
                    localReasons.put(pending.get(i).to(), "local error until the deadline: " + f.reason());
                } else {
                    lost.put(pending.get(i).to(), "unreachable: " + f.reason());
                }
            }
            if (node.stopping) {
                return;
            }
            if (again.isEmpty() || node.services.now() + wait >= until) {
                lost.putAll(localReasons);
                done.accept(lost);
                return;
            }
            if (wait == FailureBackoff.INITIAL.toMillis()) {
                node.log.warn("broadcast: " + again.size() + " message(s) failed for a local reason ("
                        + localReasons.values().iterator().next() + "); retrying with backoff until the deadline");
            }
            long next = Math.min(wait * 2, FailureBackoff.MAX.toMillis());
            try {
                CompletableFuture.delayedExecutor(wait, TimeUnit.MILLISECONDS, senders)
                        .execute(() -> round(again, until, next, lost, done));
            } catch (RejectedExecutionException rex) {
                // closing
            }
        });
    }
}
