package io.formix.service;

import io.formix.node.NodeHost;
import io.formix.registry.Heartbeats;
import io.formix.registry.Membership;
import io.formix.state.FormixHome;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.seal.NodeKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Renews the heartbeats of the heavy nodes a host runs, and withdraws those of stopped ones. */
final class HeartbeatTask implements Runnable {
    private final FormixHome home;
    private final NetworkPin pin;
    private final Clock clock;
    private final PrintWriter out;
    private final Map<PartyId, NodeKeys> heavies = new HashMap<>();
    /** Null until the host runs: until then every hosted heavy node is about to run. */
    volatile NodeHost host;

    HeartbeatTask(FormixHome home, NetworkPin pin, Clock clock, List<NodeRecord> records, PrintWriter out) {
        this.home = home;
        this.pin = pin;
        this.clock = clock;
        this.out = out;
        for (NodeRecord r : records) {
            if (r.isHeavy()) {
                try {
                    heavies.put(r.uid(), Membership.keys(home, r.uid()));
                } catch (IOException e) {
                    out.println("heartbeat: cannot load the keys of " + r.uid() + ": " + e.getMessage());
                }
            }
        }
    }

    @Override
    public synchronized void run() {
        NodeHost h = host;
        List<PartyId> running = h == null ? List.copyOf(heavies.keySet()) : h.running();
        for (Map.Entry<PartyId, NodeKeys> e : heavies.entrySet()) {
            try {
                if (running.contains(e.getKey())) {
                    Heartbeats.publish(home, pin, e.getKey(), e.getValue(), clock.instant());
                } else {
                    Heartbeats.withdraw(home, e.getKey());
                }
            } catch (IOException | RuntimeException ex) {
                out.println("heartbeat of " + e.getKey() + ": " + ex.getMessage());
                out.flush();
            }
        }
    }

    synchronized void withdrawAll() {
        for (PartyId uid : heavies.keySet()) {
            try {
                Heartbeats.withdraw(home, uid);
            } catch (IOException ignored) {
                // best effort: a stale heartbeat turns stale by itself
            }
        }
    }
}
