package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.HeavyStore;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.InMemoryTransport;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected by a scripted party: duplicate shares, shares after the close, senders that are
 * not nodes, malformed bodies and envelopes.
 */
@Timeout(60)
class ProtocolFaultsTest {

    private static final PartyId H1 = PartyId.of("heavy-1");
    private static final List<PartyId> HEAVY = List.of(H1, PartyId.of("heavy-2"), PartyId.of("heavy-3"));
    private static final PartyId FAKE = PartyId.of("light-0004");

    @TempDir
    Path dir;

    @Test
    void duplicateSharesCountOnceAndLateSharesAreIgnoredAndCounted() throws Exception {
        // light-0005 stays down, so the heavy nodes close at the deadline, after the duplicates.
        try (TestNetwork n = new TestNetwork(dir, 3, 5, Approval.AUTO)) {
            n.startExcept(FAKE.value(), "light-0005");
            InMemoryTransport fake = n.memory.open(FAKE);
            ComputationRecord c = n.propose(Duration.ofMillis(2500), 4, Duration.ofSeconds(2));
            assertTrue(fake.receive(H1, Duration.ofSeconds(10)).isPresent(), "the fake light got the broadcast");

            VectorShare[] shares = SharingSchemes.additive(3).share(new int[] {7});
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 3; i++) {
                    fake.send(HEAVY.get(i), share(c.id(), HEAVY.get(i), ShareCodec.encode(shares[i])));
                }
            }
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(15));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            assertEquals(4, end.participants());
            assertEquals(0, end.late());
            assertEquals(
                    Integer.toUnsignedLong((int) TestNetwork.sum(n.answers(c.id())) + 7),
                    end.result(),
                    "the fake's 7 counted exactly once");
            for (int i = 0; i < 3; i++) {
                try (HeavyStore s = HeavyStore.open(n.home, HEAVY.get(i))) {
                    assertArrayEquals(
                            ShareCodec.encode(shares[i]), s.shares(c.id()).get(FAKE), "stored once, as sent");
                }
            }

            fake.send(
                    H1,
                    share(
                            c.id(),
                            H1,
                            ShareCodec.encode(SharingSchemes.additive(3).share(new int[] {5})[0])));
            long until = System.nanoTime() + 10_000_000_000L;
            int late = 0;
            while (late == 0 && System.nanoTime() < until) {
                try (HeavyStore s = HeavyStore.open(n.home, H1)) {
                    late = s.lateCount(c.id());
                    assertEquals(4, s.shareHolders(c.id()).size(), "the late share is not stored");
                }
                Thread.sleep(20); // polling another process's database: no event to wait on
            }
            assertEquals(1, late, "the share after the close is counted as late");
        }
    }

    @Test
    void messagesFromUnknownNodesOrWithMalformedBodiesAreRejectedWithAReason() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 4, Approval.AUTO)) {
            n.startExcept(FAKE.value());
            InMemoryTransport fake = n.memory.open(FAKE);
            InMemoryTransport mallory = n.memory.open(PartyId.of("mallory"));
            ComputationRecord c = n.propose(Duration.ofSeconds(20), 3, Duration.ofSeconds(2));
            assertTrue(fake.receive(H1, Duration.ofSeconds(10)).isPresent());

            // Each reason is asserted where it is decided (NodeDecodeTest, EnvelopeTest, HeavyCoreTest);
            // here: none of it stops the node or counts.
            byte[] one = ShareCodec.encode(SharingSchemes.additive(3).share(new int[] {1})[0]);
            byte[] fromMallory = Envelope.of(
                            MessageType.SHARE, PartyId.of("mallory"), H1, c.id(), new Bodies.Share(one).toJson())
                    .encode();
            mallory.send(H1, fromMallory);
            fake.send(
                    H1,
                    ("{\"v\":1,\"type\":\"share\",\"id\":\"x\",\"from\":\"light-0004\",\"to\":\"heavy-1\","
                                    + "\"computation\":\"" + c.id() + "\",\"body\":{\"share\":\"lots\"}}")
                            .getBytes(StandardCharsets.UTF_8));
            fake.send(H1, ("{\"v\":2,\"type\":\"share\"}").getBytes(StandardCharsets.UTF_8));
            fake.send(H1, "not json at all".getBytes(StandardCharsets.UTF_8));
            fake.send(
                    H1,
                    Envelope.of(MessageType.SHARE, PartyId.of("heavy-2"), H1, c.id(), new Bodies.Share(one).toJson())
                            .encode());

            // None of it counted: the three real lights are all there is.
            fake.send(
                    H1,
                    Envelope.of(MessageType.DECLINE, FAKE, H1, c.id(), new Bodies.Decline("no").toJson())
                            .encode());
            for (PartyId h : HEAVY.subList(1, 3)) {
                fake.send(
                        h,
                        Envelope.of(MessageType.DECLINE, FAKE, h, c.id(), new Bodies.Decline("no").toJson())
                                .encode());
            }
            ComputationRecord end = n.awaitEnd(c.id(), Duration.ofSeconds(15));
            assertEquals(Status.REVEALED, end.status(), () -> "reason: " + end.reason());
            assertEquals(3, end.participants());
            assertEquals(TestNetwork.sum(n.answers(c.id())), end.result());
            try (HeavyStore s = HeavyStore.open(n.home, H1)) {
                assertTrue(
                        !s.shareHolders(c.id()).contains(FAKE)
                                && !s.shareHolders(c.id()).contains(PartyId.of("mallory")),
                        "no rejected share was stored");
            }
        }
    }

    private static byte[] share(String id, PartyId to, byte[] encoded) {
        return Envelope.of(MessageType.SHARE, FAKE, to, id, new Bodies.Share(encoded).toJson())
                .encode();
    }
}
