package io.formix.transport.file;

import static io.formix.transport.file.TestFiles.names;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bytes and names on disk are exactly wire format v1, and hand-written files are read. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WireFormatTest extends JimfsChannelFixture {

    @Test
    void messageFileIsLittleEndianLengthThenPayloadAndMarkerIsEmpty() throws Exception {
        FileTransport a = open(FileTransport.builder(root, A));
        byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
        a.send(B, payload);
        a.send(B, new byte[300]);
        byte[] onDisk = Files.readAllBytes(ab.resolve("00000000.msg"));
        assertArrayEquals(new byte[] {5, 0, 0, 0, 0, 0, 0, 0, 'h', 'e', 'l', 'l', 'o'}, onDisk);
        byte[] second = Files.readAllBytes(ab.resolve("00000001.msg"));
        assertArrayEquals(new byte[] {44, 1, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(second, 8));
        assertEquals(308, second.length);
        assertEquals(0, Files.size(ab.resolve("00000000.ready")));
        assertEquals(0, Files.size(ab.resolve("00000001.ready")));
        assertEquals(List.of("00000000.msg", "00000000.ready", "00000001.msg", "00000001.ready"), visible());
        assertFalse(names(ab).stream().anyMatch(ChannelNames::isTemp), "no temp file left behind");
    }

    @Test
    void writesTempThenRenamesThenMarksInThatOrder() throws Exception {
        List<String> calls = new ArrayList<>();
        FileOps recording = new FileOps() {
            @Override
            public void write(Path file, byte[] header, byte[] payload, boolean force) throws IOException {
                calls.add("write " + file.getFileName() + (force ? " forced" : ""));
                FileOps.REAL.write(file, header, payload, force);
            }

            @Override
            public void moveAtomic(Path from, Path to) throws IOException {
                assertFalse(Files.exists(from.resolveSibling(ChannelNames.ready(0))), "marker before rename");
                calls.add("rename " + from.getFileName() + " -> " + to.getFileName());
                FileOps.REAL.moveAtomic(from, to);
            }

            @Override
            public void createEmpty(Path file) throws IOException {
                calls.add("create " + file.getFileName());
                FileOps.REAL.createEmpty(file);
            }

            @Override
            public void createLink(Path link, Path existing) throws IOException {
                calls.add("link " + link.getFileName());
                FileOps.REAL.createLink(link, existing);
            }

            @Override
            public void forceDirectory(Path dir) throws IOException {
                calls.add("force " + dir.getFileName());
            }
        };
        FileTransport a = open(FileTransport.builder(root, A).durable(true).fileOps(recording));
        a.send(B, new byte[] {1});
        calls.removeIf(c -> c.contains("marker.template")); // the party's template, made once in its state folder
        assertEquals(
                List.of(
                        "write .tmp-00000000.msg forced",
                        "rename .tmp-00000000.msg -> 00000000.msg",
                        "force a_to_b",
                        "link 00000000.ready"),
                calls);
    }

    @Test
    void readsFilesWrittenByHandAsAnotherImplementationWould() throws Exception {
        TestFiles.writeMsg(ab, 0, "first".getBytes(StandardCharsets.US_ASCII));
        TestFiles.writeReady(ab, 0);
        FileTransport b = open(FileTransport.builder(root, B));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(0, m.sequence());
        assertArrayEquals("first".getBytes(StandardCharsets.US_ASCII), m.payload());
        // Written while b waits, directly (no temp, no rename): marker last, as sbproxy does.
        TestFiles.writeMsg(ab, 1, new byte[0]);
        TestFiles.writeReady(ab, 1);
        Message empty = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, empty.sequence());
        assertEquals(0, empty.payload().length);
        b.receive(A, Duration.ofMillis(1)); // acknowledges 1
        assertEquals(List.of(), visible(), "delivered files are deleted");
    }

    @Test
    void numbersPast99999999SimplyGetMoreDigits() throws Exception {
        // A long-lived channel: the sender's record and the receiver's cursor say 99 999 999 (kept
        // in the channel folder by an earlier version, migrated at open).
        Files.createDirectories(ab);
        new StateFiles(false).write(ab.resolve(ChannelNames.NEXT_FILE), 99_999_999L);
        new StateFiles(false).write(ab.resolve(ChannelNames.CURSOR_FILE), 99_999_999L);
        FileTransport a = open(FileTransport.builder(root, A));
        a.send(B, new byte[] {7});
        a.send(B, new byte[] {8});
        assertTrue(Files.exists(ab.resolve("99999999.msg")));
        assertTrue(Files.exists(ab.resolve("100000000.msg")));
        assertTrue(Files.exists(ab.resolve("100000000.ready")));
        FileTransport b = open(FileTransport.builder(root, B));
        assertEquals(99_999_999L, b.receive(A, WAIT).orElseThrow().sequence());
        assertEquals(100_000_000L, b.receive(A, WAIT).orElseThrow().sequence());
    }

    @Test
    void canonicalNamesOnly() {
        assertEquals("00000000", ChannelNames.number(0));
        assertEquals("00000042", ChannelNames.number(42));
        assertEquals("99999999", ChannelNames.number(99_999_999));
        assertEquals("100000000", ChannelNames.number(100_000_000));
        assertEquals(42, ChannelNames.sequenceOf("00000042.msg"));
        assertEquals(42, ChannelNames.sequenceOf("00000042.ready"));
        assertEquals(123_456_789, ChannelNames.sequenceOf("123456789.msg"));
        for (String bad : List.of(
                "0000042.msg",
                "000000042.msg",
                "0123456789.msg",
                "00000042.MSG",
                "00000042.Ready",
                ".00000042.msg",
                "00000042.msg.tmp",
                "00000042.sync-conflict-20260101-x.msg",
                "00000042.msg.sync-conflict-20260101",
                "+0000042.msg",
                "-0000042.msg",
                "0000004a.msg",
                "00000042.msg ",
                "00000042",
                "msg",
                "00000042.msgx",
                "9999999999999999999.msg",
                "０００００００１.msg")) {
            assertEquals(-1, ChannelNames.sequenceOf(bad), bad);
            assertEquals(ChannelNames.Kind.IGNORED, ChannelNames.kind(bad), bad);
        }
    }

    @Test
    void channelFolderNamesParseOneWayOnly() {
        assertEquals(A, ChannelNames.senderOf("a_to_b", B).orElseThrow());
        assertEquals(B, ChannelNames.receiverOf("a_to_b", A).orElseThrow());
        for (String bad : List.of("_to_b", "A_to_b", "a_to_b_to_b", "a.b_to_b", "b_to_b", "a-to-b", "a_to_bb")) {
            assertTrue(ChannelNames.senderOf(bad, B).isEmpty(), bad);
        }
        assertEquals(
                PartyId.of("0"),
                ChannelNames.senderOf("0_to_1", PartyId.of("1")).orElseThrow());
        assertEquals(FrameCodec.HEADER_BYTES, 8);
    }
}
