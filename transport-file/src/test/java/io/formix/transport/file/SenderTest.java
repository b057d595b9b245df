package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.names;
import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.TransportException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Numbering across restarts, crash leftovers, and failures while sending. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SenderTest extends JimfsChannelFixture {

    /** Messages 0 to {@code count - 1} sent by a and taken by b, then both closed. */
    void deliverAllThenClose(int count) throws Exception {
        FileTransport a = open(FileTransport.builder(root, A));
        FileTransport b = open(FileTransport.builder(root, B));
        for (int i = 0; i < count; i++) {
            a.send(B, numbered(i, 8));
            b.receive(A, WAIT).orElseThrow();
        }
        b.close();
        a.close();
    }

    @Test
    void numbersAreNeverReusedEvenAfterTheReceiverConsumedEverything() throws Exception {
        deliverAllThenClose(3);
        assertEquals(List.of(), visible(), "receiver deleted everything");
        FileTransport a2 = open(FileTransport.builder(root, A));
        a2.send(B, numbered(3, 8));
        FileTransport b2 = open(FileTransport.builder(root, B));
        assertEquals(3, b2.receive(A, WAIT).orElseThrow().sequence());
    }

    @Test
    void numberingSurvivesLosingTheReceiversCursorAndFallsBackWithoutTheSendersRecord() throws Exception {
        deliverAllThenClose(5);
        // Receiver's cursor gone: the sender's own record still says 5.
        Files.delete(TestFiles.cursorFile(root, A, B));
        FileTransport a2 = open(FileTransport.builder(root, A));
        a2.send(B, numbered(5, 8));
        a2.close();
        assertTrue(Files.exists(ab.resolve("00000005.msg")));
        // Sender's record gone while message 5 is still in the folder: it continues after it.
        Files.delete(TestFiles.nextFile(root, A, B));
        FileTransport a3 = open(FileTransport.builder(root, A));
        a3.send(B, numbered(6, 8));
        assertTrue(Files.exists(ab.resolve("00000006.msg")));
        assertEquals(7, StateFiles.read(TestFiles.nextFile(root, A, B)).getAsLong(), "record written again");
    }

    @Test
    void restartPublishesACommittedMessageAndRemovesTempFiles() throws Exception {
        // What a sender killed between rename and marker, while writing the next temp, leaves.
        TestFiles.writeMsg(ab, 0, numbered(0, 8));
        TestFiles.writeReady(ab, 0);
        TestFiles.writeMsg(ab, 1, numbered(1, 8));
        Files.write(ab.resolve(ChannelNames.temp(2)), new byte[] {3, 0, 0});
        new StateFiles(false).write(ab.resolve(ChannelNames.NEXT_FILE), 1);
        FileTransport a = open(FileTransport.builder(root, A));
        assertTrue(Files.exists(ab.resolve("00000001.ready")), "marker of the committed message");
        assertFalse(Files.exists(ab.resolve(ChannelNames.temp(2))), "temp file cleaned");
        a.send(B, numbered(2, 8));
        FileTransport b = open(FileTransport.builder(root, B));
        for (int i = 0; i < 3; i++) {
            Message m = b.receive(A, WAIT).orElseThrow();
            assertEquals(i, m.sequence());
            assertEquals(i, number(m.payload()));
        }
    }

    @Test
    void diskFullWhileWritingIsATypedErrorWithNothingVisibleAndNoGap() throws Exception {
        FailingOps ops = new FailingOps();
        FileTransport a = open(FileTransport.builder(root, A).fileOps(ops));
        a.send(B, numbered(0, 8));
        ops.failWrite = new FileSystemException("/r/a_to_b/.tmp-00000001.msg", null, "No space left on device");
        TransportException e = assertThrows(TransportException.class, () -> a.send(B, numbered(1, 64)));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(List.of("00000000.msg", "00000000.ready"), visible());
        assertFalse(names(ab).stream().anyMatch(ChannelNames::isTemp), "half-written temp removed");
        ops.failWrite = null;
        a.send(B, numbered(1, 8));
        FileTransport b = open(FileTransport.builder(root, B));
        for (int i = 0; i < 2; i++) {
            Message m = b.receive(A, WAIT).orElseThrow();
            assertEquals(i, m.sequence(), "no gap after the failure");
            assertEquals(i, number(m.payload()));
        }
    }

    @Test
    void permissionDeniedAtRenameOrMarkerIsATypedErrorWithNothingVisible() throws Exception {
        FailingOps ops = new FailingOps();
        FileTransport a = open(FileTransport.builder(root, A).fileOps(ops));
        ops.failMove = new AccessDeniedException("/r/a_to_b/00000000.msg");
        TransportException e = assertThrows(TransportException.class, () -> a.send(B, numbered(0, 8)));
        assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        assertEquals(List.of(), visible());
        assertFalse(names(ab).stream().anyMatch(ChannelNames::isTemp));
        ops.failMove = null;
        ops.failCreate = new AccessDeniedException("/r/a_to_b/00000000.ready");
        e = assertThrows(TransportException.class, () -> a.send(B, numbered(0, 8)));
        assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
        assertEquals(List.of(), visible(), "the renamed message is withdrawn when its marker fails");
        ops.failCreate = null;
        a.send(B, numbered(0, 8));
        FileTransport b = open(FileTransport.builder(root, B));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(0, m.sequence());
        assertTrue(b.receive(A, Duration.ofMillis(100)).isEmpty());
    }

    @Test
    void readOnlyChannelFolderOnDiskIsATypedError(@TempDir Path disk) throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores permission bits");
        Path ch = Files.createDirectories(disk.resolve("a_to_b"));
        FileTransport a = open(FileTransport.builder(disk, A));
        Files.setPosixFilePermissions(ch, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            TransportException e = assertThrows(TransportException.class, () -> a.send(B, new byte[10]));
            assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
            assertEquals(List.of(), names(ch), "nothing written, and no bookkeeping in the channel folder");
        } finally {
            Files.setPosixFilePermissions(ch, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void channelFolderThatCannotBeCreatedIsATypedError() throws Exception {
        FileTransport a = open(FileTransport.builder(root, A));
        Files.write(ab, new byte[] {1}); // a file where the channel folder should be
        TransportException e = assertThrows(TransportException.class, () -> a.send(B, new byte[1]));
        assertTrue(e.getMessage().contains("a_to_b"), e.getMessage());
        Files.delete(ab);
        a.send(B, new byte[1]);
        assertTrue(Files.exists(ab.resolve("00000000.ready")));
    }

    @Test
    void oversizedSendWritesNothing() throws Exception {
        FileTransport a = open(FileTransport.builder(root, A).maxMessageBytes(16));
        assertThrows(io.formix.transport.MessageTooLargeException.class, () -> a.send(B, new byte[17]));
        assertEquals(List.of(), visible());
        a.send(B, new byte[16]);
        assertEquals(8 + 16, Files.size(ab.resolve("00000000.msg")));
        assertEquals(FrameCodec.HEADER_BYTES, 8);
    }

    @Test
    void aPartyMaySendMoreThanItAccepts() throws Exception {
        FileTransport a =
                open(FileTransport.builder(root, A).maxMessageBytes(64).maxReceiveBytes(16));
        assertEquals(64, a.maxMessageBytes());
        assertEquals(16, a.maxReceiveBytes());
        a.send(B, new byte[64]);
        assertEquals(8 + 64, Files.size(ab.resolve("00000000.msg")));
        FileTransport b = open(FileTransport.builder(root, B).maxMessageBytes(64));
        b.send(A, new byte[17]);
        io.formix.transport.CorruptMessageException e = assertThrows(
                io.formix.transport.CorruptMessageException.class, () -> a.receive(B, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("exceeds the maximum of 16"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> FileTransport.builder(root, A).maxReceiveBytes(-1));
    }

    /** Real operations, except where a test plants a failure. */
    static final class FailingOps implements FileOps {
        volatile IOException failWrite;
        volatile IOException failMove;
        volatile IOException failCreate;

        @Override
        public void write(Path file, byte[] header, byte[] payload, boolean force) throws IOException {
            if (failWrite != null) {
                Files.write(file, header); // part of it reached the disk before the failure
                throw failWrite;
            }
            REAL.write(file, header, payload, force);
        }

        @Override
        public void moveAtomic(Path from, Path to) throws IOException {
            if (failMove != null) {
                throw failMove;
            }
            REAL.moveAtomic(from, to);
        }

        @Override
        public void createEmpty(Path file) throws IOException {
            if (failCreate != null) {
                throw failCreate;
            }
            REAL.createEmpty(file);
        }

        @Override
        public void createLink(Path link, Path existing) throws IOException {
            if (failCreate != null) {
                throw failCreate; // a marker is a link to the party's empty template: it fails the same way
            }
            REAL.createLink(link, existing);
        }

        @Override
        public void forceDirectory(Path dir) throws IOException {
            REAL.forceDirectory(dir);
        }
    }
}
