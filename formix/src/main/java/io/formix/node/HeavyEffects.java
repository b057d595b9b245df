package io.formix.node;

import java.util.List;
import java.util.function.Consumer;

/**
 * Applies the effects of a {@link HeavyCore} call, in order, once its transaction has committed:
 * sends (a local failure is retried, see {@link SendRetries}), broadcasts (off the mailbox, see
 * {@link Broadcaster}; their end comes back as an event), log lines, and {@code network.db}
 * ({@link HeavyNetwork}). Mailbox thread only.
 */
final class HeavyEffects {

    private final Node node;
    private final SendRetries retries;
    private final Broadcaster broadcaster;
    private final HeavyNetwork network;

    HeavyEffects(Node node, HeavyNetwork network) {
        this.node = node;
        this.retries = new SendRetries(node);
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

    /** Tries again the sends that failed for a local reason and whose wait is over. */
    void retry(long now) {
        retries.retry(now);
    }
}
