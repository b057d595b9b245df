package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The party's host-local state folder: where it is, what is refused, migration from the channel folders. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StateDirTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    @TempDir
    Path local;

    @TempDir
    Path outside;

    @Test
    void stateFolderOrQuarantineThatIsALinkIsRefusedAtOpen() throws Exception {
        Path state = Files.createDirectories(local.resolve("b"));
        Files.createSymbolicLink(state.resolve("quarantine"), outside);
        IOException e = assertThrows(
                IOException.class,
                () -> FileTransport.builder(root, B).stateDir(state).open());
        assertTrue(
                e.getMessage().contains("quarantine folder") && e.getMessage().contains("symbolic link"),
                e.getMessage());

        Path linkedState = local.resolve("c");
        Files.createSymbolicLink(linkedState, outside);
        e = assertThrows(
                IOException.class,
                () -> FileTransport.builder(root, B).stateDir(linkedState).open());
        assertTrue(e.getMessage().contains("state folder") && e.getMessage().contains("symbolic link"), e.getMessage());

        Files.createSymbolicLink(root.resolve(StateDir.DEFAULT_PARENT), outside);
        e = assertThrows(IOException.class, () -> FileTransport.builder(root, B).open());
        assertTrue(
                e.getMessage().contains(".formix-local") && e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals(List.of(), TestFiles.names(outside), "nothing created through any of the links");
    }

    @Test
    void bookkeepingLivesInTheStateFolderNotInTheSyncedRoot() throws Exception {
        Path sa = local.resolve("a");
        Path sb = local.resolve("b");
        try (FileTransport a = FileTransport.builder(root, A).stateDir(sa).open();
                FileTransport b = FileTransport.builder(root, B).stateDir(sb).open()) {
            assertEquals(sb, b.stateDir());
            a.send(B, numbered(0, 8));
            a.send(B, numbered(1, 8));
            assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
            assertEquals(1, b.receive(A, WAIT).orElseThrow().sequence());
        }
        assertEquals(List.of("a_to_b"), TestFiles.names(root), "no lock, cursor or quarantine in the root");
        assertEquals(List.of(), TestFiles.names(root.resolve("a_to_b")));
        assertEquals(List.of("a_to_b.next", "marker.template", "party.lock", "quarantine"), TestFiles.names(sa));
        assertEquals(List.of("a_to_b.cursor", "party.lock", "quarantine"), TestFiles.names(sb));
        assertEquals(2, StateFiles.read(sa.resolve("a_to_b.next")).getAsLong());
        assertEquals(2, StateFiles.read(sb.resolve("a_to_b.cursor")).getAsLong());
        try (FileTransport a = FileTransport.builder(root, A).stateDir(sa).open();
                FileTransport b = FileTransport.builder(root, B).stateDir(sb).open()) {
            a.send(B, numbered(2, 8));
            assertEquals(2, b.receive(A, WAIT).orElseThrow().sequence());
        }
    }

    @Test
    void samePartyOnTheSameRootIsRefusedInThisProcessWhateverItsStateFolder() throws Exception {
        try (FileTransport first =
                FileTransport.builder(root, B).stateDir(local.resolve("one")).open()) {
            ChannelLockedException e = assertThrows(
                    ChannelLockedException.class,
                    () -> FileTransport.builder(root, B)
                            .stateDir(local.resolve("two"))
                            .open());
            assertTrue(e.getMessage().contains("party.lock"), e.getMessage());
        }
        FileTransport.builder(root, B).stateDir(local.resolve("two")).open().close();
    }

    @Test
    void countersInTheChannelFolderAreMigratedOnceAndRemoved() throws Exception {
        // An earlier version's folder: the receiver took 0..2, the sender wrote 3 and 4.
        Path ab = Files.createDirectories(root.resolve("a_to_b"));
        new StateFiles(false).write(ab.resolve(ChannelNames.NEXT_FILE), 5);
        new StateFiles(false).write(ab.resolve(ChannelNames.CURSOR_FILE), 3);
        for (int n = 3; n <= 4; n++) {
            TestFiles.writeMsg(ab, n, numbered(n, 8));
            TestFiles.writeReady(ab, n);
        }
        try (FileTransport a = FileTransport.builder(root, A).open();
                FileTransport b = FileTransport.builder(root, B).open()) {
            a.send(B, numbered(5, 8));
            for (int n = 3; n <= 5; n++) {
                Message m = b.receive(A, WAIT).orElseThrow();
                assertEquals(n, m.sequence());
                assertEquals(n, number(m.payload()));
            }
            assertFalse(Files.exists(ab.resolve(ChannelNames.NEXT_FILE), LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(ab.resolve(ChannelNames.CURSOR_FILE), LinkOption.NOFOLLOW_LINKS));
        }
        assertEquals(6, StateFiles.read(TestFiles.nextFile(root, A, B)).getAsLong());
        assertEquals(6, StateFiles.read(TestFiles.cursorFile(root, A, B)).getAsLong());
    }

    @Test
    void restartPublishesTheMarkerBelowTheRecordThatACrashLeftOut() throws Exception {
        // Killed after persisting 2 and before the marker of 1.
        Path ab = Files.createDirectories(root.resolve("a_to_b"));
        TestFiles.writeMsg(ab, 0, numbered(0, 8));
        TestFiles.writeReady(ab, 0);
        TestFiles.writeMsg(ab, 1, numbered(1, 8));
        Files.createDirectories(StateDir.defaultFor(root, A));
        new StateFiles(false).write(TestFiles.nextFile(root, A, B), 2);
        try (FileTransport a = FileTransport.builder(root, A).open();
                FileTransport b = FileTransport.builder(root, B).open()) {
            assertTrue(Files.exists(ab.resolve("00000001.ready")));
            a.send(B, numbered(2, 8));
            for (int n = 0; n <= 2; n++) {
                assertEquals(n, number(b.receive(A, WAIT).orElseThrow().payload()));
            }
        }
    }

    @Test
    void quarantineOnAnotherFileSystemCopiesRegularFilesAndRemovesOtherEntries() throws Exception {
        try (FileSystem fs = TestFiles.jimfs()) {
            Path jroot = fs.getPath("/r");
            Path ab = jroot.resolve("a_to_b");
            Path target = fs.getPath("/elsewhere");
            byte[] frame = FrameCodec.encode(numbered(9, 8));
            Files.createDirectories(ab);
            Files.write(target, frame);
            TestFiles.writeRaw(ab, 0, FrameCodec.header(-3));
            TestFiles.writeReady(ab, 0);
            Files.createSymbolicLink(ab.resolve("00000001.msg"), target);
            TestFiles.writeReady(ab, 1);
            Path sb = local.resolve("b");
            try (FileTransport b = FileTransport.builder(jroot, B).stateDir(sb).open()) {
                CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
                assertTrue(e.getMessage().contains("negative"), e.getMessage());
                e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
                assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
            }
            Path q = sb.resolve("quarantine").resolve("a_to_b");
            assertFalse(
                    Files.exists(q.resolve("00000001.msg"), LinkOption.NOFOLLOW_LINKS),
                    "a link is removed, not copied");
            assertArrayEquals(frame, Files.readAllBytes(target), "and its target untouched");
            assertArrayEquals(FrameCodec.header(-3), Files.readAllBytes(q.resolve("00000000.msg")), "bytes kept");
            assertTrue(Files.exists(q.resolve("00000000.ready")));
            assertEquals(
                    List.of("00000001.ready"),
                    TestFiles.names(ab),
                    "only the link was set aside: the receiver still waits for the sender's message 1");
        }
    }
}
