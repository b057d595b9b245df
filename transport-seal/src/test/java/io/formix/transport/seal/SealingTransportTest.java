package io.formix.transport.seal;

import static io.formix.transport.seal.Fixture.A;
import static io.formix.transport.seal.Fixture.B;
import static io.formix.transport.seal.Fixture.C;
import static io.formix.transport.seal.Fixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.InMemoryNetwork;
import io.formix.transport.Message;
import io.formix.transport.MessageTooLargeException;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SealingTransport} over real transports: what reaches the caller, and what is refused. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SealingTransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration NOTHING = Duration.ofMillis(100);

    private final Fixture f = new Fixture();
    private final InMemoryNetwork network = new InMemoryNetwork(1 << 20, 1024);
    private final List<Rejection> rejections = new CopyOnWriteArrayList<>();
    private final List<Transport> opened = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Transport t : opened) {
            t.close();
        }
    }

    private Transport raw(PartyId p) throws Exception {
        Transport t = network.open(p);
        opened.add(t);
        return t;
    }

    private SealingTransport sealed(Transport inner, int replayMemory) {
        SealingTransport t = SealingTransport.builder(inner, f.keys.get(inner.self()), f.net, f.directory())
                .clock(f.clock)
                .keyGrace(Duration.ofHours(1))
                .replayMemory(replayMemory)
                .rejectionListener(rejections::add)
                .build();
        opened.add(t);
        return t;
    }

    private SealingTransport sealed(PartyId p) throws Exception {
        return sealed(network.open(p), 1024);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void roundTripKeepsTheTransportSequence() throws Exception {
        SealingTransport a = sealed(A);
        SealingTransport b = sealed(B);
        a.send(B, bytes("one"));
        a.send(B, bytes("two"));
        Message m1 = b.receive(A, WAIT).orElseThrow();
        Message m2 = b.receiveAny(WAIT).orElseThrow();
        assertArrayEquals(bytes("one"), m1.payload());
        assertArrayEquals(bytes("two"), m2.payload());
        assertEquals(0, m1.sequence());
        assertEquals(1, m2.sequence());
        assertEquals(0, b.rejectedCount());
        assertEquals(raw(C).maxMessageBytes() - SealingTransport.MAX_OVERHEAD_BYTES, a.maxMessageBytes());
    }

    @Test
    void aForgedMessageIsReportedWithoutContentAndReceiveMovesOn() throws Exception {
        Transport rawA = raw(A);
        SealingTransport a = sealed(rawA, 1024);
        SealingTransport b = sealed(B);
        byte[] forged = bytes("FXS2 please believe me, I am a share");
        rawA.send(B, forged);
        a.send(B, bytes("genuine"));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertArrayEquals(bytes("genuine"), m.payload());
        assertEquals(1, m.sequence(), "the forged message took number 0 of the wrapped channel");
        assertEquals(1, b.rejectedCount());
        Rejection r = rejections.get(0);
        assertEquals(new Rejection(A, B, 0, forged.length, Step.PARSE, r.reason()), r);
        assertFalse(r.reason().contains("believe"), "content never reaches the report");
        assertFalse(r.toString().contains("believe"));
    }

    @Test
    void aForgedMessageAloneLeavesReceiveEmptyAtItsTimeout() throws Exception {
        SealingTransport b = sealed(B);
        raw(C).send(B, new byte[200]);
        assertTrue(b.receiveAny(NOTHING).isEmpty());
        assertEquals(1, b.rejectedCount());
        assertEquals(Step.PARSE, rejections.get(0).step());
    }

    @Test
    void aReplayedMessageIdIsIgnoredAndCounted() throws Exception {
        Transport rawA = raw(A);
        SealingTransport b = sealed(B);
        byte[] env = f.sealer(A).seal(B, 100, bytes("once"));
        rawA.send(B, env);
        rawA.send(B, env);
        assertArrayEquals(bytes("once"), b.receive(A, WAIT).orElseThrow().payload());
        assertTrue(b.receive(A, NOTHING).isEmpty(), "the copy is not delivered");
        assertEquals(1, b.duplicateCount());
        assertEquals(0, b.rejectedCount());
        assertEquals(Step.DUPLICATE, rejections.get(0).step());
        assertEquals(1, rejections.get(0).sequence());
    }

    @Test
    void anOldMessageCopiedToALaterNumberIsRefusedEvenWhenItsIdIsForgotten() throws Exception {
        Transport rawA = raw(A);
        SealingTransport b = sealed(network.open(B), 1); // remembers one id per sender
        Sealer s = f.sealer(A);
        byte[] first = s.seal(B, 10, bytes("first"));
        rawA.send(B, first);
        rawA.send(B, s.seal(B, 11, bytes("second")));
        rawA.send(B, first);
        assertArrayEquals(bytes("first"), b.receive(A, WAIT).orElseThrow().payload());
        assertArrayEquals(bytes("second"), b.receive(A, WAIT).orElseThrow().payload());
        assertTrue(b.receive(A, NOTHING).isEmpty());
        assertEquals(1, b.rejectedCount());
        assertEquals(Step.SEQUENCE, rejections.get(0).step());
        assertEquals(2, rejections.get(0).sequence());
    }

    @Test
    void aMessageCopiedToAnotherChannelIsRefused() throws Exception {
        SealingTransport b = sealed(B);
        byte[] aToB = f.sealer(A).seal(B, 1, bytes("for b from a"));
        raw(C).send(B, aToB);
        assertTrue(b.receiveAny(NOTHING).isEmpty());
        assertEquals(Step.CHANNEL, rejections.get(0).step());
        assertEquals(C, rejections.get(0).from());
    }

    @Test
    void aMessageForAnotherRecipientIsRefused() throws Exception {
        SealingTransport b = sealed(B);
        raw(A).send(B, f.sealer(A).seal(C, 1, bytes("for c")));
        assertTrue(b.receive(A, NOTHING).isEmpty());
        assertEquals(Step.RECIPIENT, rejections.get(0).step());
    }

    @Test
    void crashRedeliveryWithTheSameSequenceIsHarmless() throws Exception {
        byte[] env = f.sealer(A).seal(B, 5, bytes("share"));
        ScriptedTransport inner = new ScriptedTransport(B);
        SealingTransport b = sealed(inner, 1024);
        inner.deliver(A, 0, env);
        inner.deliver(A, 0, env); // the same file seen again
        assertEquals(0, b.receive(A, WAIT).orElseThrow().sequence());
        assertTrue(b.receive(A, Duration.ZERO).isEmpty());
        assertEquals(1, b.duplicateCount());
        assertEquals(0, b.rejectedCount());
        // After a receiver restart the memory is gone: the message comes back once, same sequence,
        // exactly as the wrapped transport's contract says; the caller's own record sees it.
        ScriptedTransport restarted = new ScriptedTransport(B);
        SealingTransport b2 = sealed(restarted, 1024);
        restarted.deliver(A, 0, env);
        Message again = b2.receive(A, WAIT).orElseThrow();
        assertEquals(0, again.sequence());
        assertArrayEquals(bytes("share"), again.payload());
    }

    @Test
    void sendersCountersRiseAcrossARestartWithTheClock() throws Exception {
        ScriptedTransport out = new ScriptedTransport(A);
        SealingTransport a = sealed(out, 16);
        a.send(B, bytes("x"));
        a.send(B, bytes("y"));
        a.close();
        f.clock.advance(Duration.ofMillis(1));
        ScriptedTransport out2 = new ScriptedTransport(A);
        SealingTransport a2 = sealed(out2, 16);
        a2.send(B, bytes("z"));
        long s0 = Forge.header(out.sent.get(0)).seq();
        long s1 = Forge.header(out.sent.get(1)).seq();
        long s2 = Forge.header(out2.sent.get(0)).seq();
        assertEquals(T0.toEpochMilli() * 1000, s0, "the first counter is the clock in microseconds");
        assertEquals(s0 + 1, s1);
        assertTrue(s2 > s1, "after a restart the counter keeps rising");
    }

    @Test
    void aMessageToAnExpiredKeyIsRefusedAfterTheGrace() throws Exception {
        Transport rawA = raw(A);
        SealingTransport b = sealed(B);
        byte[] env = f.sealer(A).seal(B, 1, bytes("late"));
        f.clock.set(T0.plus(Duration.ofDays(30)).plus(Duration.ofHours(1)).plusSeconds(1));
        rawA.send(B, env);
        assertTrue(b.receive(A, NOTHING).isEmpty());
        assertEquals(Step.KEY_EXPIRED, rejections.get(0).step());
        assertTrue(rejections.get(0).reason().startsWith("key expired"));
    }

    @Test
    void rotationKeepsMessagesFlowing() throws Exception {
        SealingTransport a = sealed(A);
        SealingTransport b = sealed(B);
        a.send(B, bytes("to the old key"));
        EncryptionKey next =
                f.keys.get(B).addEncryptionKey(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofDays(90)));
        f.refreshDescriptors();
        f.clock.advance(Duration.ofMinutes(10));
        a.send(B, bytes("to the new key"));
        assertArrayEquals(
                bytes("to the old key"), b.receive(A, WAIT).orElseThrow().payload());
        assertArrayEquals(
                bytes("to the new key"), b.receive(A, WAIT).orElseThrow().payload());
        assertEquals(0, b.rejectedCount());
        assertEquals(
                next.kid(),
                f.descriptors.get(B).currentKey(f.clock.instant()).orElseThrow().kid());
    }

    @Test
    void sendingToANodeWithoutKeysFailsAndSendsNothing() throws Exception {
        ScriptedTransport out = new ScriptedTransport(A);
        SealingTransport a = sealed(out, 16);
        assertThrows(SealException.class, () -> a.send(PartyId.of("d"), bytes("?")));
        assertThrows(MessageTooLargeException.class, () -> a.send(B, new byte[a.maxMessageBytes() + 1]));
        assertTrue(out.sent.isEmpty());
    }

    @Test
    void aThrowingListenerDoesNotStopTheReceiver() throws Exception {
        ScriptedTransport inner = new ScriptedTransport(B);
        SealingTransport b = SealingTransport.builder(inner, f.keys.get(B), f.net, f.directory())
                .clock(f.clock)
                .rejectionListener(r -> {
                    throw new IllegalStateException("listener bug");
                })
                .build();
        inner.deliver(A, 0, new byte[5]);
        inner.deliver(A, 1, f.sealer(A).seal(B, 1, bytes("ok")));
        assertArrayEquals(bytes("ok"), b.receiveAny(WAIT).orElseThrow().payload());
        assertEquals(1, b.rejectedCount());
    }

    @Test
    void paddedTransportHidesLengthsAndShrinksTheMaximum() throws Exception {
        ScriptedTransport out = new ScriptedTransport(A);
        SealingTransport a = SealingTransport.builder(out, f.keys.get(A), f.net, f.directory())
                .clock(f.clock)
                .padTo(512)
                .build();
        a.send(B, bytes("decline"));
        a.send(B, bytes("share 123456789 with a longer body"));
        assertEquals(out.sent.get(0).length, out.sent.get(1).length);
        int room = (1 << 20) - (SealingTransport.MAX_OVERHEAD_BYTES - 4);
        assertEquals(room / 512 * 512 - 4, a.maxMessageBytes());
    }
}
