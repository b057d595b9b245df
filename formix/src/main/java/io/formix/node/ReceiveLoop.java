package io.formix.node;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.Message;
import io.formix.transport.TransportClosedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A node's receiver: takes messages from its transport and hands each to {@code dispatch}, runs
 * the node's idle work once the inbox is drained, and ends when the node is stopping or its
 * transport is closed. A receive that keeps failing (a folder where a message file should be, a
 * vanished data dir) is retried after a growing wait ({@link FailureBackoff}), with one log line
 * per distinct failure, instead of spinning and filling the log.
 */
final class ReceiveLoop implements Runnable {

    /** Idle work waits until the inbox is drained, or at most this long of steady traffic. */
    static final long FLOOD_GUARD_MS = 2_000;

    private final Node node;
    private final Duration poll;
    private final Clock clock;
    private final Consumer<Message> dispatch;
    private final Consumer<String> warn;
    private final FailureBackoff failures;
    private final FailureBackoff.Sleeper sleeper;

    /**
     * @param poll     how long one receive may block
     * @param dispatch handles one message (and logs its own rejections)
     * @param warn     takes one warning line (the node's log)
     * @param sleeper  waits after a failed receive; returns early when the node stops
     */
    ReceiveLoop(
            Node node,
            Duration poll,
            Clock clock,
            Consumer<Message> dispatch,
            Consumer<String> warn,
            FailureBackoff.Sleeper sleeper) {
        this.node = node;
        this.poll = poll;
        this.clock = clock;
        this.dispatch = dispatch;
        this.warn = warn;
        this.failures = new FailureBackoff("receive", warn);
        this.sleeper = sleeper;
    }

    @Override
    public void run() {
        long dueSince = Long.MAX_VALUE;
        while (!node.stopping) {
            Optional<Message> m;
            long now = clock.millis();
            boolean idleWork = node.hasIdleWork(now);
            dueSince = idleWork ? Math.min(dueSince, now) : Long.MAX_VALUE;
            try {
                m = node.transport.receiveAny(idleWork ? Duration.ZERO : poll);
                failures.succeeded();
            } catch (TransportClosedException e) {
                return;
            } catch (CorruptMessageException e) {
                // Moved aside by the transport, which goes on with the next message: not a repeat.
                warn.accept("rejected a corrupt message: " + e.getMessage());
                continue;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                long wait =
                        failures.failed(e instanceof IOException ? String.valueOf(e.getMessage()) : e.toString(), now);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (m.isPresent()) {
                dispatch.accept(m.get());
            }
            if (idleWork && (m.isEmpty() || now - dueSince >= FLOOD_GUARD_MS)) {
                dueSince = Long.MAX_VALUE;
                try {
                    synchronized (node) {
                        if (!node.stopping) {
                            node.onIdle();
                        }
                    }
                } catch (RuntimeException e) {
                    warn.accept("idle work failed: " + e);
                }
            }
        }
    }
}
