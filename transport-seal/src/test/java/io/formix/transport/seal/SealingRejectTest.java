package io.formix.transport.seal;

import static io.formix.transport.seal.Fixture.A;
import static io.formix.transport.seal.Fixture.B;
import static io.formix.transport.seal.Fixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.RejectingTransport;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused envelope does not use up its file transport number: forgeries planted at the next
 * number, conflict copies, copies of genuine messages, restarts and crash redelivery, over the real
 * {@link FileTransport} on disk. Fixed clocks; no sleeps.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SealingRejectTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration SHORT = Duration.ofMillis(300);
    static final String SYNCTHING_COPY = "00000001.sync-conflict-20261204-223000-ABCDEFG.msg";

    private final Fixture f = new Fixture();

    @TempDir
    Path root;

    private final List<Transport> opened = new ArrayList<>();
    private final List<Rejection> told = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Transport t : opened) {
            t.close();
        }
    }

    private SealingTransport open(PartyId self) throws Exception {
        FileTransport file = FileTransport.builder(root, self)
                .rescanInterval(Duration.ofMillis(50))
                .clock(f.clock)
                .open();
        SealingTransport t = SealingTransport.builder(file, f.keys.get(self), f.net, f.directory())
                .clock(f.clock)
                .rejectionListener(told::add)
                .build();
        opened.add(t);
        return t;
    }

    private Path ab() {
        return root.resolve("a_to_b");
    }

    private Path quarantine() {
        return root.resolve(".formix-local/b/quarantine/a_to_b");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An envelope that claims to come from a, signed by a key that is not a's, with a huge counter. */
    private byte[] forgery() {
        Header h = new Header(
                f.net,
                A,
                B,
                Long.MAX_VALUE / 2,
                f.keys.get(B).encryptionKeys().get(0).kid(),
                Bytes.random(16),
                T0.getEpochSecond());
        return Forge.envelope(
                IdentityKey.generate(), h, f.keys.get(B).encryptionKeys().get(0).publicKey(), bytes("forged share"));
    }

    /** Writes {@code envelope} as the frame {@code name}, through a temp file and a rename, as a sync engine would. */
    private void plant(String name, byte[] envelope) throws IOException {
        Files.createDirectories(ab());
        Path tmp = ab().resolve(".plant.tmp");
        Files.write(tmp, FrameCodec.encode(envelope));
        Files.move(tmp, ab().resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void marker(long n) throws IOException {
        Path p = ab().resolve(String.format("%08d.ready", n));
        if (!Files.exists(p)) {
            Files.createFile(p);
        }
    }

    private long cursor() throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(root.resolve(".formix-local/b/a_to_b.cursor")))
                .order(ByteOrder.LITTLE_ENDIAN)
                .getLong();
    }

    private void writeCursor(long n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(n)
                .putLong(~n);
        Files.write(root.resolve(".formix-local/b/a_to_b.cursor"), b.array());
    }

    /** a sends message 0 and b accepts and acknowledges it, so both stand at number 1. */
    private SealingTransport[] atOne() throws Exception {
        SealingTransport a = open(A);
        SealingTransport b = open(B);
        a.send(B, bytes("m0"));
        assertArrayEquals(bytes("m0"), b.receive(A, WAIT).orElseThrow().payload());
        assertTrue(b.receive(A, SHORT).isEmpty());
        return new SealingTransport[] {a, b};
    }

    @Test
    void forgeryPlantedAtTheNextNumberIsQuarantinedAndTheGenuineMessageArrivesWithThatNumber() throws Exception {
        SealingTransport[] ts = atOne();
        SealingTransport a = ts[0];
        SealingTransport b = ts[1];
        plant("00000001.msg", forgery());
        marker(1);
        assertTrue(b.receive(A, SHORT).isEmpty(), "the forgery is refused");
        assertEquals(1, b.rejectedCount());
        assertEquals(Step.SIGNATURE, told.get(0).step());
        assertEquals(1, told.get(0).sequence());
        assertTrue(Files.exists(quarantine().resolve("00000001.msg")));
        assertTrue(Files.readString(quarantine().resolve("00000001.msg.reason")).startsWith("bad signature"));
        assertEquals(1, cursor(), "number 1 is not used up");

        a.send(B, bytes("m1"));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertArrayEquals(bytes("m1"), m.payload());
    }

    @Test
    void genuineMessageTurnedIntoASyncthingConflictCopyIsDelivered() throws Exception {
        SealingTransport[] ts = atOne();
        SealingTransport a = ts[0];
        SealingTransport b = ts[1];
        a.send(B, bytes("m1"));
        // The forgery took the canonical name; the genuine file became the conflict copy.
        Files.move(ab().resolve("00000001.msg"), ab().resolve(SYNCTHING_COPY));
        plant("00000001.msg", forgery());
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertArrayEquals(bytes("m1"), m.payload());
        assertEquals(1, b.rejectedCount());
        a.send(B, bytes("m2"));
        Message m2 = b.receive(A, WAIT).orElseThrow();
        assertEquals(2, m2.sequence());
        assertArrayEquals(bytes("m2"), m2.payload());
    }

    @Test
    void theSameForgeryIsRefusedOnceNotInALoop() throws Exception {
        SealingTransport b = atOne()[1];
        plant("00000001.msg", forgery());
        marker(1);
        for (int i = 0; i < 4; i++) {
            assertTrue(b.receive(A, SHORT).isEmpty());
        }
        assertEquals(1, b.rejectedCount());
        assertEquals(1, told.size());
        // A second, different forgery for the same number is a new file: refused once as well.
        plant("00000001.msg", forgery());
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertEquals(2, b.rejectedCount());
        assertTrue(Files.exists(quarantine().resolve("00000001.msg.1")));
    }

    @Test
    void cursorStaysAtTheRejectedNumberAcrossAReceiverRestart() throws Exception {
        SealingTransport[] ts = atOne();
        SealingTransport a = ts[0];
        ts[1].receive(A, SHORT); // nothing yet
        plant("00000001.msg", forgery());
        marker(1);
        assertTrue(ts[1].receive(A, SHORT).isEmpty());
        ts[1].close();
        assertEquals(1, cursor());

        SealingTransport b2 = open(B);
        assertTrue(b2.receive(A, SHORT).isEmpty(), "the quarantined forgery is not read again");
        a.send(B, bytes("m1"));
        Message m = b2.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertArrayEquals(bytes("m1"), m.payload());
        assertEquals(0, b2.rejectedCount());
    }

    @Test
    void genuineMessageCopiedToALaterNumberIsRefusedAndTheRealMessageAtThatNumberArrives() throws Exception {
        SealingTransport a = open(A);
        SealingTransport b = open(B);
        a.send(B, bytes("m0"));
        assertArrayEquals(bytes("m0"), b.receive(A, WAIT).orElseThrow().payload());
        byte[] frame0 = Files.readAllBytes(ab().resolve("00000000.msg"));
        byte[] envelope0 = java.util.Arrays.copyOfRange(frame0, FrameCodec.HEADER_BYTES, frame0.length);
        plant("00000001.msg", envelope0);
        marker(1);
        assertTrue(b.receive(A, SHORT).isEmpty(), "the copy is not delivered");
        assertEquals(1, b.duplicateCount(), "a replayed message id is counted");
        assertEquals(0, b.rejectedCount());
        assertEquals(Step.DUPLICATE, told.get(0).step());
        assertEquals(1, told.get(0).sequence());
        assertTrue(Files.exists(quarantine().resolve("00000001.msg")), "set aside, not acknowledged");
        assertEquals(1, cursor());

        a.send(B, bytes("m1"));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertArrayEquals(bytes("m1"), m.payload());
    }

    @Test
    void headerCarriesTheFileTransportNumber() throws Exception {
        SealingTransport a = open(A);
        a.send(B, bytes("m0"));
        a.send(B, bytes("m1"));
        for (int n = 0; n < 2; n++) {
            byte[] frame = Files.readAllBytes(ab().resolve(String.format("%08d.msg", n)));
            Header h = Forge.header(java.util.Arrays.copyOfRange(frame, FrameCodec.HEADER_BYTES, frame.length));
            assertEquals(n, h.seq());
        }
    }

    @Test
    void genuineMessageCopiedToALaterNumberAfterAReceiverRestartIsRefusedByItsNumber() throws Exception {
        SealingTransport a = open(A);
        SealingTransport b = open(B);
        a.send(B, bytes("m0"));
        byte[] frame0 = Files.readAllBytes(ab().resolve("00000000.msg"));
        assertArrayEquals(bytes("m0"), b.receive(A, WAIT).orElseThrow().payload());
        b.close(); // acknowledges 0; the restarted receiver remembers no message id
        plant("00000001.msg", java.util.Arrays.copyOfRange(frame0, FrameCodec.HEADER_BYTES, frame0.length));
        marker(1);

        SealingTransport b2 = open(B);
        assertTrue(b2.receive(A, SHORT).isEmpty(), "the replayed message is not delivered");
        assertEquals(1, b2.rejectedCount());
        assertEquals(Step.SEQUENCE, told.get(0).step());
        assertEquals(1, cursor());
        a.send(B, bytes("m1"));
        Message m = b2.receive(A, WAIT).orElseThrow();
        assertEquals(1, m.sequence());
        assertArrayEquals(bytes("m1"), m.payload());
    }

    @Test
    void crashRedeliveryAfterAReceiverRestartIsDeliveredAgainWithTheSameSequence() throws Exception {
        SealingTransport a = open(A);
        SealingTransport b = open(B);
        a.send(B, bytes("m0"));
        Message first = b.receive(A, WAIT).orElseThrow();
        byte[] frame = Files.readAllBytes(ab().resolve("00000000.msg"));
        b.close();
        // What a receiver killed before its acknowledgement leaves: cursor 0, the files in place.
        Files.write(ab().resolve("00000000.msg"), frame);
        marker(0);
        writeCursor(0);

        SealingTransport b2 = open(B);
        Message again = b2.receive(A, WAIT).orElseThrow();
        assertEquals(first.sequence(), again.sequence());
        assertArrayEquals(first.payload(), again.payload());
        assertEquals(0, b2.rejectedCount());
        assertEquals(0, b2.duplicateCount());
        a.send(B, bytes("m1"));
        assertEquals(1, b2.receive(A, WAIT).orElseThrow().sequence());
    }

    @Test
    void messageStampedInTheFutureIsAcknowledgedSoTheChannelMovesOn() throws Exception {
        SealingTransport[] ts = atOne();
        SealingTransport a = ts[0];
        SealingTransport b = ts[1];
        // Only a's own key can make this (signed by a): setting it aside would only stall the channel.
        Header h = new Header(
                f.net,
                A,
                B,
                Long.MAX_VALUE / 2,
                f.keys.get(B).encryptionKeys().get(0).kid(),
                Bytes.random(16),
                T0.plus(Duration.ofDays(1)).getEpochSecond());
        plant(
                "00000001.msg",
                Forge.envelope(
                        f.keys.get(A).identity(),
                        h,
                        f.keys.get(B).encryptionKeys().get(0).publicKey(),
                        bytes("late")));
        marker(1);
        assertTrue(b.receive(A, SHORT).isEmpty());
        assertEquals(Step.TIMESTAMP, told.get(0).step());
        assertFalse(Files.exists(quarantine().resolve("00000001.msg")), "not set aside");
        assertTrue(b.receive(A, SHORT).isEmpty()); // acknowledges it
        assertEquals(2, cursor());
    }

    /** A rejecting transport scripted by the test, recording what was handed back. */
    private static final class Rejecting implements RejectingTransport {
        final ScriptedTransport inner;
        final List<Message> rejected = new ArrayList<>();

        Rejecting(PartyId self) {
            inner = new ScriptedTransport(self);
        }

        @Override
        public void reject(Message m, String reason) {
            rejected.add(m);
        }

        @Override
        public PartyId self() {
            return inner.self();
        }

        @Override
        public void send(PartyId to, byte[] payload) {
            inner.send(to, payload);
        }

        @Override
        public Optional<Message> receive(PartyId from, Duration timeout) throws IOException {
            return inner.receive(from, timeout);
        }

        @Override
        public Optional<Message> receiveAny(Duration timeout) throws IOException {
            return inner.receiveAny(timeout);
        }

        @Override
        public int maxMessageBytes() {
            return inner.maxMessageBytes();
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void sameIdAtTheSameNumberIsIgnoredAndAtAnotherNumberHandedBack() throws Exception {
        ScriptedTransport out = new ScriptedTransport(A);
        SealingTransport a = SealingTransport.builder(out, f.keys.get(A), f.net, f.directory())
                .clock(f.clock)
                .build();
        a.send(B, bytes("m0"));
        Rejecting in = new Rejecting(B);
        SealingTransport b = SealingTransport.builder(in, f.keys.get(B), f.net, f.directory())
                .clock(f.clock)
                .rejectionListener(told::add)
                .build();
        in.inner.deliver(A, 0, out.sent.get(0));
        in.inner.deliver(A, 0, out.sent.get(0)); // the transport delivers it again: harmless
        in.inner.deliver(A, 5, out.sent.get(0)); // a copy at another number
        in.inner.deliver(A, 6, forgery());
        assertArrayEquals(bytes("m0"), b.receive(A, Duration.ZERO).orElseThrow().payload());
        assertTrue(b.receive(A, Duration.ZERO).isEmpty());
        assertEquals(2, b.duplicateCount());
        assertEquals(1, b.rejectedCount());
        assertEquals(
                List.of(5L, 6L),
                in.rejected.stream().map(Message::sequence).toList(),
                "the copy and the forgery are handed back, the redelivery is not");
    }
}
