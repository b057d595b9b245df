package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A host whose light nodes share its receiver threads, over endpoints that signal arrivals. */
class SharedReceiversHostTest {

    @TempDir
    Path dir;

    private static List<String> nodeThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> n.startsWith("node-light"))
                .toList();
    }

    @Test
    @Timeout(300)
    void fiveHundredLightNodesAnswerWithAFixedNumberOfThreads() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 500, Approval.AUTO)) {
            int before = Thread.activeCount();
            NodeHost host = n.startShared(n.cliDb.nodes(null));
            assertEquals(503, host.running().size());
            ComputationRecord c = n.propose(Duration.ofSeconds(120), 500, null);
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(200));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            Map<PartyId, Integer> answers = n.answers(c.id());
            assertEquals(500, answers.size());
            assertEquals(500, end.participants());
            assertEquals(TestNetwork.sum(answers), end.result());
            // Heavy nodes: a receiver and a mailbox each; light nodes: none of their own. The pools
            // (shared receivers, light ticks, senders, stoppers, ticker, watcher) are fixed.
            int grown = Thread.activeCount() - before;
            assertTrue(grown < 80, "the host added " + grown + " threads for 503 nodes");
            assertEquals(List.of(), nodeThreads(), "no light node has a thread of its own");
        }
    }

    @Test
    @Timeout(60)
    void aSharedLightNodeStopsAloneAndItsHostCarriesOn() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            NodeHost host = n.startShared(n.cliDb.nodes(null));
            host.stop(PartyId.of("light-0004"));
            assertFalse(host.running().contains(PartyId.of("light-0004")));
            assertEquals(0, n.node("light-0004").pid(), "recorded stopped");
            ComputationRecord c = n.propose(Duration.ofMillis(2500), 9, Duration.ofSeconds(2));
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(30));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            assertEquals(9, end.participants());
            assertEquals(TestNetwork.sum(n.answers(c.id())), end.result());
            // Started again in a host of its own, it reads what waited for it (the announcement).
            n.startShared(List.of(n.node("light-0004")));
            assertTrue(n.log("light-0004").contains("node light-0004 started"), n.log("light-0004"));
        }
    }
}
