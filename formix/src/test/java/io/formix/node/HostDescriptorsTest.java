package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.state.ResourceLimits;
import io.formix.transport.PartyId;
import io.formix.transport.file.FileTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One in-process host of 3 heavy and 500 light nodes over the file transport holds about one
 * descriptor per node (the transport's party lock) plus a constant: light nodes' databases are
 * open only while they work (at most {@code openLightStores}, 3 descriptors each) and their logs
 * are opened per line. Before, each light node held 5 (node.db, -wal, -shm, node.log, the lock):
 * about 2,500 for this host. And a computation with every light node answering still reveals the
 * right total.
 */
@Timeout(180)
class HostDescriptorsTest {

    private static final int LIGHT = 500;
    private static final int OPEN_STORES = 16;

    @TempDir
    Path dir;

    @Test
    void hostingManyLightNodesKeepsDescriptorsBounded() throws Exception {
        FormixHome home = FormixHome.of(dir);
        Path root = dir.resolve("channels");
        TransportFactory files = self -> FileTransport.builder(root, self)
                .stateDir(home.nodeDir(self).resolve("transport"))
                .open();
        NodeHost.Settings settings = new NodeHost.Settings(Duration.ofMillis(20), Duration.ofMillis(500), OPEN_STORES);
        try (NetworkDb hostDb = NetworkDb.open(home);
                NetworkDb cli = NetworkDb.open(home)) {
            cli.createNodes(Role.HEAVY, 3, Approval.AUTO, 1);
            cli.createNodes(Role.LIGHT, LIGHT, Approval.AUTO, 2);
            long before = ResourceLimits.openFiles();
            // Budget: 1 per node (the party lock), 3 per open light database, the file transport's
            // JVM-wide pool of 256 counter files, and a constant for the heavy nodes (their
            // databases and logs), the shared watcher and the JVM's own.
            long budget = (LIGHT + 3) + 3L * OPEN_STORES + 256 + 200;
            long peak;
            try (NodeHost host = NodeHost.start(home, hostDb, files, Clock.systemUTC(), cli.nodes(null), settings)) {
                assertEquals(LIGHT + 3, host.running().size());
                long started = ResourceLimits.openFiles() - before;
                assertTrue(started <= budget, "a started host holds " + started + " descriptors, budget " + budget);

                ComputationRecord c = Proposer.propose(
                        cli,
                        Clock.systemUTC(),
                        new Proposer.Request("answer 0..100", null, LIGHT, Duration.ofSeconds(120), null, null),
                        r -> ProcessLiveness.isAlive(r.pid(), r.pidStart()));
                ComputationRecord end = awaitEnd(cli, c.id(), Duration.ofSeconds(150));
                peak = ResourceLimits.openFiles() - before;
                assertEquals(ComputationRecord.Status.REVEALED, end.status(), String.valueOf(end.reason()));
                assertEquals(LIGHT, end.participants());
                assertEquals(sum(home, cli, c.id()), end.result());
            }
            assertTrue(peak <= budget, "after a computation the host holds " + peak + " descriptors, budget " + budget);
        }
    }

    private static ComputationRecord awaitEnd(NetworkDb net, String id, Duration within) throws InterruptedException {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            ComputationRecord r = net.computation(id).orElseThrow();
            if (r.status().isFinal() || System.nanoTime() > end) {
                return r;
            }
            Thread.sleep(50);
        }
    }

    /** The oracle: the sum of the light nodes' own answers, read from their node.db files. */
    private static long sum(FormixHome home, NetworkDb net, String id) {
        Map<PartyId, Integer> out = new HashMap<>();
        for (NodeRecord r : net.nodes(Role.LIGHT)) {
            if (Files.exists(home.nodeDb(r.uid()))) {
                try (LightStore s = LightStore.open(home, r.uid())) {
                    s.entry(id).filter(e -> e.answer() != null).ifPresent(e -> out.put(r.uid(), e.answer()));
                }
            }
        }
        assertEquals(LIGHT, out.size(), "every light node answered");
        return TestNetwork.sum(out);
    }
}
