package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.node.TransportFactory;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageLimits;
import io.formix.protocol.MessageType;
import io.formix.registry.RegistryKeys;
import io.formix.registry.RegistrySync;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.ChannelNames;
import io.formix.transport.seal.NetworkId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transports the CLI gives its nodes: sealed and signed, bounded by the protocol plus the
 * sealing overhead, shares and declines one size on the wire, and a plaintext message in a channel
 * refused with a logged reason instead of reaching the node.
 */
@Timeout(60)
class SealedTransportsTest {

    @TempDir
    Path home;

    private static final PartyId HEAVY = PartyId.of("heavy-1");
    private static final PartyId LIGHT = PartyId.of("light-0001");

    private TransportFactory factory(NetworkDb net) throws Exception {
        FormixHome fh = FormixHome.of(home);
        RegistrySync.Result r = RegistrySync.sync(fh, net);
        RegistryKeys keys = new RegistryKeys();
        keys.refresh(net, r.network());
        assertEquals(2, keys.size());
        return Transports.factory(
                Home.of(home),
                net,
                net.nodes(null),
                new Transports.Sealing(NetworkId.fromHex(net.pin().orElseThrow().networkId()), keys, fh));
    }

    private Path channel(PartyId from, PartyId to) {
        return home.resolve("channels").resolve(ChannelNames.channel(from, to));
    }

    @Test
    void sealedEndpointsCarryTheLargestProtocolMessageAndPadSharesAndDeclinesAlike() throws Exception {
        NodeService nodes = new NodeService(Home.of(home), Clock.systemUTC(), Pause.REAL, line -> {});
        assertEquals(1, nodes.create("heavy", 1, "auto").size());
        assertEquals(1, nodes.create("light", 1, "auto").size());
        try (NetworkDb net = NetworkDb.open(FormixHome.of(home))) {
            TransportFactory f = factory(net);
            List<String> heavyLog = new CopyOnWriteArrayList<>();
            try (Transport heavy = f.open(HEAVY, heavyLog::add);
                    Transport light = f.open(LIGHT, text -> {})) {
                assertTrue(light.maxReceiveBytes() >= MessageLimits.MAX_TO_LIGHT, light.maxReceiveBytes() + "");
                assertTrue(light.maxMessageBytes() >= MessageLimits.MAX_TO_HEAVY, light.maxMessageBytes() + "");
                assertTrue(heavy.maxMessageBytes() >= MessageLimits.MAX_TO_HEAVY, heavy.maxMessageBytes() + "");

                byte[] largest = new byte[MessageLimits.MAX_TO_LIGHT];
                java.util.Arrays.fill(largest, (byte) 'x');
                heavy.send(LIGHT, largest);
                Optional<Message> got = light.receiveAny(Duration.ofSeconds(10));
                assertArrayEquals(largest, got.orElseThrow().payload());

                light.send(
                        HEAVY,
                        Envelope.of(
                                        MessageType.SHARE,
                                        LIGHT,
                                        HEAVY,
                                        "c00000001",
                                        new Bodies.Share(io.formix.mpc.ShareCodec.encode(
                                                        io.formix.mpc.SharingSchemes.additive(3)
                                                                .share(new int[] {-1})[0]))
                                                .toJson())
                                .encode());
                light.send(
                        HEAVY,
                        Envelope.of(
                                        MessageType.DECLINE,
                                        LIGHT,
                                        HEAVY,
                                        "c00000001",
                                        new Bodies.Decline("no integer in 0..100 satisfies the schema").toJson())
                                .encode());
                long share = Files.size(channel(LIGHT, HEAVY).resolve("00000000.msg"));
                long decline = Files.size(channel(LIGHT, HEAVY).resolve("00000001.msg"));
                assertEquals(share, decline, "a share and a decline are one size on the wire");
                String onDisk = new String(
                        Files.readAllBytes(channel(LIGHT, HEAVY).resolve("00000000.msg")), StandardCharsets.ISO_8859_1);
                assertTrue(!onDisk.contains("share") && !onDisk.contains("4294967295"), "sealed, not plaintext");
                List<String> types = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    types.add(Envelope.decode(heavy.receiveAny(Duration.ofSeconds(10))
                                    .orElseThrow()
                                    .payload())
                            .type()
                            .wire());
                }
                assertEquals(List.of("share", "decline"), types);

                // A plaintext message planted in the channel is refused and logged, never delivered.
                String plain = "{\"v\":1,\"type\":\"share\",\"id\":\"x\",\"from\":\"light-0001\",\"to\":\"heavy-1\","
                        + "\"computation\":\"c00000001\",\"body\":{\"share\":7}}";
                byte[] payload = plain.getBytes(StandardCharsets.UTF_8);
                byte[] frame = new byte[FrameCodec.HEADER_BYTES + payload.length];
                FrameCodec.putLength(payload.length, frame, 0);
                System.arraycopy(payload, 0, frame, FrameCodec.HEADER_BYTES, payload.length);
                Files.write(channel(LIGHT, HEAVY).resolve("00000002.msg"), frame);
                Files.write(channel(LIGHT, HEAVY).resolve("00000002.ready"), new byte[0]);
                assertTrue(heavy.receiveAny(Duration.ofSeconds(2)).isEmpty(), "nothing reaches the node");
                assertEquals(1, heavyLog.size(), heavyLog.toString());
                assertTrue(
                        heavyLog.get(0)
                                .startsWith("rejected message #2 from light-0001 on channel "
                                        + "light-0001_to_heavy-1 (" + payload.length + " bytes) at step PARSE"),
                        heavyLog.get(0));
                assertTrue(!heavyLog.get(0).contains("\"share\""), "never the content: " + heavyLog.get(0));
            }
        }
    }

    @Test
    void aResultFitsTheLightNodesBound() throws Exception {
        List<PartyId> heavy =
                List.of(PartyId.of("h".repeat(63)), PartyId.of("i".repeat(63)), PartyId.of("j".repeat(63)));
        String reason = "\u0001".repeat(4096);
        byte[] result = Envelope.of(
                        MessageType.RESULT,
                        heavy.get(0),
                        PartyId.of("l".repeat(63)),
                        "c".repeat(63),
                        new Bodies.Result(
                                        "failed",
                                        -1,
                                        Bodies.MAX_LIGHTS,
                                        Bodies.MAX_LIGHTS,
                                        Bodies.MAX_LIGHTS,
                                        Integer.MAX_VALUE,
                                        reason,
                                        io.formix.protocol.ResponseSchema.DEFAULT,
                                        Bodies.MAX_LIGHTS,
                                        Long.MAX_VALUE,
                                        3_600_000,
                                        heavy,
                                        Long.MAX_VALUE,
                                        Long.MAX_VALUE)
                                .toJson())
                .encode();
        assertTrue(result.length <= MessageLimits.MAX_TO_LIGHT, result.length + " bytes");
    }
}
