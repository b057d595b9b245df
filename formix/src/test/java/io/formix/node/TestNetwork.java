package io.formix.node;

import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A network of nodes in this JVM over an in-memory transport, with a plaintext oracle. */
final class TestNetwork implements AutoCloseable {

    static final NodeHost.Settings FAST = new NodeHost.Settings(Duration.ofMillis(20), Duration.ofMillis(100));

    final FormixHome home;
    final NetworkDb hostDb;
    final NetworkDb cliDb;
    final InMemoryNetwork memory = new InMemoryNetwork();
    final List<NodeHost> hosts = new ArrayList<>();

    TestNetwork(Path dir, int heavy, int light, Approval approval) {
        home = FormixHome.of(dir);
        hostDb = NetworkDb.open(home);
        cliDb = NetworkDb.open(home);
        cliDb.createNodes(Role.HEAVY, heavy, Approval.AUTO, 1);
        if (light > 0) {
            cliDb.createNodes(Role.LIGHT, light, approval, 2);
        }
    }

    NodeHost start(List<NodeRecord> nodes) throws IOException {
        NodeHost h = NodeHost.start(home, hostDb, memory::open, Clock.systemUTC(), nodes, FAST);
        hosts.add(h);
        return h;
    }

    /** Starts {@code nodes} in one host whose light nodes share its receiver threads. */
    NodeHost startShared(List<NodeRecord> nodes) throws IOException {
        NodeHost h = NodeHost.start(home, hostDb, new SignallingMemory(memory), Clock.systemUTC(), nodes, FAST);
        hosts.add(h);
        return h;
    }

    NodeHost startAll() throws IOException {
        return start(cliDb.nodes(null));
    }

    NodeHost startExcept(String... uids) throws IOException {
        List<NodeRecord> l = new ArrayList<>(cliDb.nodes(null));
        l.removeIf(r -> List.of(uids).contains(r.uid().value()));
        return start(l);
    }

    NodeRecord node(String uid) {
        return cliDb.node(PartyId.of(uid)).orElseThrow();
    }

    ComputationRecord propose(Duration deadline, Integer threshold, Duration grace) throws ProposalException {
        return Proposer.propose(
                cliDb,
                Clock.systemUTC(),
                new Proposer.Request("answer 0..100", null, threshold, deadline, null, grace),
                r -> ProcessLiveness.isAlive(r.pid(), r.pidStart()));
    }

    /** Polls network.db until the computation ends or {@code within} passes. */
    ComputationRecord awaitEnd(String id, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            ComputationRecord r = cliDb.computation(id).orElseThrow();
            if (r.status().isFinal() || System.nanoTime() > end) {
                return r;
            }
            Thread.sleep(20);
        }
    }

    ComputationRecord awaitStatus(String id, ComputationRecord.Status status, Duration within)
            throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            ComputationRecord r = cliDb.computation(id).orElseThrow();
            if (r.status().ordinal() >= status.ordinal() || System.nanoTime() > end) {
                return r;
            }
            Thread.sleep(10);
        }
    }

    /** The oracle: each light node's own answer to {@code id}, read from its node.db. */
    Map<PartyId, Integer> answers(String id) {
        Map<PartyId, Integer> out = new HashMap<>();
        for (NodeRecord r : cliDb.nodes(Role.LIGHT)) {
            if (!Files.exists(home.nodeDb(r.uid()))) {
                continue;
            }
            try (LightStore s = LightStore.open(home, r.uid())) {
                s.entry(id).filter(e -> e.answer() != null).ifPresent(e -> out.put(r.uid(), e.answer()));
            }
        }
        return out;
    }

    static long sum(Map<PartyId, Integer> answers) {
        int s = 0;
        for (int a : answers.values()) {
            s += a;
        }
        return Integer.toUnsignedLong(s);
    }

    String log(String uid) throws IOException {
        Path p = home.nodeLog(PartyId.of(uid));
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Override
    public void close() {
        for (NodeHost h : hosts) {
            h.close();
        }
        hostDb.close();
        cliDb.close();
    }
}
