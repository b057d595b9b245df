package io.formix.transport.file;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SyftBox layout on one shared datasites folder (no sync delay): where files go, what the
 * markers, permission files and acknowledgements hold, and every kind of bad input the issue
 * names: hash mismatch, acknowledgements backwards or beyond what was sent, permission files
 * written by someone else, missing datasites, lost state, sync engines' copies.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyftboxLayoutTest {

    static final PartyId A = PartyId.of("0");
    static final PartyId B = PartyId.of("1");
    static final Map<PartyId, String> EMAILS = Map.of(A, "alice@example.org", B, "bob@example.org");
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private final List<FileTransport> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (FileTransport t : open) {
            t.close();
        }
    }

    Path datasites() {
        return dir.resolve("datasites");
    }

    FileTransport open(PartyId self) throws IOException {
        return open(self, dir.resolve("state-" + self.value()));
    }

    FileTransport open(PartyId self, Path state) throws IOException {
        FileTransport t = FileTransport.builder(dir.resolve("local"), self)
                .stateDir(state)
                .rescanInterval(Duration.ofMillis(50))
                .maxMessageBytes(4096)
                .layout(ChannelLayout.syftbox(datasites(), EMAILS.get(self), EMAILS))
                .open();
        open.add(t);
        return t;
    }

    void close(FileTransport t) throws IOException {
        open.remove(t);
        t.close();
    }

    Path outDir() {
        return datasites().resolve("alice@example.org/app_data/formix/0_to_1");
    }

    Path ackDir() {
        return datasites().resolve("bob@example.org/app_data/formix/acks/0_to_1");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void senderWritesInItsOwnDatasiteWithAVerifiableMarkerAndAReadGrantForTheReceiverOnly() throws Exception {
        FileTransport a = open(A);
        a.send(B, bytes("hello"));
        Path msg = outDir().resolve("00000000.msg.request");
        byte[] file = Files.readAllBytes(msg);
        assertArrayEquals(FrameCodec.encode(bytes("hello")), file, "the message file is wire format v1 bytes");
        String marker = Files.readString(outDir().resolve("00000000.ready.request"), StandardCharsets.US_ASCII);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));
        assertEquals(file.length + " " + sha + "\n", marker);
        String yaml = Files.readString(outDir().resolve("syft.pub.yaml"));
        assertTrue(yaml.contains("read: [\"bob@example.org\"]"), yaml);
        assertFalse(yaml.contains("alice@example.org"), "the owner needs no grant; nobody else gets one");
        assertTrue(yaml.contains("write: []"), yaml);
        try (var s = Files.list(outDir())) {
            assertEquals(
                    List.of("00000000.msg.request", "00000000.ready.request", "syft.pub.yaml"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temp file is left");
        }
    }

    @Test
    void receiverAcknowledgesInItsOwnDatasiteAndTheSenderDeletes() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, bytes("m0"));
        a.send(B, bytes("m1"));
        assertEquals("m0", new String(b.receive(A, WAIT).orElseThrow().payload(), StandardCharsets.UTF_8));
        assertEquals("m1", new String(b.receive(A, WAIT).orElseThrow().payload(), StandardCharsets.UTF_8));
        assertTrue(b.receive(A, SHORT).isEmpty()); // acknowledges both
        assertTrue(
                Files.exists(outDir().resolve("00000001.msg.request")), "the receiver deletes nothing of the sender's");
        assertEquals("2\n", Files.readString(ackDir().resolve("ack.request")));
        assertTrue(Files.readString(ackDir().resolve("syft.pub.yaml")).contains("read: [\"alice@example.org\"]"));
        a.send(B, bytes("m2")); // the sender collects acknowledgements before each send
        assertFalse(Files.exists(outDir().resolve("00000000.msg.request")));
        assertFalse(Files.exists(outDir().resolve("00000001.ready.request")));
        assertTrue(Files.exists(outDir().resolve("00000002.msg.request")));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(2, m.sequence());
    }

    @Test
    void aMessageWhoseHashDoesNotMatchItsMarkerIsRefusedInPlaceOnceAndTheGenuineOneArrivesUnderItsNumber()
            throws Exception {
        FileTransport a = open(A);
        a.send(B, bytes("genuine"));
        Path msg = outDir().resolve("00000000.msg.request");
        byte[] good = Files.readAllBytes(msg);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        Files.write(msg, bad);
        FileTransport b = open(B);
        CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertEquals(0, e.sequence());
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(b.receive(A, SHORT).isEmpty(), "refused once, not again at every poll");
        assertArrayEquals(bad, Files.readAllBytes(msg), "the sender's file is left where it is");
        assertEquals(1, b.stats().quarantined());
        try (var s = Files.list(b.stateDir().resolve("quarantine/0_to_1"))) {
            assertEquals(1, s.count(), "a copy is kept as evidence");
        }
        Path temp = msg.resolveSibling("replacement.tmp");
        Files.write(temp, good);
        Files.move(
                temp,
                msg,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(0, m.sequence());
        assertEquals("genuine", new String(m.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void acknowledgementsBeyondWhatWasSentOrGoingBackwardsAreIgnored() throws Exception {
        FileTransport a = open(A);
        for (int i = 0; i < 3; i++) {
            a.send(B, bytes("m" + i));
        }
        Files.createDirectories(ackDir());
        Files.writeString(ackDir().resolve("ack.request"), "9\n");
        a.send(B, bytes("m3"));
        assertTrue(
                Files.exists(outDir().resolve("00000000.msg.request")), "an ack beyond what was sent deletes nothing");
        Files.writeString(ackDir().resolve("ack.request"), "2\n");
        a.send(B, bytes("m4"));
        assertFalse(Files.exists(outDir().resolve("00000001.msg.request")), "a valid ack deletes below it");
        assertTrue(Files.exists(outDir().resolve("00000002.msg.request")));
        Files.writeString(ackDir().resolve("ack.request"), "1\n");
        a.send(B, bytes("m5"));
        Files.writeString(ackDir().resolve("ack.request"), "not a number\n");
        a.send(B, bytes("m6"));
        assertTrue(Files.exists(outDir().resolve("00000002.msg.request")), "backwards or garbage: nothing happens");
        Files.writeString(ackDir().resolve("ack.request"), "2\n");
        FileTransport b = open(B); // its cursor starts from its own ack (2): 0 and 1 are never delivered again
        assertEquals(2, b.receive(A, WAIT).orElseThrow().sequence());
    }

    @Test
    void aPermissionFileWrittenBySomeoneElseIsReplaced() throws Exception {
        Files.createDirectories(outDir());
        Files.writeString(
                outDir().resolve("syft.pub.yaml"), "rules:\n  - pattern: \"**\"\n    access:\n      read: [\"*\"]\n");
        FileTransport a = open(A);
        a.send(B, bytes("x"));
        String yaml = Files.readString(outDir().resolve("syft.pub.yaml"));
        assertTrue(yaml.contains("read: [\"bob@example.org\"]") && !yaml.contains("\"*\""), yaml);
    }

    @Test
    void numbersAreNeverReusedWhenTheSendersStateIsLostAfterEverythingWasAcknowledged() throws Exception {
        FileTransport a = open(A, dir.resolve("state-a1"));
        FileTransport b = open(B);
        for (int i = 0; i < 3; i++) {
            a.send(B, bytes("m" + i));
            assertEquals(i, b.receive(A, WAIT).orElseThrow().sequence());
        }
        assertTrue(b.receive(A, SHORT).isEmpty());
        close(a);
        a = open(A, dir.resolve("state-a1"));
        a.send(B, bytes("m3")); // deletes 0..2: the folder holds only 3 now
        close(a);
        a = open(A, dir.resolve("state-a2-fresh")); // state lost
        a.send(B, bytes("m4"));
        Message m3 = b.receive(A, WAIT).orElseThrow();
        Message m4 = b.receive(A, WAIT).orElseThrow();
        assertEquals(List.of(3L, 4L), List.of(m3.sequence(), m4.sequence()));
        assertEquals("m4", new String(m4.payload(), StandardCharsets.UTF_8));
    }

    @Test
    void receiverWithLostStateContinuesAfterItsOwnAcknowledgement() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B, dir.resolve("state-b1"));
        a.send(B, bytes("m0"));
        a.send(B, bytes("m1"));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        close(b); // acknowledges 0 only
        b = open(B, dir.resolve("state-b2-fresh"));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence(), "0 is not delivered twice");
    }

    @Test
    void aMissingPeerDatasiteIsWaitedForAndSyncCopiesAreIgnoredAndCounted() throws Exception {
        FileTransport b = open(B);
        assertTrue(b.receive(A, SHORT).isEmpty(), "no datasite of alice yet: no error");
        FileTransport a = open(A);
        a.send(B, bytes("m0"));
        Files.write(outDir().resolve("00000001.msg.rejected.request"), bytes("junk"));
        Files.write(outDir().resolve("00000001.ready.conflict.20261205010101.request"), bytes("junk"));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        assertTrue(b.receive(A, SHORT).isEmpty(), "the copies are not messages");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (b.stats().ignoredFiles() < 2 && System.nanoTime() < deadline) {
            b.receive(A, SHORT); // the periodic listing counts them
        }
        assertEquals(2, b.stats().ignoredFiles());
    }

    @Test
    void emailsThatCouldEscapeTheirFolderAreRefused() {
        for (String bad : List.of(
                "../x@y.org",
                "a/b@c.org",
                ".a@b.org",
                "a..b@c.org",
                "a@b..org",
                "a@",
                "@b",
                "a@b/../c",
                "a b@c.org",
                "a@b.org\n",
                "")) {
            assertThrows(IllegalArgumentException.class, () -> ChannelLayout.requireEmail(bad), bad);
        }
        assertEquals("first.last+tag@sub.example.org", ChannelLayout.requireEmail("first.last+tag@sub.example.org"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ChannelLayout.syftbox(
                        datasites(), "alice@example.org", Map.of(A, "alice@example.org", B, "bob@example.org/..")));
        assertThrows(
                IllegalArgumentException.class, () -> ChannelLayout.syftbox(datasites(), "carol@example.org", EMAILS));
    }

    @Test
    void partiesOfOneHostShareItsDatasite() throws Exception {
        PartyId c = PartyId.of("2");
        Map<PartyId, String> table = Map.of(A, "alice@example.org", B, "bob@example.org", c, "alice@example.org");
        FileTransport a = FileTransport.builder(dir.resolve("local"), A)
                .stateDir(dir.resolve("sa"))
                .rescanInterval(Duration.ofMillis(50))
                .layout(ChannelLayout.syftbox(datasites(), "alice@example.org", table))
                .open();
        open.add(a);
        FileTransport two = FileTransport.builder(dir.resolve("local"), c)
                .stateDir(dir.resolve("sc"))
                .rescanInterval(Duration.ofMillis(50))
                .layout(ChannelLayout.syftbox(datasites(), "alice@example.org", table))
                .open();
        open.add(two);
        a.send(c, bytes("next door"));
        assertEquals("next door", new String(two.receive(A, WAIT).orElseThrow().payload(), StandardCharsets.UTF_8));
        assertTrue(two.receive(A, SHORT).isEmpty());
        assertEquals(
                "1\n",
                Files.readString(datasites().resolve("alice@example.org/app_data/formix/acks/0_to_2/ack.request")));
    }

    @Test
    void anIdleSenderDeletesWhatWasAcknowledgedWhileItWaitsForMessages() throws Exception {
        FileTransport a = open(A);
        FileTransport b = open(B);
        a.send(B, bytes("only"));
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        assertTrue(b.receive(A, SHORT).isEmpty()); // acknowledged
        Path msg = outDir().resolve("00000000.msg.request");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Files.exists(msg) && System.nanoTime() < deadline) {
            a.receive(B, SHORT); // no send: the receive loop collects acknowledgements each rescan
        }
        assertFalse(Files.exists(msg));
        assertFalse(Files.exists(outDir().resolve("00000000.ready.request")));
    }

    @Test
    void aConflictCopyIsACandidateOnlyIfItMatchesTheMarker() throws Exception {
        FileTransport a = open(A);
        a.send(B, bytes("genuine"));
        Path msg = outDir().resolve("00000000.msg.request");
        byte[] good = Files.readAllBytes(msg);
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 1;
        Files.write(msg, bad);
        Files.write(outDir().resolve("00000000.msg.conflict.20261205010101.request"), bad);
        FileTransport b = open(B);
        assertThrows(CorruptMessageException.class, () -> b.receive(A, WAIT));
        assertTrue(b.receive(A, SHORT).isEmpty(), "the copy with the same wrong bytes is not taken either");
        Files.write(outDir().resolve("00000000.msg.conflict.request"), good);
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(0, m.sequence());
        assertEquals("genuine", new String(m.payload(), StandardCharsets.UTF_8));
    }
}
