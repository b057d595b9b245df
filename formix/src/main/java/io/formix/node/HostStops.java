package io.formix.node;

import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stopping hosted nodes without losing a message: the receiver ends first (finishing the message in
 * hand), then the node closes (its mailbox drains, then the transport closes, which acknowledges
 * what was received), and the stops are recorded in {@code network.db} in one transaction. Stops
 * requested through {@code network.db} run off the ticker, so heavy nodes keep ticking meanwhile.
 */
final class HostStops {

    /**
     * Requested stops handled at once. Each is a batch (the nodes one {@code node stop} named): its
     * nodes are all asked to stop first, so their joins overlap and take one receive poll at most.
     */
    private static final int STOPPERS = 4;

    private final HostServices services;
    private final long pid;
    private final Duration receivePoll;
    private final ExecutorService stopper = Executors.newFixedThreadPool(STOPPERS, r -> {
        Thread t = new Thread(r, "formix-stopper");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger inProgress = new AtomicInteger();

    HostStops(HostServices services, long pid, Duration receivePoll) {
        this.services = services;
        this.pid = pid;
        this.receivePoll = receivePoll;
    }

    /**
     * Hands the nodes of {@code nodes} whose stop was requested to the stopper: all of them are asked
     * to stop at once, so the joins overlap (one receive poll at most, however many nodes), and the
     * ticker returns at once to the other nodes' deadlines.
     */
    void requested(Map<PartyId, NodeHost.Running> nodes) {
        List<NodeHost.Running> stop = new ArrayList<>();
        for (NodeRecord r : services.net().nodes(null)) {
            if (r.stopRequested() && r.pid() == pid) {
                NodeHost.Running running = nodes.remove(r.uid());
                if (running != null) {
                    running.node().requestStop();
                    stop.add(running);
                }
            }
        }
        if (stop.isEmpty()) {
            return;
        }
        inProgress.incrementAndGet();
        try {
            stopper.execute(() -> {
                try {
                    stopAll(stop);
                } finally {
                    inProgress.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            inProgress.decrementAndGet();
            stopAll(stop); // closing: stop them here
        }
    }

    /**
     * Stops nodes already asked to stop: waits for their receivers together, closes them, and
     * records them stopped in one transaction.
     */
    void stopAll(List<NodeHost.Running> stop) {
        stop.forEach(this::joinReceiver);
        stop.forEach(HostStops::closeNode);
        List<PartyId> uids = new ArrayList<>();
        stop.forEach(r -> uids.add(r.node().uid));
        try {
            services.net().markStopped(uids, pid);
        } catch (RuntimeException e) {
            System.err.println("formix host: could not record the stop of " + uids + ": " + e.getMessage());
        }
    }

    void joinReceiver(NodeHost.Running r) {
        try {
            r.receiver().join(receivePoll.toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeNode(NodeHost.Running r) {
        synchronized (r.node()) {
            r.node().log.info("node " + r.node().uid + " stopped");
            r.node().close();
        }
        ChannelHealth.clear(r.node().services.home().nodeDir(r.node().uid));
        r.node().log.close();
    }

    int inProgress() {
        return inProgress.get();
    }

    void shutdown() {
        stopper.shutdown();
    }

    /** Stops already handed to the stopper finish (and are recorded) before the host goes. */
    void awaitTermination() throws InterruptedException {
        stopper.awaitTermination(receivePoll.toMillis() + 15_000, TimeUnit.MILLISECONDS);
    }
}
