package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The in-hand copies that keep a taken message safe until it is written to the application. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class InboundGateTest {
    private static final PartyId P1 = PartyId.ofPid(1);
    private static final PartyId P2 = PartyId.ofPid(2);

    @TempDir
    Path dir;

    /** Hands out scripted messages; acknowledges nothing (the gate must not rely on it). */
    static final class Scripted implements Transport {
        final ArrayDeque<Message> queue = new ArrayDeque<>();

        @Override
        public PartyId self() {
            return PartyId.ofPid(0);
        }

        @Override
        public void send(PartyId to, byte[] payload) {
            throw new AssertionError("not used");
        }

        @Override
        public synchronized Optional<Message> receive(PartyId from, Duration timeout) {
            Message m = queue.peekFirst();
            if (m != null && m.from().equals(from)) {
                return Optional.of(queue.pollFirst());
            }
            return Optional.empty();
        }

        @Override
        public Optional<Message> receiveAny(Duration timeout) {
            throw new AssertionError("not used");
        }

        @Override
        public int maxMessageBytes() {
            return 1 << 20;
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void withSeveralLinksATakenMessageIsCopiedUntilWritten() throws Exception {
        Scripted t = new Scripted();
        t.queue.add(new Message(P1, 7, new byte[] {1, 2, 3}));
        InboundGate gate = new InboundGate(t, new Spool(dir, false, 1 << 20), 2, Duration.ofMillis(10));
        Message m = gate.take(P1).orElseThrow();
        assertTrue(Files.exists(dir.resolve("1.inhand")));
        gate.written(m);
        assertFalse(Files.exists(dir.resolve("1.inhand")));
    }

    @Test
    void withOneLinkNothingIsCopiedUnlessKeptAtShutdown() throws Exception {
        Scripted t = new Scripted();
        t.queue.add(new Message(P1, 0, new byte[] {9}));
        InboundGate gate = new InboundGate(t, new Spool(dir, false, 1 << 20), 1, Duration.ofMillis(10));
        Message m = gate.take(P1).orElseThrow();
        assertFalse(Files.exists(dir.resolve("1.inhand")));
        assertTrue(gate.keep(m));
        assertTrue(Files.exists(dir.resolve("1.inhand")));
    }

    @Test
    void aCopyFromAPreviousRunComesFirstAndItsRedeliveryIsDropped() throws Exception {
        Scripted before = new Scripted();
        before.queue.add(new Message(P2, 41, "in hand".getBytes()));
        InboundGate first = new InboundGate(before, new Spool(dir, true, 1 << 20), 2, Duration.ofMillis(10));
        first.take(P2).orElseThrow(); // then the process dies before writing it

        Scripted after = new Scripted();
        after.queue.add(new Message(P2, 41, "in hand".getBytes())); // not acknowledged before the crash
        after.queue.add(new Message(P2, 42, "next".getBytes()));
        InboundGate second = new InboundGate(after, new Spool(dir, true, 1 << 20), 2, Duration.ofMillis(10));
        Message recovered = second.recovered(P2).orElseThrow();
        assertEquals(41, recovered.sequence());
        assertArrayEquals("in hand".getBytes(), recovered.payload());
        assertEquals(Optional.empty(), second.take(P2), "the redelivered copy is dropped");
        assertEquals(42, second.take(P2).orElseThrow().sequence());
        assertEquals(Optional.empty(), second.recovered(P1));
    }

    @Test
    void anUnreadableCopyIsSetAsideNotTrusted() throws IOException {
        Files.write(dir.resolve("1.inhand"), new byte[] {1, 2, 3});
        Spool spool = new Spool(dir, false, 1 << 20);
        assertEquals(Optional.empty(), spool.load(P1));
        assertTrue(Files.exists(dir.resolve("1.inhand.bad")));
        // A length that disagrees with the size, or exceeds the bound, is refused the same way.
        byte[] lying = new byte[16 + 4];
        io.formix.transport.FrameCodec.putLength(3, lying, 0);
        io.formix.transport.FrameCodec.putLength(Long.MAX_VALUE, lying, 8);
        Files.write(dir.resolve("2.inhand"), lying);
        assertEquals(Optional.empty(), spool.load(P2));
    }
}
