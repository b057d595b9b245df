package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.names;
import static io.formix.transport.file.TestFiles.number;
import static io.formix.transport.file.TestFiles.numbered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileTransport#reject}: a message the layer above refuses is set aside without using up
 * its number; the next file for that number (a later {@code n.msg}, or a sync engine's conflict
 * copy) is delivered with the same sequence. Real folders on disk.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RejectTest {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration SHORT = Duration.ofMillis(200);
    static final String SYNCTHING_COPY = "00000001.sync-conflict-20261204-223000-ABCDEFG.msg";

    @TempDir
    Path root;

    private final List<FileTransport> opened = new ArrayList<>();

    Path ab() {
        return root.resolve("a_to_b");
    }

    FileTransport open(PartyId self) throws IOException {
        return open(FileTransport.builder(root, self));
    }

    FileTransport open(FileTransport.Builder b) throws IOException {
        FileTransport t = b.rescanInterval(Duration.ofMillis(50)).open();
        opened.add(t);
        return t;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (FileTransport t : opened) {
            t.close();
        }
    }

    /** Writes a whole frame as {@code name} in {@code dir} the way a sync engine does: temp file, then rename. */
    static void plant(Path dir, String name, byte[] payload) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(".plant.tmp");
        Files.write(tmp, FrameCodec.encode(payload));
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The value of a 16-byte state record (little-endian long, then its complement). */
    static long record(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file))
                .order(ByteOrder.LITTLE_ENDIAN)
                .getLong();
    }

    /** a sends message 0, b takes and acknowledges it: both sides stand at 1. */
    private FileTransport[] atOne() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        assertTrue(b.receive(A, SHORT).isEmpty()); // acknowledges 0
        return new FileTransport[] {a, b};
    }

    @Test
    void rejectedFileIsQuarantinedAndTheGenuineMessageLaterSentUnderItsNumberIsDelivered() throws Exception {
        FileTransport[] ts = atOne();
        FileTransport a = ts[0];
        FileTransport b = ts[1];
        plant(ab(), "00000001.msg", numbered(666, 8));
        TestFiles.writeReady(ab(), 1);
        Message forged = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, forged.sequence());
        assertEquals(666, number(forged.payload()));

        b.reject(forged, "bad signature\n\u001b[31mred");

        Path q = TestFiles.quarantine(root, B, "a_to_b");
        assertEquals(List.of("00000001.msg", "00000001.msg.reason"), names(q));
        assertEquals(
                "bad signature??[31mred",
                Files.readString(q.resolve("00000001.msg.reason")).strip(),
                "one line, no control characters");
        assertFalse(Files.exists(ab().resolve("00000001.msg")));
        assertTrue(Files.exists(ab().resolve("00000001.ready")), "the marker stays: the genuine sender keeps it");
        assertTrue(b.receive(A, SHORT).isEmpty(), "the forgery is not offered again");
        assertEquals(1, b.stats().rejected());
        assertEquals(1, record(TestFiles.cursorFile(root, A, B)), "the cursor did not move");

        a.send(B, numbered(1, 8)); // the sender's own record says 1
        Message genuine = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, genuine.sequence());
        assertEquals(1, number(genuine.payload()));
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertEquals(2, record(TestFiles.cursorFile(root, A, B)));
        assertFalse(Files.exists(ab().resolve("00000001.ready")), "acknowledged as usual");
    }

    @Test
    void genuineMessageTurnedIntoASyncthingConflictCopyIsDeliveredAfterTheForgeryAtTheCanonicalName() throws Exception {
        FileTransport[] ts = atOne();
        FileTransport a = ts[0];
        FileTransport b = ts[1];
        a.send(B, numbered(1, 8));
        // A sync engine met two versions of 00000001.msg: the forgery won the name, the genuine one
        // became a conflict copy.
        Files.move(ab().resolve("00000001.msg"), ab().resolve(SYNCTHING_COPY));
        plant(ab(), "00000001.msg", numbered(666, 8));

        Message forged = b.receive(A, WAIT).orElseThrow();
        assertEquals(666, number(forged.payload()), "the canonical name is looked at first");
        b.reject(forged, "bad signature");
        Message genuine = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, genuine.sequence());
        assertEquals(1, number(genuine.payload()));

        a.send(B, numbered(2, 8));
        assertEquals(2, b.receive(A, WAIT).orElseThrow().sequence());
        assertFalse(Files.exists(ab().resolve(SYNCTHING_COPY)), "the delivered copy is consumed");
        assertEquals(List.of("00000001.msg", "00000001.msg.reason"), names(TestFiles.quarantine(root, B, "a_to_b")));
    }

    @Test
    void syftBoxConflictCopyIsACandidateWhenTheCanonicalFileIsMissing() throws Exception {
        FileTransport[] ts = atOne();
        FileTransport b = ts[1];
        ts[0].send(B, numbered(1, 8));
        Files.move(ab().resolve("00000001.msg"), ab().resolve("00000001.msg.conflict.20261204223000"));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertEquals(1, number(m.payload()));
    }

    @Test
    void conflictCopiesAreOnlyCandidatesWhenTheCanonicalFileIsMissingOrRejected() throws Exception {
        FileTransport[] ts = atOne();
        FileTransport b = ts[1];
        ts[0].send(B, numbered(1, 8));
        plant(ab(), SYNCTHING_COPY, numbered(666, 8));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, number(m.payload()), "the canonical file wins");
        assertTrue(b.receive(A, SHORT).isEmpty(), "the copy is not a second message 1");
        assertTrue(Files.exists(ab().resolve(SYNCTHING_COPY)), "a copy below the cursor is left alone");
    }

    @Test
    void wrongSizedConflictCopyIsSkippedAndLeftInPlace() throws Exception {
        FileTransport[] ts = atOne();
        FileTransport b = ts[1];
        TestFiles.writeReady(ab(), 1);
        Files.write(ab().resolve(SYNCTHING_COPY), FrameCodec.header(100)); // says 100 bytes, has none
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertTrue(Files.exists(ab().resolve(SYNCTHING_COPY)));
        assertEquals(0, b.stats().quarantined());
        ts[0].send(B, numbered(1, 8));
        assertEquals(1, number(b.receive(A, WAIT).orElseThrow().payload()));
    }

    @Test
    void cursorStaysAtTheRejectedNumberAcrossARestart() throws Exception {
        FileTransport[] ts = atOne();
        FileTransport a = ts[0];
        FileTransport b = ts[1];
        plant(ab(), "00000001.msg", numbered(666, 8));
        TestFiles.writeReady(ab(), 1);
        b.reject(b.receive(A, WAIT).orElseThrow(), "bad signature");
        b.close(); // acknowledges what was returned: nothing, after the reject
        assertEquals(1, record(TestFiles.cursorFile(root, A, B)));

        FileTransport b2 = open(B);
        assertTrue(b2.receive(A, SHORT).isEmpty(), "the quarantined forgery is not read again");
        a.send(B, numbered(1, 8));
        Message m = b2.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertEquals(1, number(m.payload()));
    }

    @Test
    void genuineFileThatReplacedTheRejectedOneBeforeTheRejectStaysAndIsDelivered() throws Exception {
        FileTransport[] ts = atOne();
        FileTransport a = ts[0];
        FileTransport b = ts[1];
        plant(ab(), "00000001.msg", numbered(666, 8));
        TestFiles.writeReady(ab(), 1);
        Message forged = b.receive(A, WAIT).orElseThrow();
        a.send(B, numbered(1, 8)); // the sender's rename replaces the forgery after it was read
        b.reject(forged, "bad signature");
        assertTrue(Files.exists(ab().resolve("00000001.msg")), "the genuine file was not moved");
        assertTrue(names(TestFiles.quarantine(root, B, "a_to_b")).isEmpty());
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertEquals(1, number(m.payload()));
    }

    @Test
    void rejectedFileThatCannotBeMovedIsNotOfferedAgain(@TempDir Path state) throws Exception {
        // The quarantine on another file system: no rename, so the forgery stays in the channel.
        try (FileSystem fs = TestFiles.jimfs()) {
            Path r = fs.getPath("/r");
            FileTransport a = open(FileTransport.builder(r, A));
            FileTransport b = open(FileTransport.builder(r, B).stateDir(state.resolve("b")));
            Path ab = r.resolve("a_to_b");
            a.send(B, numbered(0, 8));
            assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
            plant(ab, "00000001.msg", numbered(666, 8));
            TestFiles.writeReady(ab, 1);
            Message forged = b.receive(A, WAIT).orElseThrow();
            b.reject(forged, "bad signature");
            assertTrue(Files.exists(ab.resolve("00000001.msg")), "left in place");
            for (int i = 0; i < 3; i++) {
                assertTrue(b.receive(A, SHORT).isEmpty(), "never offered again");
            }
            assertEquals(2, b.stats().delivered(), "message 0 and the forgery, once");
            plant(
                    ab,
                    "00000001.msg",
                    numbered(1, 8)); // another file replaces the forgery (Jimfs: not by a rename onto it)
            Message m = b.receive(A, WAIT).orElseThrow();
            assertEquals(1, m.sequence());
            assertEquals(1, number(m.payload()));
            a.close();
            b.close();
        }
    }

    @Test
    void onlyTheLastUnacknowledgedMessageCanBeRejected() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, numbered(0, 8));
        a.send(B, numbered(1, 8));
        Message m0 = b.receive(A, WAIT).orElseThrow();
        Message m1 = b.receive(A, WAIT).orElseThrow(); // acknowledges 0
        assertThrows(IllegalStateException.class, () -> b.reject(m0, "too late"));
        b.reject(m1, "refused");
        assertThrows(IllegalStateException.class, () -> b.reject(m1, "twice"));
        b.close();
        assertThrows(io.formix.transport.TransportClosedException.class, () -> b.reject(m1, "closed"));
    }

    @Test
    void conflictCopyNames() {
        assertEquals(4, ChannelNames.conflictCopyOf("00000004.sync-conflict-20261204-223000-ABCDEFG.msg"));
        assertEquals(4, ChannelNames.conflictCopyOf("00000004.msg.conflict.20261204223000"));
        assertEquals(4, ChannelNames.conflictCopyOf("00000004.msg.conflict.2026-12-04T22:30:00Z"));
        assertEquals(123456789, ChannelNames.conflictCopyOf("123456789.sync-conflict-20261204-223000-ABCDEFG.msg"));
        for (String not : List.of(
                "00000004.msg",
                "0000004.sync-conflict-20261204-223000-ABCDEFG.msg",
                "00000004.sync-conflict-20261204-223000-abcdefg.msg",
                "00000004.sync-conflict-2026120-223000-ABCDEFG.msg",
                "00000004.sync-conflict-20261204-223000-ABCDEFG.ready",
                "00000004.sync-conflict-20261204-223000-ABC.msg",
                "00000004.msg.conflict.",
                "00000004.msg.conflict.a/b",
                "00000004.ready.conflict.1",
                "x00000004.sync-conflict-20261204-223000-ABCDEFG.msg",
                "00000004.msg.conflict.1\u001b")) {
            assertEquals(-1, ChannelNames.conflictCopyOf(not), not);
            assertEquals(ChannelNames.Kind.IGNORED == ChannelNames.kind(not), !not.equals("00000004.msg"));
        }
        // Conflict copies stay ignored names: counted, never parsed as messages by the listing.
        assertEquals(
                ChannelNames.Kind.IGNORED, ChannelNames.kind("00000004.sync-conflict-20261204-223000-ABCDEFG.msg"));
    }
}
