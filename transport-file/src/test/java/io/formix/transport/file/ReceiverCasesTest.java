package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.names;
import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the receiver does with every state a channel folder can be in: marker first, missing
 * marker, out of order, corrupt lengths, foreign names. Files are written by hand, as a sync
 * engine or another implementation would leave them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReceiverCasesTest extends JimfsChannelFixture {

    static final Duration SHORT = Duration.ofMillis(150);

    final TestFiles.MutableClock clock = new TestFiles.MutableClock();

    FileTransport receiver() throws IOException {
        return open(FileTransport.builder(root, B)
                .maxMessageBytes(1024)
                .clock(clock)
                .stableWindow(Duration.ofSeconds(30))
                .rescanInterval(Duration.ofMillis(30)));
    }

    @Test
    void markerBeforeMessageWaitsForTheCompleteMessage() throws Exception {
        FileTransport b = receiver();
        TestFiles.writeReady(ab, 0);
        assertTrue(b.receive(A, SHORT).isEmpty(), "marker without .msg");
        byte[] full = FrameCodec.encode(numbered(5, 100));
        TestFiles.writeRaw(ab, 0, Arrays.copyOf(full, 4));
        assertTrue(b.receive(A, SHORT).isEmpty(), "half a length prefix");
        TestFiles.writeRaw(ab, 0, Arrays.copyOf(full, 60));
        assertTrue(b.receive(A, SHORT).isEmpty(), "payload short");
        TestFiles.writeRaw(ab, 0, full);
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(0, m.sequence());
        assertEquals(5, number(m.payload()));
        assertEquals(100, m.payload().length);
        assertEquals(0, b.stats().quarantined());
    }

    @Test
    void completeMessageWithoutMarkerIsNotDelivered() throws Exception {
        FileTransport b = receiver();
        TestFiles.writeMsg(ab, 0, numbered(1, 8));
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertTrue(b.receiveAny(SHORT).isEmpty());
        TestFiles.writeReady(ab, 0);
        assertEquals(1, number(b.receive(A, WAIT).orElseThrow().payload()));
    }

    @Test
    void laterMessageIsHeldUntilTheEarlierArrives() throws Exception {
        FileTransport b = receiver();
        TestFiles.writeMsg(ab, 1, numbered(11, 8));
        TestFiles.writeReady(ab, 1);
        TestFiles.writeMsg(ab, 2, numbered(12, 8));
        TestFiles.writeReady(ab, 2);
        assertTrue(b.receive(A, SHORT).isEmpty(), "1 and 2 wait for 0");
        assertTrue(b.receiveAny(SHORT).isEmpty());
        TestFiles.writeMsg(ab, 0, numbered(10, 8));
        TestFiles.writeReady(ab, 0);
        for (int i = 0; i < 3; i++) {
            Message m = b.receive(A, WAIT).orElseThrow();
            assertEquals(i, m.sequence());
            assertEquals(10 + i, number(m.payload()));
        }
    }

    @Test
    void negativeLengthIsQuarantinedAndTheChannelContinues() throws Exception {
        TestFiles.writeRaw(ab, 0, FrameCodec.header(-5));
        TestFiles.writeReady(ab, 0);
        TestFiles.writeMsg(ab, 1, numbered(1, 8));
        TestFiles.writeReady(ab, 1);
        FileTransport b = receiver();
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertEquals(A, e.from());
        assertEquals(0, e.sequence());
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        assertQuarantined(0, FrameCodec.header(-5));
        assertEquals(1, number(b.receive(A, WAIT).orElseThrow().payload()));
        assertEquals(1, b.stats().quarantined());
    }

    @Test
    void lengthAboveTheMaximumIsQuarantinedWithoutAllocating() throws Exception {
        // 2^40 bytes announced: allocating it would be an OutOfMemoryError.
        byte[] huge = FrameCodec.header(1L << 40);
        TestFiles.writeRaw(ab, 0, huge);
        TestFiles.writeReady(ab, 0);
        byte[] justOver = FrameCodec.encode(new byte[1025]);
        TestFiles.writeRaw(ab, 1, justOver);
        TestFiles.writeReady(ab, 1);
        TestFiles.writeMsg(ab, 2, numbered(2, 1024));
        TestFiles.writeReady(ab, 2);
        FileTransport b = receiver();
        assertEquals(
                0,
                assertThrows(CorruptMessageException.class, () -> b.receiveAny(WAIT))
                        .sequence());
        assertEquals(
                1,
                assertThrows(CorruptMessageException.class, () -> b.receiveAny(WAIT))
                        .sequence());
        Message m = b.receiveAny(WAIT).orElseThrow();
        assertEquals(2, m.sequence());
        assertEquals(1024, m.payload().length);
        assertQuarantined(0, huge);
        assertQuarantined(1, justOver);
        assertEquals(2, b.stats().quarantined());
    }

    @Test
    void messageLongerThanItsLengthWithMarkerIsCorruptAtOnce() throws Exception {
        byte[] frame = FrameCodec.encode(numbered(0, 10));
        byte[] longer = Arrays.copyOf(frame, frame.length + 3);
        TestFiles.writeRaw(ab, 0, longer);
        TestFiles.writeReady(ab, 0);
        FileTransport b = receiver();
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertTrue(e.getMessage().contains("longer"), e.getMessage());
        assertQuarantined(0, longer);
    }

    @Test
    void shortMessageIsCorruptOnlyOnceItsSizeIsStableForTheWindow() throws Exception {
        byte[] frame = FrameCodec.encode(numbered(0, 100));
        TestFiles.writeRaw(ab, 0, Arrays.copyOf(frame, 50));
        TestFiles.writeReady(ab, 0);
        TestFiles.writeMsg(ab, 1, numbered(1, 8));
        TestFiles.writeReady(ab, 1);
        FileTransport b = receiver();
        assertTrue(b.receive(A, SHORT).isEmpty(), "short but not yet stable");
        clock.advance(Duration.ofSeconds(29));
        assertTrue(b.receive(A, SHORT).isEmpty(), "29 s of 30");
        // It grows: a sync engine is still writing. The window starts again.
        TestFiles.writeRaw(ab, 0, Arrays.copyOf(frame, 70));
        assertTrue(b.receive(A, SHORT).isEmpty());
        clock.advance(Duration.ofSeconds(20));
        assertTrue(b.receive(A, SHORT).isEmpty(), "20 s since it last grew");
        clock.advance(Duration.ofSeconds(11));
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertEquals(0, e.sequence());
        assertQuarantined(0, Arrays.copyOf(frame, 70));
        assertEquals(1, number(b.receive(A, WAIT).orElseThrow().payload()));
    }

    @Test
    void afterQuarantineARestartedReceiverDoesNotWaitForTheMovedMessage() throws Exception {
        TestFiles.writeRaw(ab, 0, FrameCodec.header(-1));
        TestFiles.writeReady(ab, 0);
        FileTransport b = receiver();
        assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        b.close();
        TestFiles.writeMsg(ab, 1, numbered(1, 8));
        TestFiles.writeReady(ab, 1);
        FileTransport b2 = receiver();
        Message m = b2.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        // And the sender, restarted, never reuses the quarantined number.
        FileTransport a = open(FileTransport.builder(root, A));
        a.send(B, numbered(2, 8));
        assertEquals(2, b2.receive(A, WAIT).orElseThrow().sequence());
    }

    @Test
    void foreignNamesAreIgnoredCountedAndLeftAlone() throws Exception {
        List<String> junk = List.of(
                ".00000000.msg",
                ".tmp-whatever",
                "00000000.sync-conflict-20260101-120000-ABC.msg",
                "00000000.msg.sync-conflict-20260101-120000-ABC",
                "00000000.msg.tmp",
                "00000000.MSG",
                "00000000.READY",
                "0000000.msg",
                "000000000.msg",
                "1.msg",
                "1.ready",
                "00000000.ready.txt",
                "notes.txt",
                "x00000000.msg");
        Files.createDirectories(ab);
        for (String name : junk) {
            // Bytes that would be a corrupt message if anything parsed them.
            Files.write(ab.resolve(name), FrameCodec.header(-1));
        }
        TestFiles.writeMsg(ab, 0, numbered(0, 8));
        TestFiles.writeReady(ab, 0);
        FileTransport b = receiver();
        assertEquals(junk.size(), b.stats().ignoredFiles());
        assertEquals(0, number(b.receive(A, WAIT).orElseThrow().payload()));
        assertTrue(b.receive(A, SHORT).isEmpty(), "no junk delivered");
        assertEquals(0, b.stats().quarantined(), "no junk parsed");
        List<String> left =
                names(ab).stream().filter(n -> !n.startsWith(".formix")).toList();
        assertEquals(junk.stream().sorted().toList(), left, "junk untouched, message files deleted");
        // Junk added later is counted at the next rescan.
        Files.write(ab.resolve("00000001.sync-conflict-x.ready"), new byte[0]);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (b.stats().ignoredFiles() != junk.size() + 1 && System.nanoTime() < deadline) {
            b.receive(A, Duration.ofMillis(50));
        }
        assertEquals(junk.size() + 1, b.stats().ignoredFiles());
    }

    @Test
    void messageIsAcknowledgedOnlyAtTheNextReceive() throws Exception {
        TestFiles.writeMsg(ab, 0, numbered(0, 8));
        TestFiles.writeReady(ab, 0);
        TestFiles.writeMsg(ab, 1, numbered(1, 8));
        TestFiles.writeReady(ab, 1);
        FileTransport b = receiver();
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        assertTrue(Files.exists(ab.resolve("00000000.msg")), "not acknowledged before the next call");
        assertTrue(StateFiles.read(TestFiles.cursorFile(root, A, B)).orElse(0) == 0);
        assertEquals(1, b.receive(A, WAIT).orElseThrow().sequence());
        assertFalse(Files.exists(ab.resolve("00000000.msg")));
        assertFalse(Files.exists(ab.resolve("00000000.ready")));
        assertEquals(1, StateFiles.read(TestFiles.cursorFile(root, A, B)).getAsLong());
        assertTrue(Files.exists(ab.resolve("00000001.msg")));
        b.close();
        assertFalse(Files.exists(ab.resolve("00000001.msg")), "close acknowledges");
        assertEquals(2, StateFiles.read(TestFiles.cursorFile(root, A, B)).getAsLong());
    }

    @Test
    void receiveFromOneSenderDoesNotAcknowledgeAnotherSendersMessage() throws Exception {
        Path cb = root.resolve("c_to_b");
        TestFiles.writeMsg(ab, 0, numbered(0, 8));
        TestFiles.writeReady(ab, 0);
        TestFiles.writeMsg(cb, 0, numbered(7, 8));
        TestFiles.writeReady(cb, 0);
        FileTransport b = receiver();
        assertEquals(0, number(b.receive(A, WAIT).orElseThrow().payload()));
        // A thread consuming c's channel must not acknowledge the message a's thread holds.
        assertEquals(7, number(b.receive(PartyId.of("c"), WAIT).orElseThrow().payload()));
        assertTrue(Files.exists(ab.resolve("00000000.msg")), "a's message is still in hand");
        assertFalse(b.receive(A, SHORT).isPresent());
        assertFalse(Files.exists(ab.resolve("00000000.msg")), "the next receive from a acknowledged it");
        assertTrue(Files.exists(cb.resolve("00000000.msg")), "c's message is still in hand");
        assertFalse(b.receiveAny(SHORT).isPresent());
        assertFalse(Files.exists(cb.resolve("00000000.msg")), "receiveAny acknowledges every channel");
    }

    @Test
    void staleFilesBelowTheCursorAreDeletedAtStart() throws Exception {
        // A crash between writing the cursor and deleting the files it covers (a cursor an earlier
        // version kept in the channel folder: migrated to the state folder).
        Files.createDirectories(ab);
        new StateFiles(false).write(ab.resolve(ChannelNames.CURSOR_FILE), 2);
        TestFiles.writeMsg(ab, 1, numbered(1, 8));
        TestFiles.writeReady(ab, 1);
        TestFiles.writeMsg(ab, 2, numbered(2, 8));
        TestFiles.writeReady(ab, 2);
        FileTransport b = receiver();
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(2, m.sequence(), "1 was delivered before the crash: not again");
        assertFalse(Files.exists(ab.resolve("00000001.msg")));
        assertFalse(Files.exists(ab.resolve("00000001.ready")));
    }

    @Test
    void unreadableCursorRestartsAtTheLowestMessagePresent() throws Exception {
        Files.createDirectories(ab);
        Files.write(ab.resolve(ChannelNames.CURSOR_FILE), new byte[] {1, 2, 3}); // torn
        for (int n = 5; n <= 6; n++) {
            TestFiles.writeMsg(ab, n, numbered(n, 8));
            TestFiles.writeReady(ab, n);
        }
        FileTransport b = receiver();
        assertEquals(5, b.receive(A, WAIT).orElseThrow().sequence());
        assertEquals(6, b.receive(A, WAIT).orElseThrow().sequence());
    }

    private void assertQuarantined(long n, byte[] content) throws IOException {
        Path q = TestFiles.quarantine(root, B, "a_to_b");
        assertArrayEquals(content, Files.readAllBytes(q.resolve(ChannelNames.msg(n))), "moved aside intact");
        assertTrue(Files.exists(q.resolve(ChannelNames.ready(n))));
        assertFalse(Files.exists(ab.resolve(ChannelNames.msg(n))));
        assertFalse(Files.exists(ab.resolve(ChannelNames.ready(n))));
    }
}
