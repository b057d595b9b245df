package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.node.TransportFactory;
import io.formix.protocol.MessageLimits;
import io.formix.state.NodeRecord;
import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.ChannelNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node transport the CLI opens is bounded by the protocol ({@link MessageLimits}), not the
 * transport's 64 MiB default: a length header above the bound is quarantined before anything is
 * allocated.
 */
@Timeout(30)
class TransportBoundsTest {

    @TempDir
    Path home;

    static final NodeRecord HEAVY = new NodeRecord(
            1, PartyId.of("heavy-1"), NodeRecord.Role.HEAVY, NodeRecord.Approval.AUTO, 0, 0, 0, 0, 0, false);
    static final NodeRecord LIGHT = new NodeRecord(
            2, PartyId.of("light-0001"), NodeRecord.Role.LIGHT, NodeRecord.Approval.AUTO, 0, 0, 0, 0, 0, false);

    private Home main(String transport) {
        return new Home(home, null, () -> transport);
    }

    /** Writes message 0 of {@code from → to}: just an 8-byte header claiming {@code length} bytes, and its marker. */
    private void writeHeaderOnly(PartyId from, PartyId to, long length) throws Exception {
        Path ch = home.resolve("channels").resolve(ChannelNames.channel(from, to));
        Files.createDirectories(ch);
        byte[] header = new byte[FrameCodec.HEADER_BYTES];
        FrameCodec.putLength(length, header, 0);
        Files.write(ch.resolve("00000000.msg"), header);
        Files.write(ch.resolve("00000000.ready"), new byte[0]);
    }

    @Test
    void fileTransportsOfHeavyAndLightNodesRefuseAHeaderAboveTheProtocolBound() throws Exception {
        TransportFactory f = Transports.factory(main("file"), null, List.of(HEAVY, LIGHT));
        writeHeaderOnly(LIGHT.uid(), HEAVY.uid(), MessageLimits.MAX_TO_HEAVY + 1L);
        writeHeaderOnly(HEAVY.uid(), LIGHT.uid(), MessageLimits.MAX_TO_LIGHT + 1L);
        try (Transport heavy = f.open(HEAVY.uid());
                Transport light = f.open(LIGHT.uid())) {
            assertEquals(MessageLimits.MAX_TO_HEAVY, heavy.maxReceiveBytes());
            assertEquals(MessageLimits.MAX_TO_LIGHT, light.maxReceiveBytes());
            assertEquals(
                    MessageLimits.MAX_TO_HEAVY,
                    light.maxMessageBytes(),
                    "a light node sends what a heavy node accepts");
            CorruptMessageException h =
                    assertThrows(CorruptMessageException.class, () -> heavy.receiveAny(Duration.ofSeconds(5)));
            assertTrue(h.getMessage().contains("exceeds the maximum of " + MessageLimits.MAX_TO_HEAVY), h.getMessage());
            CorruptMessageException l =
                    assertThrows(CorruptMessageException.class, () -> light.receiveAny(Duration.ofSeconds(5)));
            assertTrue(l.getMessage().contains("exceeds the maximum of " + MessageLimits.MAX_TO_LIGHT), l.getMessage());
            // Moved aside, not kept: the channel goes on.
            assertFalse(Files.exists(home.resolve("channels/light-0001_to_heavy-1/00000000.msg")));
        }
    }

    @Test
    void tcpTransportsAreBoundedByTheProtocolToo() throws Exception {
        TransportFactory f = Transports.factory(main("tcp"), null, List.of(HEAVY, LIGHT));
        try (Transport heavy = f.open(HEAVY.uid());
                Transport light = f.open(LIGHT.uid())) {
            assertEquals(MessageLimits.MAX_TO_HEAVY, heavy.maxReceiveBytes());
            assertEquals(MessageLimits.MAX_TO_LIGHT, light.maxReceiveBytes());
            assertEquals(MessageLimits.MAX_TO_HEAVY, light.maxMessageBytes());
        }
    }
}
