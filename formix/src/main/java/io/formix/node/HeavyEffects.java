package io.formix.node;

import java.util.List;
import java.util.function.Consumer;

/**
 * Applies the effects of a {@link HeavyCore} call, in order, once its transaction has committed:
 * sends (in order per peer, retried while they fail for a local reason or the peer is away, see
 * {@link SendRetries}), broadcasts (off the mailbox, see
 * {@link Broadcaster}; their end comes back as an event), log lines, and {@code network.db}
 * ({@link HeavyNetwork}). Mailbox thread only.
 */
final class HeavyEffects {

    private final Node node;
    private final SendRetries retries;
    private final Broadcaster broadcaster;
    private final HeavyNetwork network;

    /**
     * @param mailbox posts work to the node's mailbox: where the outcome of a send attempt made off
     *     the mailbox comes back (a transport that is not durable may wait for a connection)
     */
    HeavyEffects(Node node, HeavyNetwork network, Consumer<Runnable> mailbox) {
        this.node = node;
        this.retries = node.transport.isDurable()
                ? new SendRetries(node)
                : new SendRetries(node, node.services.senders(), mailbox);
        this.broadcaster = new Broadcaster(node, node.services.senders());
        this.network = network;
    }

    /** Applies {@code effects}; the end of a broadcast is handed to {@code later} (posted to the mailbox). */
    void apply(List<Effect> effects, long now, Consumer<HeavyCore.Event> later) {
        for (Effect fx : effects) {
            if (fx instanceof Effect.Send s) {
                retries.send(s.message(), s.until(), now);
            } else if (fx instanceof Effect.Broadcast b) {
                broadcaster.send(b, lost -> later.accept(new HeavyCore.BroadcastDone(b.computation(), lost)));
            } else if (fx instanceof Effect.Log l) {
                if (l.warning()) {
                    node.log.warn(l.text());
                } else {
                    node.log.info(l.text());
                }
            } else {
                network.apply(fx);
            }
        }
    }

    /** Tries again the sends whose wait is over. */
    void retry(long now) {
        retries.retry(now);
    }
}
