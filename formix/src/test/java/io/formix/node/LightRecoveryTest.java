package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.state.LightStore;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A restarted host's light nodes pick up what they left unsent once they run. */
@Timeout(30)
class LightRecoveryTest {

    @TempDir
    Path dir;

    private static final PartyId LIGHT = PartyId.of("light-0001");

    @Test
    void aLightNodeSendsAfterARestartTheSharesItHadStoredButNotSent() throws Exception {
        try (TestNetwork net = new TestNetwork(dir, 3, 1, Approval.AUTO)) {
            List<byte[]> stored = List.of(new byte[] {1, 2, 3, 4}, new byte[] {5, 6, 7, 8}, new byte[] {9, 10, 11, 12});
            // Its last host answered c00000007 and stored the shares, then died before sending them.
            try (LightStore s = LightStore.open(net.home, LIGHT)) {
                assertTrue(s.receiveAnswered(
                        "c00000007",
                        "answer 0..100",
                        ResponseSchema.DEFAULT.toJsonText(),
                        "additive-3",
                        System.currentTimeMillis() + 60_000,
                        HeavyCoreTest.HEAVY,
                        42,
                        stored,
                        System.currentTimeMillis()));
            }
            List<Transport> heavy = new ArrayList<>();
            for (PartyId h : HeavyCoreTest.HEAVY) {
                heavy.add(net.memory.open(h));
            }
            net.start(List.of(net.node(LIGHT.value())));
            assertTrue(net.hostDb.node(LIGHT).orElseThrow().pid() != 0, "running as soon as start returns");
            for (int i = 0; i < 3; i++) {
                Message m = heavy.get(i).receive(LIGHT, Duration.ofSeconds(20)).orElseThrow();
                Envelope e = Envelope.decode(m.payload());
                assertEquals(MessageType.SHARE, e.type());
                assertEquals("c00000007", e.computation());
                assertArrayEquals(
                        stored.get(i),
                        java.util.Base64.getDecoder()
                                .decode(e.body().get("share").asText()),
                        "heavy node " + (i + 1));
            }
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (stateOf(net) != LightStore.State.SENT && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(LightStore.State.SENT, stateOf(net));
            for (Transport t : heavy) {
                t.close();
            }
        }
    }

    private static LightStore.State stateOf(TestNetwork net) {
        try (LightStore s = LightStore.open(net.home, LIGHT)) {
            return s.entry("c00000007").orElseThrow().state();
        }
    }
}
