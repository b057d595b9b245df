package io.formix.node;

import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.HeavyStore;
import io.formix.state.LightStore;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs one or many nodes in this process. Each hosted node keeps its own identity, transport
 * endpoint, {@code node.db} and {@code node.log}; the host gives each a receiver thread (small
 * stack) and drives all of them from one shared ticker thread (deadlines, proposals, approvals).
 * The host records its pid and start time for its nodes in {@code network.db} and clears them on
 * close; a {@code node stop} of some of its nodes is noticed through {@code stop_requested}.
 *
 * <p>Thread-safe. {@link #close()} stops every node and is idempotent.
 */
public final class NodeHost implements AutoCloseable {

    /** Tuning knobs; the defaults suit a laptop. */
    public record Settings(Duration tick, Duration receivePoll) {
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(50), Duration.ofSeconds(2));
    }

    private static final long RECEIVER_STACK = 256 * 1024;
    private static final int STARTERS = 8;
    private static final int SENDERS = 8;
    /**
     * Requested stops handled at once. Each is a batch (the nodes one {@code node stop} named): its
     * nodes are all asked to stop first, so their joins overlap and take one receive poll at most.
     */
    private static final int STOPPERS = 4;
    /** How often the ticker asks the transports for stalled channels: a stall is minutes old when reported. */
    private static final long HEALTH_EVERY_MS = 5_000;

    private final HostServices services;
    private final TransportFactory transports;
    private final Settings settings;
    private final long pid = ProcessLiveness.selfPid();
    private final long pidStart = ProcessLiveness.startTime(pid);
    private final Map<PartyId, Running> nodes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private final ExecutorService lightTicks = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "formix-light-ticks");
        t.setDaemon(true);
        return t;
    });
    /** Stops requested through {@code network.db}, off the ticker so heavy nodes keep ticking meanwhile. */
    private final ExecutorService stopper = Executors.newFixedThreadPool(STOPPERS, r -> {
        Thread t = new Thread(r, "formix-stopper");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.atomic.AtomicInteger stopsInProgress = new java.util.concurrent.atomic.AtomicInteger();
    private final FailureBackoff registryFailures = new FailureBackoff("reading network.db",
            text -> System.err.println("formix host: " + text));
    private volatile long seenVersion = Long.MIN_VALUE;
    /** When the ticker last looked for stalled channels (every {@link #HEALTH_EVERY_MS}). */
    private long healthCheckedAt = Long.MIN_VALUE / 2; // far past, without overflow in now - healthCheckedAt
    private volatile boolean closed;
    private static final long FORWARD_EVERY_MS = 500;
    private long nextForward = Long.MIN_VALUE;
    /** Proposals being handed to a remote heavy node 1 right now. */
    private final Set<String> forwarding = ConcurrentHashMap.newKeySet();

    private record Running(Node node, Thread receiver) {
    }

    private NodeHost(HostServices services, TransportFactory transports, Settings settings) {
        this.services = services;
        this.transports = transports;
        this.settings = settings;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "formix-ticker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the given nodes (already registered in {@code net}) and records this process as
     * their host.
     *
     * @throws IOException if a node's transport cannot be opened (e.g. already running elsewhere);
     *     nodes started before the failure are stopped again
     */
    public static NodeHost start(FormixHome home, NetworkDb net, TransportFactory transports, Clock clock,
                                 Collection<NodeRecord> records, Settings settings) throws IOException {
        HostServices services = new HostServices(home, net, new Registry(net), clock, new SecureRandom(),
                Executors.newFixedThreadPool(SENDERS, r -> {
                    Thread t = new Thread(r, "formix-sender");
                    t.setDaemon(true);
                    return t;
                }));
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
        for (Running r : host.nodes.values()) {
            synchronized (r.node()) {
                r.node().resume();
            }
        }
        for (Running r : host.nodes.values()) {
            r.node().log.info("node " + r.node().uid + " started (pid " + host.pid + ", "
                    + r.node().transport.getClass().getSimpleName() + ")");
            r.receiver().start();
        }
        host.ticker.scheduleWithFixedDelay(host::tickAll, 0, settings.tick().toMillis(), TimeUnit.MILLISECONDS);
        // Only now are the nodes "running" for everyone else: receivers and ticker are live.
        List<PartyId> uids = new ArrayList<>(host.nodes.keySet());
        net.markStarted(uids, host.pid, host.pidStart, clock.millis());
        return host;
    }

    private void startNode(NodeRecord r) throws IOException {
        services.registry().remember(r);
        NodeLog log = new NodeLog(services.home().nodeLog(r.uid()), services.clock());
        Transport t = transports.open(r.uid(), log::warn);
        Node node;
        try {
            node = r.isHeavy()
                    ? new HeavyNode(r.uid(), log, t, services, HeavyStore.open(services.home(), r.uid()))
                    : new LightNode(r.uid(), log, t, services, LightStore.open(services.home(), r.uid()), r.approval());
            transports.opened(r.uid(), t);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        ReceiveLoop loop = new ReceiveLoop(node, node.receivePoll(settings.receivePoll()), services.clock(),
                node::deliver, node.log::warn, node::awaitStop);
        Thread receiver = new Thread(null, loop, "node-" + r.uid(), RECEIVER_STACK);
        receiver.setDaemon(true);
        nodes.put(r.uid(), new Running(node, receiver));
    }

    private void tickAll() {
        if (closed) {
            return;
        }
        long now = services.clock().millis();
        if (registryFailures.ready(now)) {
            try {
                long v = services.net().dataVersion();
                if (v != seenVersion) {
                    stopRequested();
                    seenVersion = v;
                }
                registryFailures.succeeded();
            } catch (RuntimeException e) {
                registryFailures.failed(String.valueOf(e.getMessage()), now);
            }
        }
        if (now - healthCheckedAt >= HEALTH_EVERY_MS || now < healthCheckedAt) {
            healthCheckedAt = now;
            for (Running r : nodes.values()) {
                r.node().health.check(r.node().transport, r.node().log, services.home().nodeDir(r.node().uid));
            }
        }
        if (now >= nextForward) {
            nextForward = now + FORWARD_EVERY_MS;
            try {
                forwardProposals();
            } catch (RuntimeException e) {
                registryFailures.failed("forwarding proposals: " + e.getMessage(), now);
            }
        }
        for (Running r : nodes.values()) {
            Node node = r.node();
            if (node instanceof HeavyNode) {
                tickNow(node, now);
            } else if (node.wantsTick(now) && node.ticking.compareAndSet(false, true)) {
                // A light node's tick may block on a send (a retry to a heavy node that is down, over
                // tcp): never on the ticker thread that drives the heavy nodes' deadlines.
                try {
                    lightTicks.execute(() -> {
                        try {
                            tickNow(node, services.clock().millis());
                        } finally {
                            node.ticking.set(false);
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    node.ticking.set(false);
                }
            }
        }
    }

    /**
     * Proposals made in this home whose heavy node 1 runs on another host travel to it as a sealed
     * {@code propose} message from any node running here; once sent, the computation is
     * {@code broadcast} here (handed on) until heavy node 1's {@code result} comes back.
     */
    private void forwardProposals() {
        List<ComputationRecord> proposed = new ArrayList<>();
        for (ComputationRecord c : services.net().openComputations()) {
            if (c.status() == ComputationRecord.Status.PROPOSED && !forwarding.contains(c.id())
                    && services.registry().isRemote(c.heavy1())) {
                proposed.add(c);
            }
        }
        if (proposed.isEmpty() || nodes.isEmpty()) {
            return;
        }
        Node carrier = nodes.values().iterator().next().node();
        for (ComputationRecord c : proposed) {
            forwarding.add(c.id());
            try {
                services.senders().execute(() -> {
                    try {
                        Bodies.Compute body = new Bodies.Compute(c.prompt(), ResponseSchema.parse(c.schema()), Bodies.DEFAULT_SCHEME,
                                c.threshold(), c.deadline(), c.graceMs(), c.heavy(), List.of());
                        if (carrier.send(Envelope.of(MessageType.PROPOSE, carrier.uid, c.heavy1(), c.id(), body.toJson()))
                                && services.net().advance(c.id(), ComputationRecord.Status.BROADCAST, -1)) {
                            carrier.log.info("computation " + c.id() + ": proposal sent to heavy node 1 (" + c.heavy1()
                                    + ") on another host");
                        }
                    } catch (RuntimeException e) {
                        carrier.log.warn("computation " + c.id() + ": could not forward the proposal: " + e.getMessage());
                    } finally {
                        forwarding.remove(c.id());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                forwarding.remove(c.id());
            }
        }
    }

    /** One tick of {@code node}, unless its ticks keep failing and the wait after the last failure is not over. */
    static void tickNow(Node node, long now) {
        if (!node.tickFailures.ready(now)) {
            return;
        }
        try {
            synchronized (node) {
                if (!node.stopping) {
                    node.tick();
                }
            }
            node.tickFailures.succeeded();
        } catch (RuntimeException e) {
            node.tickFailures.failed(e.toString(), now);
        }
    }

    /**
     * Hands the nodes whose stop was requested to the stopper: all of them are asked to stop at
     * once, so the joins overlap (one receive poll at most, however many nodes), and the ticker
     * returns at once to the other nodes' deadlines.
     */
    private void stopRequested() {
        List<Running> stop = new ArrayList<>();
        for (NodeRecord r : services.net().nodes(null)) {
            if (r.stopRequested() && r.pid() == pid) {
                Running running = nodes.remove(r.uid());
                if (running != null) {
                    running.node().requestStop();
                    stop.add(running);
                }
            }
        }
        if (stop.isEmpty()) {
            return;
        }
        stopsInProgress.incrementAndGet();
        try {
            stopper.execute(() -> {
                try {
                    stopAll(stop);
                } finally {
                    stopsInProgress.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stopsInProgress.decrementAndGet();
            stopAll(stop); // closing: stop them here
        }
    }

    /**
     * Stops nodes already asked to stop: waits for their receivers together, closes them, and
     * records them stopped in one transaction.
     */
    private void stopAll(List<Running> stop) {
        stop.forEach(this::joinReceiver);
        stop.forEach(NodeHost::closeNode);
        List<PartyId> uids = new ArrayList<>();
        stop.forEach(r -> uids.add(r.node().uid));
        try {
            services.net().markStopped(uids, pid);
        } catch (RuntimeException e) {
            System.err.println("formix host: could not record the stop of " + uids + ": " + e.getMessage());
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
        stopAll(List.of(r));
    }

    private void joinReceiver(Running r) {
        try {
            r.receiver().join(settings.receivePoll().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeNode(Running r) {
        synchronized (r.node()) {
            r.node().log.info("node " + r.node().uid + " stopped");
            r.node().close();
        }
        ChannelHealth.clear(r.node().services.home().nodeDir(r.node().uid));
        r.node().log.close();
    }

    /** True once every hosted node was stopped (by {@link #stop}, a requested stop, or {@link #close}). */
    public boolean isEmpty() {
        return nodes.isEmpty() && stopsInProgress.get() == 0;
    }

    /** Stops every node, records them as stopped, and ends the ticker. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdown();
        stopper.shutdown();
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
            ticker.awaitTermination(5, TimeUnit.SECONDS);
            // Stops already handed to the stopper finish (and are recorded) before the host goes.
            stopper.awaitTermination(settings.receivePoll().toMillis() + 15_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopping.forEach(this::joinReceiver);
        stopping.forEach(NodeHost::closeNode);
        services.senders().shutdownNow();
        lightTicks.shutdownNow();
        try {
            services.net().markStopped(uids, pid);
        } catch (RuntimeException e) {
            System.err.println("formix host: could not record the stop: " + e.getMessage());
        }
    }
}
