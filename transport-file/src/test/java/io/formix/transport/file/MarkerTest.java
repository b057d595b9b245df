package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Non-empty completion markers ({@code <size> <sha256>\n}) in the default layout: its writer keeps
 * writing empty markers (sbproxy compatibility) and its reader accepts both; a non-empty marker is
 * checked against its message.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MarkerTest extends JimfsChannelFixture {

    static final Duration SHORT = Duration.ofMillis(150);
    final TestFiles.MutableClock clock = new TestFiles.MutableClock();

    FileTransport receiver() throws Exception {
        return open(FileTransport.builder(root, B)
                .maxMessageBytes(1024)
                .clock(clock)
                .stableWindow(Duration.ofSeconds(30))
                .rescanInterval(Duration.ofMillis(30)));
    }

    static byte[] marker(byte[] payload) {
        return Markers.of(FrameCodec.header(payload.length), payload);
    }

    @Test
    void theDefaultWriterStillWritesEmptyMarkers() throws Exception {
        FileTransport a = open(FileTransport.builder(root, A));
        a.send(B, "x".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, Files.size(ab.resolve("00000000.ready")));
    }

    @Test
    void aMatchingNonEmptyMarkerIsAcceptedAndAnEmptyOneStillIs() throws Exception {
        byte[] p0 = "zero".getBytes(StandardCharsets.UTF_8);
        byte[] p1 = "one".getBytes(StandardCharsets.UTF_8);
        TestFiles.writeMsg(ab, 0, p0);
        Files.write(ab.resolve("00000000.ready"), marker(p0));
        TestFiles.writeMsg(ab, 1, p1);
        TestFiles.writeReady(ab, 1);
        FileTransport b = receiver();
        Message m0 = b.receive(A, WAIT).orElseThrow();
        Message m1 = b.receive(A, WAIT).orElseThrow();
        assertArrayEquals(p0, m0.payload());
        assertArrayEquals(p1, m1.payload());
    }

    @Test
    void aMarkerWhoseHashDoesNotMatchQuarantinesTheMessage() throws Exception {
        byte[] p0 = "zero".getBytes(StandardCharsets.UTF_8);
        TestFiles.writeMsg(ab, 0, "ZERO".getBytes(StandardCharsets.UTF_8)); // same length, other bytes
        Files.write(ab.resolve("00000000.ready"), marker(p0));
        byte[] p1 = "one".getBytes(StandardCharsets.UTF_8);
        TestFiles.writeMsg(ab, 1, p1);
        Files.write(ab.resolve("00000001.ready"), marker(p1));
        FileTransport b = receiver();
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertEquals(0, e.sequence());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertEquals(1, b.stats().quarantined());
        assertArrayEquals(p1, b.receive(A, WAIT).orElseThrow().payload(), "the channel goes on");
    }

    @Test
    void aMessageShorterThanItsMarkerSaysIsWaitedFor() throws Exception {
        byte[] p0 = "zero".getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(ab);
        Files.write(ab.resolve("00000000.ready"), marker(p0));
        Files.write(ab.resolve("00000000.msg"), FrameCodec.header(4));
        FileTransport b = receiver();
        assertTrue(b.receive(A, SHORT).isEmpty());
        TestFiles.writeMsg(ab, 0, p0);
        assertArrayEquals(p0, b.receive(A, WAIT).orElseThrow().payload());
    }

    @Test
    void markerLinesAreParsedStrictly() {
        byte[] good = marker("abc".getBytes(StandardCharsets.UTF_8));
        Markers.Marker m = Markers.parse(good, good.length);
        assertNotNull(m);
        assertEquals(11, m.size());
        assertNull(Markers.parse(good, good.length - 1), "no newline");
        byte[] upper = new String(good, StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII);
        assertNull(Markers.parse(upper, upper.length));
        byte[] junk = "12 xyz\n".getBytes(StandardCharsets.US_ASCII);
        assertNull(Markers.parse(junk, junk.length));
    }
}
