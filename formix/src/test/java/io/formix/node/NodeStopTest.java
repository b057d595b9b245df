package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code node stop} of some of a host's nodes (requested through {@code network.db}) runs off the
 * ticker: while a stopping node's receiver is still blocked in its receive poll, heavy node 1 keeps
 * ticking and picks up a new computation. Before, the ticker itself waited for each receiver in
 * turn (up to the 2 s poll each), and the heavy nodes' deadlines waited with it.
 */
@Timeout(60)
class NodeStopTest {

    @TempDir
    Path dir;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void theTickerKeepsTickingWhileAStopIsInProgress() throws Exception {
        FormixHome home = FormixHome.of(dir);
        // A receive poll far longer than the test: a stopping receiver stays blocked unless a message comes.
        NodeHost.Settings slowPoll = new NodeHost.Settings(Duration.ofMillis(20), Duration.ofSeconds(30));
        PartyId stopping = PartyId.of("light-0001");
        try (NetworkDb hostDb = NetworkDb.open(home);
                NetworkDb cli = NetworkDb.open(home)) {
            cli.createNodes(Role.HEAVY, 3, Approval.AUTO, 0);
            // One light node, the one stopped: heavy nodes poll 100 ms, so closing the host is quick.
            cli.createNodes(Role.LIGHT, 1, Approval.AUTO, 0);
            try (NodeHost host = NodeHost.start(
                    home, hostDb, new InMemoryNetwork()::open, Clock.systemUTC(), hostDb.nodes(null), slowPoll)) {
                cli.requestStop(List.of(stopping));
                await("the host takes up the stop", () -> !host.running().contains(stopping));
                // The stop is in progress: its receiver is still in its 30 s poll, the node not yet recorded stopped.
                assertNotEquals(0, cli.node(stopping).orElseThrow().pid());
                assertFalse(host.isEmpty(), "a host with a stop in progress is not empty");

                String id = Proposer.propose(
                                cli,
                                Clock.systemUTC(),
                                new Proposer.Request("q", null, 1, Duration.ofSeconds(20), null, Duration.ofSeconds(1)),
                                r -> true)
                        .id();
                await(
                        "heavy-1's tick broadcasts the computation",
                        () -> cli.computation(id).orElseThrow().status() != ComputationRecord.Status.PROPOSED);
                // The broadcast reached the stopping node too, which ends its receiver: the stop completes.
                await(
                        "the stop is recorded",
                        () -> cli.node(stopping).orElseThrow().pid() == 0);
                assertEquals(3, host.running().size());
                assertNotEquals(0, cli.node(PartyId.of("heavy-2")).orElseThrow().pid());
            }
        }
    }
}
