package io.formix.transport.file;

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
import io.formix.transport.TransportException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Someone with write access to the channel folders plants links, FIFOs and folders where the
 * transport expects regular files and folders. Nothing is followed, nothing blocks, nothing
 * outside the root is read, written or deleted, and the channel carries on. Real folders on disk:
 * Jimfs cannot show FIFOs.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileFolderTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path root;

    @TempDir
    Path outside;

    private final List<FileTransport> opened = new ArrayList<>();

    Path ab() {
        return root.resolve("a_to_b");
    }

    FileTransport open(PartyId self) throws IOException {
        FileTransport t = FileTransport.builder(root, self)
                .rescanInterval(Duration.ofMillis(50))
                .open();
        opened.add(t);
        return t;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (FileTransport t : opened) {
            t.close();
        }
    }

    @Test
    void symlinkedMessageIsSetAsideNotFollowedAndTheSendersOwnMessageStillArrives() throws Exception {
        byte[] frame = FrameCodec.encode(numbered(99, 8));
        Path target = Files.write(outside.resolve("frame.bin"), frame);
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        Files.createSymbolicLink(ab().resolve("00000001.msg"), target);
        TestFiles.writeReady(ab(), 1);
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertEquals(1, e.sequence());
        assertTrue(e.getMessage().contains("not a regular file: symbolic link"), e.getMessage());
        assertTrue(b.receive(A, SHORT).isEmpty(), "set aside once; the receiver waits for the real message 1");
        assertArrayEquals(frame, Files.readAllBytes(target), "the outside file is untouched");
        Path q = TestFiles.quarantine(root, B, "a_to_b");
        assertTrue(Files.isSymbolicLink(q.resolve("00000001.msg")), "the link itself was moved");
        assertFalse(exists(ab().resolve("00000001.msg")));
        // The sender writes its own message 1 (the planted marker counts as published) and then 2.
        a.send(B, numbered(1, 8));
        a.send(B, numbered(2, 8));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence(), "the planted entry did not take number 1");
        assertEquals(1, number(m.payload()));
        assertEquals(2, b.receive(A, WAIT).orElseThrow().sequence());
        assertEquals(1, b.stats().quarantined());
    }

    @Test
    void symlinkedChannelFolderIsNeitherReadNorDeletedAndTheSenderRefusesIt() throws Exception {
        byte[] frame = FrameCodec.encode(numbered(7, 8));
        Files.write(outside.resolve("00000000.msg"), frame);
        Files.write(outside.resolve("00000000.ready"), new byte[0]);
        Files.createSymbolicLink(ab(), outside);
        FileTransport b = open(B);
        assertTrue(b.receive(A, SHORT).isEmpty(), "nothing read through the link");
        assertTrue(b.receiveAny(SHORT).isEmpty());
        FileTransport a = open(A);
        TransportException e = assertThrows(TransportException.class, () -> a.send(B, numbered(0, 8)));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertTrue(e.getMessage().contains("a_to_b"), e.getMessage());
        b.close();
        a.close();
        assertEquals(
                List.of("00000000.msg", "00000000.ready"),
                TestFiles.names(outside),
                "nothing deleted or written outside");
        assertArrayEquals(frame, Files.readAllBytes(outside.resolve("00000000.msg")));
        assertTrue(Files.isSymbolicLink(ab()), "the link is left to its owner");
    }

    @Test
    void channelFolderReplacedByALinkAfterStartIsNotUsedForDeletion() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        // The folder is swapped for a link to an outside folder that holds the same names.
        Path moved = root.resolve("moved");
        Files.move(ab(), moved);
        Files.write(outside.resolve("00000000.msg"), FrameCodec.encode(numbered(0, 8)));
        Files.write(outside.resolve("00000000.ready"), new byte[0]);
        Files.createSymbolicLink(ab(), outside);
        assertTrue(b.receive(A, SHORT).isEmpty(), "acknowledges 0 without deleting through the link");
        assertEquals(List.of("00000000.msg", "00000000.ready"), TestFiles.names(outside));
        assertThrows(TransportException.class, () -> a.send(B, numbered(1, 8)));
        assertEquals(List.of("00000000.msg", "00000000.ready"), TestFiles.names(outside));
    }

    @Test
    void legacyCountersSymlinkedOutsideAreNeitherReadNorWritten() throws Exception {
        // A valid counter (7) and a plain file: followed, the first would set the sender's number,
        // and writes through either would overwrite its first 16 bytes.
        byte[] seven = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(7)
                .putLong(~7L)
                .array();
        Path counter = Files.write(outside.resolve("counter"), seven);
        byte[] text = new byte[32];
        Arrays.fill(text, (byte) 'A');
        Path victim = Files.write(outside.resolve("victim"), text);
        Files.createDirectories(ab());
        Files.createSymbolicLink(ab().resolve(ChannelNames.NEXT_FILE), counter);
        Files.createSymbolicLink(ab().resolve(ChannelNames.CURSOR_FILE), victim);
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        a.send(B, numbered(1, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence(), "numbering from the sender's own record");
        assertEquals(1, b.receive(A, WAIT).orElseThrow().sequence());
        b.close();
        a.close();
        assertArrayEquals(seven, Files.readAllBytes(counter));
        assertArrayEquals(text, Files.readAllBytes(victim));
        assertFalse(exists(ab().resolve(ChannelNames.NEXT_FILE)), "the planted links are removed");
        assertFalse(exists(ab().resolve(ChannelNames.CURSOR_FILE)));
    }

    @Test
    void plantedTempFileLinkIsNotWrittenThrough() throws Exception {
        byte[] text = new byte[40];
        Arrays.fill(text, (byte) 'B');
        Path victim = Files.write(outside.resolve("victim"), text);
        FileTransport a = open(A);
        a.send(B, numbered(0, 8)); // recovery done; the next temp name is known
        Files.createSymbolicLink(ab().resolve(ChannelNames.temp(1)), victim);
        a.send(B, numbered(1, 8));
        assertArrayEquals(text, Files.readAllBytes(victim));
        assertTrue(Files.isRegularFile(ab().resolve("00000001.msg"), LinkOption.NOFOLLOW_LINKS));
        FileTransport b = open(B);
        b.receive(A, WAIT).orElseThrow();
        assertEquals(1, number(b.receive(A, WAIT).orElseThrow().payload()));
    }

    @Test
    void fifoMessageIsSetAsideWithoutBlockingAndTheSendersMessageStillArrives() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receiveAny(WAIT).orElseThrow().sequence());
        mkfifo(ab().resolve("00000001.msg"));
        TestFiles.writeReady(ab(), 1);
        CorruptMessageException e =
                assertThrows(CorruptMessageException.class, () -> b.receiveAny(Duration.ofSeconds(2)));
        assertTrue(e.getMessage().contains("not a regular file: FIFO"), e.getMessage());
        assertTrue(b.receiveAny(SHORT).isEmpty(), "set aside once, no error on later calls");
        Path q = TestFiles.quarantine(root, B, "a_to_b");
        assertTrue(attrs(q.resolve("00000001.msg")).isOther(), "the FIFO itself was moved");
        assertFalse(exists(ab().resolve("00000001.msg")));
        a.send(B, numbered(10, 8));
        a.send(B, numbered(11, 8));
        Message m = b.receiveAny(WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertEquals(10, number(m.payload()));
        assertEquals(11, number(b.receiveAny(WAIT).orElseThrow().payload()));
        assertEquals(1, b.stats().quarantined());
    }

    @Test
    void fifoMarkerIsSetAsideAndTheSendersMarkerReplacesIt() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        mkfifo(ab().resolve("00000001.ready"));
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertTrue(e.getMessage().contains("FIFO"), e.getMessage());
        assertEquals(1, e.sequence());
        a.send(B, numbered(1, 8));
        assertEquals(1, b.receive(A, WAIT).orElseThrow().sequence());
    }

    @Test
    void foreignEntriesAtTheSendersOwnNamesAreRemovedNotFollowed() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        b.close();
        Path dirMsg = Files.createDirectories(ab().resolve("00000001.msg").resolve("x"));
        Path dirReady = Files.createDirectories(ab().resolve("00000001.ready"));
        Files.write(dirReady.resolve("inside"), new byte[] {1});
        Path kept = Files.write(outside.resolve("kept"), new byte[] {7});
        Files.createSymbolicLink(dirMsg.resolve("link"), kept);
        a.send(B, numbered(5, 8)); // folders at its next message and marker names: removed, then written
        assertTrue(attrs(ab().resolve("00000001.msg")).isRegularFile());
        assertTrue(attrs(ab().resolve("00000001.ready")).isRegularFile());
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(kept), "the link inside was not followed");
        FileTransport b2 = open(B);
        Message m = b2.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertEquals(5, number(m.payload()));
    }

    @Test
    void channelNameTakenByAFileIsIgnoredWithoutErrorsAndOtherChannelsFlow() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        FileTransport c = open(PartyId.of("c"));
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        // Swapped at runtime: the channel folder becomes a regular file.
        Path ab = ab();
        Files.walk(ab)
                .sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        Files.write(ab, new byte[] {1});
        TestFiles.writeMsg(Files.createDirectories(root.resolve("c_to_b")), 0, numbered(3, 8));
        TestFiles.writeReady(root.resolve("c_to_b"), 0);
        for (int i = 0; i < 3; i++) {
            Message m = b.receiveAny(WAIT).orElse(null);
            if (m != null) {
                assertEquals(PartyId.of("c"), m.from());
                assertEquals(3, number(m.payload()));
                break;
            }
        }
        assertTrue(b.receiveAny(SHORT).isEmpty(), "no error from the file in the channel's place");
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertThrows(TransportException.class, () -> a.send(B, numbered(1, 8)), "never written through");
        c.close();
    }

    @Test
    void directoryMessageIsSetAsideOnceAndLaterReceivesDoNotThrow() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        Path dirMsg = Files.createDirectories(ab().resolve("00000001.msg"));
        Files.write(dirMsg.resolve("inside"), new byte[] {1, 2, 3});
        TestFiles.writeReady(ab(), 1);
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertTrue(e.getMessage().contains("not a regular file: directory"), e.getMessage());
        for (int i = 0; i < 3; i++) {
            assertTrue(b.receive(A, SHORT).isEmpty());
        }
        Path q = TestFiles.quarantine(root, B, "a_to_b");
        assertArrayEquals(
                new byte[] {1, 2, 3},
                Files.readAllBytes(q.resolve("00000001.msg").resolve("inside")));
        a.send(B, numbered(1, 8));
        assertEquals(1, b.receive(A, WAIT).orElseThrow().sequence());
        assertEquals(1, b.stats().quarantined());
    }

    @Test
    void farAheadMarkerDoesNotMoveTheRestartedSender() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        for (int i = 0; i < 4; i++) {
            a.send(B, numbered(i, 8));
            assertEquals(i, b.receive(A, WAIT).orElseThrow().sequence());
        }
        TestFiles.writeReady(ab(), 50);
        a.close();
        FileTransport a2 = open(A);
        a2.send(B, numbered(4, 8));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(4, m.sequence(), "the sender continues at its own record");
        assertEquals(4, number(m.payload()));
        assertFalse(exists(ab().resolve("00000051.msg")));
        assertTrue(exists(ab().resolve("00000050.ready")), "someone else's entry is left alone");
    }

    @Test
    void withCorruptKeepsNumberAPlantedMalformedFileDoesNotTakeTheSendersNumber() throws Exception {
        FileTransport a = open(A);
        FileTransport b = FileTransport.builder(root, B)
                .rescanInterval(Duration.ofMillis(50))
                .corruptKeepsNumber(true)
                .open();
        opened.add(b);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        // Planted at the sender's next number: an impossible length, and its marker.
        TestFiles.writeRaw(ab(), 1, FrameCodec.header(-7));
        TestFiles.writeReady(ab(), 1);
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertEquals(1, e.sequence());
        assertTrue(e.getMessage().contains("negative length"), e.getMessage());
        assertTrue(b.receive(A, SHORT).isEmpty(), "set aside once; still waiting at 1");
        a.send(B, numbered(1, 8));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence(), "the sender's own message 1 arrives under its number");
        assertEquals(1, number(m.payload()));
        assertArrayEquals(
                FrameCodec.header(-7),
                Files.readAllBytes(TestFiles.quarantine(root, B, "a_to_b").resolve("00000001.msg")));
    }

    @Test
    void byDefaultAMalformedFileIsQuarantinedAndTheChannelContinuesAsWireFormatV1Says() throws Exception {
        FileTransport b = open(B);
        Files.createDirectories(ab());
        TestFiles.writeRaw(ab(), 0, FrameCodec.header(-7));
        TestFiles.writeReady(ab(), 0);
        TestFiles.writeMsg(ab(), 1, numbered(1, 8));
        TestFiles.writeReady(ab(), 1);
        assertEquals(
                0,
                assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT))
                        .sequence());
        assertEquals(1, b.receive(A, WAIT).orElseThrow().sequence());
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    @Timeout(10)
    void probeSeesEntriesThemselvesWithoutFollowingOrBlocking() throws Exception {
        Path file = Files.write(root.resolve("0.ready"), new byte[0]);
        Path fifo = root.resolve("1.ready");
        mkfifo(fifo);
        Path linkToFile = Files.createSymbolicLink(root.resolve("2.ready"), file);
        Path dangling = Files.createSymbolicLink(root.resolve("3.ready"), outside.resolve("nothing"));
        Path folder = Files.createDirectory(root.resolve("4.ready"));
        assertEquals(RegularFiles.Probe.ABSENT, RegularFiles.probe(root.resolve("5.ready")));
        assertEquals(RegularFiles.Probe.REGULAR, RegularFiles.probe(file));
        assertEquals(RegularFiles.Probe.OTHER, RegularFiles.probe(fifo));
        assertEquals(RegularFiles.Probe.OTHER, RegularFiles.probe(linkToFile));
        assertEquals(RegularFiles.Probe.OTHER, RegularFiles.probe(dangling));
        assertEquals(RegularFiles.Probe.OTHER, RegularFiles.probe(folder));
    }

    static BasicFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    static void mkfifo(Path p) throws Exception {
        Process proc = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, proc.waitFor(), "mkfifo " + p);
        assertTrue(attrs(p).isOther());
    }
}
