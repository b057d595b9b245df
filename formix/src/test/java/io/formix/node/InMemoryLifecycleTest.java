package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole lifecycle, 3 heavy + 10 light nodes in one JVM, checked against the plaintext oracle. */
@Timeout(60)
class InMemoryLifecycleTest {

    @TempDir
    Path dir;

    @Test
    void revealsTheSumOfTheLightNodesOwnAnswersAndClosesEarly() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            n.startAll();
            long t0 = System.nanoTime();
            ComputationRecord c = n.propose(Duration.ofSeconds(30), 10, null);
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(20));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            Map<PartyId, Integer> answers = n.answers(c.id());
            assertEquals(10, answers.size());
            assertEquals(TestNetwork.sum(answers), end.result());
            assertEquals(10, end.participants());
            assertEquals(10, end.invited());
            assertTrue(ms < 20_000, "closed early, not at the 30 s deadline: " + ms + " ms");
        }
    }

    @Test
    void aLightNodeDownIsLeftOutAtTheDeadline() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            n.startExcept("light-0004");
            ComputationRecord c = n.propose(Duration.ofMillis(1500), 3, Duration.ofSeconds(2));
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(20));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            Map<PartyId, Integer> answers = n.answers(c.id());
            assertEquals(9, answers.size());
            assertEquals(9, end.participants());
            assertEquals(TestNetwork.sum(answers), end.result());
        }
    }

    @Test
    void belowTheThresholdNothingIsRevealed() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            n.startExcept("light-0001", "light-0002");
            ComputationRecord c = n.propose(Duration.ofMillis(1000), 9, Duration.ofSeconds(2));
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(20));
            assertEquals(Status.FAILED, end.status());
            assertEquals(-1, end.result());
            assertTrue(end.reason().contains("threshold not met"), end.reason());
            assertTrue(end.reason().contains("only 8 of 10"), end.reason());
        }
    }

    @Test
    void aHeavyNodeDownAtProposalIsRefused() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            n.startExcept("heavy-2");
            ProposalException e =
                    assertThrows(ProposalException.class, () -> n.propose(Duration.ofSeconds(5), 3, null));
            assertTrue(e.getMessage().contains("heavy node heavy-2 is not running"), e.getMessage());
            assertTrue(n.cliDb.computations().isEmpty(), "nothing recorded");
        }
    }

    @Test
    void aHeavyNodeKilledWhileCollectingFailsTheComputationAfterTheGrace() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            NodeHost host = n.startExcept("light-0010"); // one light missing: no early close
            ComputationRecord c = n.propose(Duration.ofMillis(1500), 3, Duration.ofMillis(1000));
            n.awaitStatus(c.id(), Status.COLLECTING, Duration.ofSeconds(10));
            host.stop(PartyId.of("heavy-3"));
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(20));
            assertEquals(Status.FAILED, end.status());
            assertTrue(end.reason().contains("heavy-3"), end.reason());
            assertTrue(end.reason().contains("did not report"), end.reason());
        }
    }

    @Test
    void aRestartedHeavyNodeCarriesOnWithoutLosingOrDoubleCountingAShare() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            NodeHost host = n.startAll();
            host.stop(PartyId.of("heavy-2"));
            // Proposal needs heavy-2 running: bring it up, then take it down mid-computation.
            NodeHost h2 = n.start(java.util.List.of(n.node("heavy-2")));
            ComputationRecord c = n.propose(Duration.ofSeconds(4), 10, Duration.ofSeconds(2));
            n.awaitStatus(c.id(), Status.COLLECTING, Duration.ofSeconds(10));
            h2.close();
            n.start(java.util.List.of(n.node("heavy-2")));
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(20));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            Map<PartyId, Integer> answers = n.answers(c.id());
            assertEquals(10, end.participants());
            assertEquals(TestNetwork.sum(answers), end.result());
        }
    }

    @Test
    void aRestartedHeavyNode1CarriesOnFromItsNodeDb() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 10, Approval.AUTO)) {
            n.startExcept("heavy-1", "light-0010"); // light-0010 down: the close waits for the deadline
            NodeHost h1 = n.start(java.util.List.of(n.node("heavy-1")));
            ComputationRecord c = n.propose(Duration.ofSeconds(3), 9, Duration.ofSeconds(2));
            n.awaitStatus(c.id(), Status.COLLECTING, Duration.ofSeconds(10));
            h1.close();
            n.start(java.util.List.of(n.node("heavy-1")));
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(20));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            assertEquals(9, end.participants());
            assertEquals(TestNetwork.sum(n.answers(c.id())), end.result());
        }
    }

    @Test
    void aLightNodeThatCrashedBetweenAnsweringAndSendingResendsTheSameSharesAfterItsRestart() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 3, Approval.MANUAL)) {
            n.startExcept("light-0002");
            NodeHost second = n.start(java.util.List.of(n.node("light-0002")));
            ComputationRecord c = n.propose(Duration.ofSeconds(8), 3, Duration.ofSeconds(2));
            for (String uid : new String[] {"light-0001", "light-0002", "light-0003"}) {
                awaitPending(n, uid, c.id());
            }
            second.close(); // light-0002 goes down with the computation pending
            java.util.List<byte[]> shares = new java.util.ArrayList<>();
            for (io.formix.mpc.VectorShare v :
                    io.formix.mpc.SharingSchemes.additive(3).share(new int[] {42})) {
                shares.add(io.formix.mpc.ShareCodec.encode(v));
            }
            try (io.formix.state.LightStore s = io.formix.state.LightStore.open(n.home, PartyId.of("light-0002"))) {
                // What a crash right after persisting the answer, before any send, leaves behind.
                assertTrue(s.decide(c.id(), true, null));
                assertTrue(s.answer(c.id(), 42, shares, System.currentTimeMillis()));
            }
            for (String uid : new String[] {"light-0001", "light-0003"}) {
                try (io.formix.state.LightStore s = io.formix.state.LightStore.open(n.home, PartyId.of(uid))) {
                    assertTrue(s.decide(c.id(), true, null), "the owner approves");
                }
            }
            n.start(java.util.List.of(n.node("light-0002"))); // resumes: sends the stored shares
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(20));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            Map<PartyId, Integer> answers = n.answers(c.id());
            assertEquals(42, answers.get(PartyId.of("light-0002")));
            assertEquals(TestNetwork.sum(answers), end.result());
            assertEquals(3, end.participants());
        }
    }

    private static void awaitPending(TestNetwork n, String uid, String id) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            try (io.formix.state.LightStore s = io.formix.state.LightStore.open(n.home, PartyId.of(uid))) {
                if (s.entry(id).isPresent()) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(uid + " never received " + id);
    }
}
