package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import io.formix.transport.file.FileTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lone far-ahead message in a node's inbound channel (someone wrote ahead, or the sender lost its
 * state) is published for {@code node show} once the transport reports the stall, and withdrawn
 * when the channel moves again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChannelHealthTest {

    static final PartyId LIGHT = PartyId.of("light-0002");
    static final PartyId HEAVY = PartyId.of("heavy-1");
    static final Duration WINDOW = Duration.ofMinutes(2);
    static final Duration SHORT = Duration.ofMillis(50);

    @TempDir
    Path tmp;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-12-04T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aFarAheadMessageIsPublishedAsAStallAndWithdrawnWhenTheChannelMoves() throws Exception {
        Path root = tmp.resolve("data");
        Path nodeDir = Files.createDirectories(tmp.resolve("home/nodes/heavy-1"));
        Path lightState = tmp.resolve("home/nodes/light-0002/transport");
        ManualClock clock = new ManualClock();
        ChannelHealth health = new ChannelHealth();
        try (NodeLog log = new NodeLog(nodeDir.resolve("node.log"), clock);
                FileTransport heavy = FileTransport.builder(root, HEAVY)
                        .clock(clock)
                        .stableWindow(WINDOW)
                        .stateDir(nodeDir.resolve("transport"))
                        .open()) {
            try (FileTransport light =
                    FileTransport.builder(root, LIGHT).stateDir(lightState).open()) {
                for (int i = 0; i < 3; i++) {
                    light.send(HEAVY, new byte[] {(byte) i});
                    assertEquals(
                            i,
                            heavy.receive(LIGHT, Duration.ofSeconds(10))
                                    .orElseThrow()
                                    .sequence());
                }
            }
            // Someone writes a well-formed message far ahead while the light node is down.
            Path channel = root.resolve("light-0002_to_heavy-1");
            byte[] payload = {1, 2, 3};
            Files.write(channel.resolve("00000050.msg"), concat(FrameCodec.header(payload.length), payload));
            clock.now = clock.now.plusSeconds(1); // the marker's event lists the folder (at most once a second)
            Files.createFile(channel.resolve("00000050.ready"));
            assertTrue(heavy.receiveAny(SHORT).isEmpty());
            health.check(heavy, log, nodeDir);
            assertEquals(List.of(), ChannelHealth.read(nodeDir), "a fresh gap may be a sync engine's reordering");

            // The marker's event reaches the receiver asynchronously: look until the listing it
            // triggers has noted the gap and the window has passed (the clock moves only here).
            List<Map<String, Object>> stalls = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (stalls.isEmpty() && System.nanoTime() < deadline) {
                assertTrue(heavy.receiveAny(SHORT).isEmpty());
                clock.now = clock.now.plus(WINDOW).plusMillis(1);
                health.check(heavy, log, nodeDir);
                stalls = ChannelHealth.read(nodeDir);
            }
            assertEquals(1, stalls.size(), "reported without a full rescan of the root");
            assertEquals("light-0002", stalls.get(0).get("from"));
            assertEquals(3, ((Number) stalls.get(0).get("waitingFor")).intValue());
            assertEquals(50, ((Number) stalls.get(0).get("lowestAhead")).intValue());

            // The light node restarts and numbers from its own record, not from the planted file.
            try (FileTransport light =
                    FileTransport.builder(root, LIGHT).stateDir(lightState).open()) {
                light.send(HEAVY, new byte[] {3});
            }
            assertEquals(
                    3,
                    heavy.receive(LIGHT, Duration.ofSeconds(10)).orElseThrow().sequence());
            health.check(heavy, log, nodeDir);
            assertEquals(List.of(), ChannelHealth.read(nodeDir));
            assertFalse(Files.exists(nodeDir.resolve(ChannelHealth.FILE)), "withdrawn once the channel moves");
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
