package io.formix.node;

import io.formix.state.LightStorePool;
import io.formix.transport.PartyId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A host's periodic work, run on one ticker thread every {@code tick}: it notices a changed
 * {@code network.db} (a {@code node stop} of some hosted nodes, through {@link HostStops}), asks
 * the transports for stalled channels every {@value #HEALTH_EVERY_MS} ms, closes the idle light
 * stores every {@value #IDLE_STORES_EVERY_MS} ms, forwards proposals every {@value
 * #FORWARD_EVERY_MS} ms, and ticks every heavy node and each light node whose core may want a tick
 * (deadlines, retries, approvals); it publishes a node's refused messages on the tick after they
 * came. A host of 10,000 light nodes thus walks all of them only when one refused something, not
 * every 50 ms. A heavy node ticks
 * on the ticker thread; a light node's tick, which may block on a send, runs on a small pool so
 * that it never delays the heavy nodes' deadlines.
 *
 * <p>A failing registry read or proposal forward is reported (with backoff) and retried on a later
 * tick; it never stops the ticker. After {@link #stop()} no tick does anything.
 *
 * <p>Thread-safe: {@link #tick()} runs on the ticker thread only; {@link #stop()} and {@link
 * #shutdownLightTicks()} may be called from any thread.
 */
final class HostTicker {

    /** How often the ticker asks the transports for stalled channels: a stall is minutes old when reported. */
    private static final long HEALTH_EVERY_MS = 5_000;

    private static final long FORWARD_EVERY_MS = 500;
    private static final long IDLE_STORES_EVERY_MS = 1_000;

    private final HostServices services;
    /** The host's running nodes (shared with the host, which adds and removes them). */
    private final Map<PartyId, NodeHost.Running> nodes;

    private final HostStops stops;
    private final LightStorePool lightStores;
    private final ProposalForwarder forwarder;
    private final ScheduledExecutorService ticker;
    private final ExecutorService lightTicks;
    private final FailureBackoff registryFailures =
            new FailureBackoff("reading network.db", text -> System.err.println("formix host: " + text));

    /**
     * The nodes a tick asks for work: every heavy node, and the light nodes whose core may want a
     * tick ({@link Node#mayWantTick}), each added by {@link Node#tickWanted} and dropped once it no
     * longer may or it stops. A host of 10,000 light nodes with nothing pending walks none of them.
     */
    private final java.util.Set<Node> tickable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Set when some node's {@link Rejections} has something new to publish (see {@link #rejections}). */
    private final AtomicBoolean refused = new AtomicBoolean();

    private volatile boolean stopped;
    private volatile long seenVersion = Long.MIN_VALUE;
    /** When the ticker last looked for stalled channels (every {@link #HEALTH_EVERY_MS}). */
    private long healthCheckedAt = Long.MIN_VALUE / 2; // far past, without overflow in now - healthCheckedAt

    private long idleStoresCheckedAt = Long.MIN_VALUE / 2;
    private long nextForward = Long.MIN_VALUE;

    HostTicker(
            HostServices services,
            Map<PartyId, NodeHost.Running> nodes,
            HostStops stops,
            LightStorePool lightStores,
            ThreadFactory tickerThread,
            ThreadFactory lightTickThreads) {
        this.services = services;
        this.nodes = nodes;
        this.stops = stops;
        this.lightStores = lightStores;
        this.forwarder = new ProposalForwarder(services);
        this.ticker = Executors.newSingleThreadScheduledExecutor(tickerThread);
        this.lightTicks = Executors.newFixedThreadPool(4, lightTickThreads);
    }

    /**
     * The refusal counts of a node of this host: a tick looks at every node's only after one of
     * them had something new, not at 10,000 nodes every 50 ms.
     */
    Rejections rejections() {
        return new Rejections(() -> refused.set(true));
    }

    /** What {@code node} runs to be asked for ticks ({@link Node#tickWanted}). */
    Runnable tickWanted(Node node) {
        return () -> tickable.add(node);
    }

    /** Runs {@link #tick()} now and then {@code every} after the end of each tick. */
    void start(Duration every) {
        ticker.scheduleWithFixedDelay(this::tick, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Makes every later tick a no-op and lets the ticker thread end after the tick in hand. */
    void stop() {
        stopped = true;
        ticker.shutdown();
    }

    /** Waits up to {@code timeout} for the tick in hand (if any) to end, after {@link #stop()}. */
    void awaitTermination(Duration timeout) throws InterruptedException {
        ticker.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Interrupts the light nodes' ticks in progress and refuses new ones. */
    void shutdownLightTicks() {
        lightTicks.shutdownNow();
    }

    /** One round of the host's periodic work (see the class comment). */
    void tick() {
        if (stopped) {
            return;
        }
        long now = services.clock().millis();
        pollRegistry(now);
        if (now - healthCheckedAt >= HEALTH_EVERY_MS || now < healthCheckedAt) {
            healthCheckedAt = now;
            for (NodeHost.Running r : nodes.values()) {
                r.node()
                        .health
                        .check(r.node().transport, r.node().log, services.home().nodeDir(r.node().uid));
            }
        }
        if (now - idleStoresCheckedAt >= IDLE_STORES_EVERY_MS || now < idleStoresCheckedAt) {
            idleStoresCheckedAt = now;
            lightStores.closeIdle();
        }
        if (now >= nextForward) {
            nextForward = now + FORWARD_EVERY_MS;
            try {
                forwarder.forward(nodes); // no copy of every node every 500 ms: read only to forward
            } catch (RuntimeException e) {
                registryFailures.failed("forwarding proposals: " + e.getMessage(), now);
            }
        }
        if (refused.getAndSet(false)) { // before the walk: a refusal during it sets it again
            for (NodeHost.Running r : nodes.values()) {
                Node node = r.node();
                if (node.rejections.changed()) { // the path only when there is something to publish
                    node.rejections.publish(services.home().nodeDir(node.uid), node.log);
                }
            }
        }
        for (Node node : tickable) {
            if (node.stopping) {
                tickable.remove(node);
            } else {
                tickNode(node, now);
            }
        }
    }

    /** Hands the requested stops to {@link HostStops} when {@code network.db} changed. */
    private void pollRegistry(long now) {
        if (!registryFailures.ready(now)) {
            return;
        }
        try {
            long v = services.net().dataVersion();
            if (v != seenVersion) {
                stops.requested(nodes);
                seenVersion = v;
            }
            registryFailures.succeeded();
        } catch (RuntimeException e) {
            registryFailures.failed(String.valueOf(e.getMessage()), now);
        }
    }

    private void tickNode(Node node, long now) {
        if (node instanceof HeavyNode) {
            node.tickOnce(now);
        } else if (!node.mayWantTick()) {
            tickable.remove(node);
            if (node.mayWantTick()) {
                tickable.add(node); // it asked again meanwhile (it writes first, then adds)
            }
        } else if (node.wantsTick(now) && node.ticking.compareAndSet(false, true)) {
            // A light node's tick may block on a send (a retry to a heavy node that is down, over
            // tcp): never on the ticker thread that drives the heavy nodes' deadlines.
            try {
                lightTicks.execute(() -> {
                    try {
                        node.tickOnce(services.clock().millis());
                    } finally {
                        node.ticking.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                node.ticking.set(false);
            }
        }
    }
}
