package io.formix.node;

import io.formix.state.FormixHome;
import io.formix.state.HeavyStore;
import io.formix.state.LightStorePool;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one or many nodes in this process. Each hosted node keeps its own identity, transport
 * endpoint, {@code node.db} and {@code node.log}. Light nodes whose transport says when a message
 * arrives (files) are served by a fixed number of shared receiver threads ({@link SharedReceivers}),
 * however many the host runs; a heavy node, or a node over a transport that cannot say (tcp,
 * memory), gets a receiver thread of its own (small stack). One shared ticker thread drives them all
 * ({@link HostTicker}: deadlines, proposals, approvals).
 * The host records its pid and start time for its nodes in {@code network.db} and clears them on
 * close; a {@code node stop} of some of its nodes is noticed through {@code stop_requested}.
 *
 * <p>Descriptors: a light node holds none of its own while it waits — its {@code node.db} is open
 * only while it works (one {@link LightStorePool} per host, at most {@link
 * LightStorePool#configuredCapacity()} open at once, 3 descriptors each) and its log is opened per
 * line; what stays per node is its transport's (the file transport's party lock: 1).
 *
 * <p>Thread-safe. {@link #close()} stops every node and is idempotent.
 */
public final class NodeHost implements AutoCloseable {

    /**
     * Tuning knobs; the defaults suit a laptop. {@code openLightStores}: how many light nodes'
     * databases the host keeps open at most ({@link LightStorePool}).
     */
    public record Settings(Duration tick, Duration receivePoll, int openLightStores) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(50), Duration.ofSeconds(2));

        public Settings(Duration tick, Duration receivePoll) {
            this(tick, receivePoll, LightStorePool.configuredCapacity());
        }
    }

    private static final long RECEIVER_STACK = 256 * 1024;
    /** Nodes opened at once ({@code -Dformix.host.starters=N}): opening is mostly waiting for the disk. */
    private static final int STARTERS = Math.max(1, Integer.getInteger("formix.host.starters", 8));

    private static final int SENDERS = 8;

    private final HostServices services;
    private final TransportFactory transports;
    private final Settings settings;
    private final long pid = ProcessLiveness.selfPid();
    private final long pidStart = ProcessLiveness.startTime(pid);
    private final Map<PartyId, Running> nodes = new ConcurrentHashMap<>();
    private final HostStops stops;
    /** The light nodes' databases, open only while they work. */
    private final LightStorePool lightStores;
    /** The periodic work: stop requests, channel health, idle stores, proposals, node ticks. */
    private final HostTicker ticker;

    private volatile boolean closed;

    /** The shared receive path of the light nodes (threads started with the first node it serves). */
    private final SharedReceivers receivers;

    /** A hosted node and what receives its messages. */
    record Running(Node node, NodeReceiver receiver) {}

    private NodeHost(HostServices services, TransportFactory transports, Settings settings) {
        this.services = services;
        this.transports = transports;
        this.settings = settings;
        this.stops = new HostStops(services, pid, settings.receivePoll());
        this.lightStores = LightStorePool.sqlite(
                settings.openLightStores(), LightStorePool.DEFAULT_IDLE_MS, services.clock()::millis);
        this.ticker = new HostTicker(
                services, nodes, stops, lightStores, daemon("formix-ticker"), daemon("formix-light-ticks"));
        this.receivers = new SharedReceivers(
                SharedReceivers.configuredWorkers(),
                services.clock(),
                settings.receivePoll(),
                daemon("formix-receiver"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Starts the given nodes (already registered in {@code net}) and records this process as
     * their host.
     *
     * @throws IOException if a node's transport cannot be opened (e.g. already running elsewhere);
     *     nodes started before the failure are stopped again
     */
    public static NodeHost start(
            FormixHome home,
            NetworkDb net,
            TransportFactory transports,
            Clock clock,
            Collection<NodeRecord> records,
            Settings settings)
            throws IOException {
        HostServices services = new HostServices(
                home,
                net,
                new Registry(net),
                clock,
                new SecureRandom(),
                Executors.newFixedThreadPool(SENDERS, daemon("formix-sender")));
        NodeHost host = new NodeHost(services, transports, settings);
        // Opening a node is mostly waiting for the disk (SQLite, lock files): a few at a time.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(STARTERS, records.size())));
        try {
            List<Future<?>> started = new ArrayList<>();
            for (NodeRecord r : records) {
                started.add(pool.submit(() -> {
                    host.startNode(r);
                    return null;
                }));
            }
            for (Future<?> f : started) {
                f.get();
            }
        } catch (ExecutionException e) {
            host.close();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        } catch (InterruptedException e) {
            host.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting nodes", e);
        } finally {
            pool.shutdown();
        }
        // After the opens: each transport lists the channel root when it opens, so a root that
        // fills up only now keeps the opens cheap; a new folder wakes only its receiver.
        try {
            transports.prepare(records, net.nodes(null));
        } catch (IOException | RuntimeException e) {
            host.close();
            throw e;
        }
        List<Node> lights = new ArrayList<>();
        for (Running r : host.nodes.values()) {
            if (r.node() instanceof LightNode) {
                lights.add(r.node()); // once running: LightRecovery
                continue;
            }
            synchronized (r.node()) {
                r.node().resume();
            }
        }
        for (Running r : host.nodes.values()) {
            r.node()
                    .log
                    .info("node " + r.node().uid + " started (pid " + host.pid + ", "
                            + r.node().transport.getClass().getSimpleName() + ")");
            r.receiver().start();
        }
        host.ticker.start(settings.tick());
        // Only now are the nodes "running" for everyone else: receivers and ticker are live.
        List<PartyId> uids = new ArrayList<>(host.nodes.keySet());
        net.markStarted(uids, host.pid, host.pidStart, clock.millis());
        LightRecovery.start(lights, host.nodes::containsKey);
        return host;
    }

    private void startNode(NodeRecord r) throws IOException {
        services.registry().remember(r);
        NodeLog log = new NodeLog(services.home().nodeLog(r.uid()), services.clock(), r.isHeavy());
        Rejections rejections = ticker.rejections();
        Rejections.clear(services.home().nodeDir(r.uid()));
        Transport t = transports.open(r.uid(), rejections.events(log, services.clock()));
        Node opened = null;
        try {
            opened = r.isHeavy()
                    ? new HeavyNode(r.uid(), log, t, services, HeavyStore.open(services.home(), r.uid()))
                    : new LightNode(
                            r.uid(), log, t, services, lightStores.store(services.home(), r.uid()), r.approval());
            opened.rejections = rejections;
            opened.tickWanted = ticker.tickWanted(opened);
            if (!(opened instanceof LightNode)) {
                opened.prepare(); // a light node's, once it runs (LightRecovery)
            }
            transports.opened(r.uid(), t);
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.closeStore();
            }
            t.close();
            throw e;
        }
        Node node = opened;
        TransportFactory.Arrivals arrivals = node instanceof LightNode ? transports.arrivals(r.uid(), t) : null;
        NodeReceiver receiver;
        if (arrivals != null) {
            receiver = receivers.member(node, arrivals, node::deliver, node.log::warn);
        } else {
            ReceiveLoop loop = new ReceiveLoop(
                    node,
                    node.receivePoll(settings.receivePoll()),
                    services.clock(),
                    node::deliver,
                    node.log::warn,
                    node::awaitStop);
            Thread thread = new Thread(null, loop, "node-" + r.uid(), RECEIVER_STACK);
            thread.setDaemon(true);
            receiver = NodeReceiver.of(thread);
        }
        nodes.put(r.uid(), new Running(node, receiver));
        if (node instanceof HeavyNode) {
            node.tickWanted.run(); // ticked always; a light node asks when its core wants ticks
        }
    }

    /** The nodes currently running here. */
    public List<PartyId> running() {
        return new ArrayList<>(nodes.keySet());
    }

    /**
     * Stops one hosted node (it can be started again by a new host), without losing a message: the
     * receiver loop ends first (finishing the message in hand), and only then is the transport
     * closed, since closing acknowledges what was received.
     */
    public void stop(PartyId uid) {
        Running r = nodes.remove(uid);
        if (r == null) {
            return;
        }
        r.node().requestStop();
        stops.stopAll(List.of(r));
    }

    /** True once every hosted node was stopped (by {@link #stop}, a requested stop, or {@link #close}). */
    public boolean isEmpty() {
        return nodes.isEmpty() && stops.inProgress() == 0;
    }

    /** Stops every node, records them as stopped, and ends the ticker. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.stop();
        stops.shutdown();
        List<PartyId> uids = new ArrayList<>(nodes.keySet());
        List<Running> stopping = new ArrayList<>();
        for (PartyId uid : uids) {
            Running r = nodes.remove(uid);
            if (r != null) {
                r.node().requestStop();
                stopping.add(r);
            }
        }
        try {
            ticker.awaitTermination(Duration.ofSeconds(5));
            stops.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopping.forEach(stops::joinReceiver);
        stopping.forEach(HostStops::closeNode);
        receivers.close();
        services.senders().shutdownNow();
        ticker.shutdownLightTicks();
        lightStores.close();
        try {
            services.net().markStopped(uids, pid);
        } catch (RuntimeException e) {
            System.err.println("formix host: could not record the stop: " + e.getMessage());
        }
    }
}
