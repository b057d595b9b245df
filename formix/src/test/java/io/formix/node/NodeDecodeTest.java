package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingSchemes;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Why a node refuses a message before its protocol sees it; the reasons its log would carry. */
@Timeout(20)
class NodeDecodeTest {

    static final PartyId H1 = PartyId.of("heavy-1");
    static final PartyId LIGHT = PartyId.of("light-0001");

    @TempDir
    Path dir;

    private static String reason(Node node, PartyId from, byte[] payload) {
        return assertThrows(ProtocolException.class, () -> node.decode(new Message(from, 7, payload)))
                .getMessage();
    }

    @Test
    void refusesUnknownSendersForgedSendersAndBrokenEnvelopesWithAReason() throws Exception {
        try (TestNetwork n = new TestNetwork(dir, 3, 1, Approval.AUTO);
                NodeLog log = new NodeLog(dir.resolve("quiet.log"), Clock.systemUTC())) {
            HostServices services =
                    new HostServices(n.home, n.hostDb, new Registry(n.hostDb), Clock.systemUTC(), null, null);
            Node node = new LocalSendFailuresTest.PlainNode(log, null, services);
            byte[] one = ShareCodec.encode(SharingSchemes.additive(3).share(new int[] {1})[0]);
            PartyId mallory = PartyId.of("mallory");
            assertEquals(
                    "sender mallory is not a known node",
                    reason(
                            node,
                            mallory,
                            Envelope.of(MessageType.SHARE, mallory, H1, "c1", new Bodies.Share(one).toJson())
                                    .encode()));
            assertEquals(
                    "envelope claims sender heavy-2 but came from light-0001",
                    reason(
                            node,
                            LIGHT,
                            Envelope.of(
                                            MessageType.SHARE,
                                            PartyId.of("heavy-2"),
                                            H1,
                                            "c1",
                                            new Bodies.Share(one).toJson())
                                    .encode()));
            String version = reason(node, LIGHT, "{\"v\":2,\"type\":\"share\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(true, version.startsWith("unsupported protocol version 2"), version);
            String notJson = reason(node, LIGHT, "not json at all".getBytes(StandardCharsets.UTF_8));
            assertEquals(true, notJson.contains("not JSON"), notJson);
            Envelope ok = node.decode(new Message(
                    LIGHT,
                    8,
                    Envelope.of(MessageType.SHARE, LIGHT, H1, "c1", new Bodies.Share(one).toJson())
                            .encode()));
            assertEquals(MessageType.SHARE, ok.type());
            String malformed = assertThrows(
                            ProtocolException.class,
                            () -> Bodies.Share.parse(
                                    new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"share\":\"lots\"}")))
                    .getMessage();
            assertEquals(true, malformed.contains("'share'"), malformed);
        }
    }
}
