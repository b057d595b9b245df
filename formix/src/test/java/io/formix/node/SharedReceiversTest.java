package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.protocol.Envelope;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared receive path, driven deterministically: no worker thread (workers 0), the test takes
 * each turn with {@link SharedReceivers#serveNext()} and runs the dispatcher with {@link
 * SharedReceivers#dispatch(long)} at a time it chooses.
 */
@Timeout(10)
class SharedReceiversTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        long millis;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    /** An inbox the test fills; {@code onEmpty} runs when a receive finds nothing (once). */
    static final class Inbox implements Transport {
        final PartyId self;
        final ArrayDeque<Message> queue = new ArrayDeque<>();
        Runnable listener;
        Runnable onEmpty;
        IOException failure;
        boolean closed;
        int receives;
        long next;

        Inbox(String self) {
            this.self = PartyId.of(self);
        }

        /** A message arrives, and the transport says so if {@code signal}. */
        void arrive(boolean signal) {
            queue.add(new Message(PartyId.of("heavy-1"), next++, new byte[0]));
            if (signal && listener != null) {
                listener.run();
            }
        }

        @Override
        public PartyId self() {
            return self;
        }

        @Override
        public void send(PartyId to, byte[] payload) {}

        @Override
        public Optional<Message> receive(PartyId from, Duration timeout) throws IOException {
            return receiveAny(timeout);
        }

        @Override
        public Optional<Message> receiveAny(Duration timeout) throws IOException {
            assertEquals(Duration.ZERO, timeout, "a shared receiver never waits in a receive");
            receives++;
            if (closed) {
                throw new TransportClosedException("closed");
            }
            if (failure != null) {
                throw failure;
            }
            Message m = queue.poll();
            if (m == null && onEmpty != null) {
                Runnable r = onEmpty;
                onEmpty = null;
                r.run();
            }
            return Optional.ofNullable(m);
        }

        @Override
        public int maxMessageBytes() {
            return 0;
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A light node that does nothing with its messages: the receivers are under test. */
    static final class Quiet extends Node {
        Quiet(Inbox t) {
            super(t.self, null, t, null);
        }

        @Override
        void onMessage(Envelope e) {}

        @Override
        void tick() {}

        @Override
        void resume() {}

        @Override
        void closeStore() {}
    }

    final ManualClock clock = new ManualClock();
    final SharedReceivers receivers =
            new SharedReceivers(0, clock, Duration.ofSeconds(2), Executors.defaultThreadFactory());
    final List<String> delivered = new ArrayList<>();
    final List<String> log = new ArrayList<>();

    SharedReceivers.Member member(Inbox inbox) {
        SharedReceivers.Member m = receivers.member(
                new Quiet(inbox),
                l -> inbox.listener = l,
                msg -> delivered.add(inbox.self + "#" + msg.sequence()),
                log::add);
        m.start();
        return m;
    }

    @Test
    void aNodeWithABacklogTakesOneBatchPerTurnAndOthersGetTheirsInBetween() {
        Inbox busy = new Inbox("light-0001");
        Inbox quiet = new Inbox("light-0002");
        member(busy);
        member(quiet);
        for (int i = 0; i < 100; i++) {
            busy.arrive(true);
        }
        quiet.arrive(true);
        while (receivers.serveNext()) {
            // every ready node's turn, in queue order
        }
        assertEquals(101, delivered.size());
        int quietAt = delivered.indexOf("light-0002#0");
        assertTrue(quietAt <= SharedReceivers.BATCH, "the quiet node waited behind " + quietAt + " messages");
        List<String> busyOrder =
                delivered.stream().filter(s -> s.startsWith("light-0001")).toList();
        for (int i = 0; i < 100; i++) {
            assertEquals("light-0001#" + i, busyOrder.get(i), "in order per sender");
        }
    }

    @Test
    void aMessageSignalledAfterTheTurnsLastLookGetsAnotherTurn() {
        Inbox inbox = new Inbox("light-0001");
        member(inbox);
        inbox.arrive(true);
        // The marker of the next message lands after the turn's last receive found nothing, while the
        // node is still being served: the signal cannot queue it (it is queued), yet must not be lost.
        inbox.onEmpty = () -> inbox.arrive(true);
        assertTrue(receivers.serveNext());
        assertEquals(List.of("light-0001#0"), delivered);
        assertTrue(receivers.serveNext(), "the node was queued again");
        assertEquals(List.of("light-0001#0", "light-0001#1"), delivered);
        assertFalse(receivers.serveNext(), "nothing more: queued once per signal, not forever");
    }

    @Test
    void aMessageSignalledWhileItsNodeHandlesAnotherIsReadInTheSameTurn() {
        Inbox inbox = new Inbox("light-0001");
        SharedReceivers.Member m = receivers.member(
                new Quiet(inbox),
                l -> inbox.listener = l,
                msg -> {
                    delivered.add("#" + msg.sequence());
                    if (msg.sequence() == 0) {
                        inbox.arrive(true); // arrives while message 0 is being handled
                    }
                },
                log::add);
        m.start();
        inbox.arrive(true);
        assertTrue(receivers.serveNext());
        assertEquals(List.of("#0", "#1"), delivered);
        assertTrue(receivers.serveNext(), "the signal during the turn gives one more (empty) look");
        assertFalse(receivers.serveNext());
    }

    @Test
    void aMessageWhoseEventWasLostIsReadByTheSweep() {
        Inbox inbox = new Inbox("light-0001");
        member(inbox);
        receivers.dispatch(clock.millis()); // the first sweep
        while (receivers.serveNext()) {}
        inbox.arrive(false); // no event
        clock.millis += 1_999;
        receivers.dispatch(clock.millis());
        assertFalse(receivers.serveNext(), "no sweep before its interval");
        clock.millis += 1;
        receivers.dispatch(clock.millis());
        assertTrue(receivers.serveNext());
        assertEquals(List.of("light-0001#0"), delivered);
    }

    @Test
    void aReceiveThatKeepsFailingIsRetriedAfterAGrowingWaitAndLoggedOnce() {
        receivers.dispatch(clock.millis()); // the first sweep: the next is 2 s later
        Inbox inbox = new Inbox("light-0001");
        inbox.failure = new IOException("Is a directory: heavy-1_to_light-0001/00000007.msg");
        member(inbox);
        assertTrue(receivers.serveNext());
        assertEquals(1, inbox.receives);
        inbox.arrive(true); // events do not cut the wait short
        assertTrue(receivers.serveNext());
        assertEquals(1, inbox.receives, "not served while waiting out the failure");
        receivers.dispatch(clock.millis() + 49);
        assertFalse(receivers.serveNext());
        clock.millis += 50;
        receivers.dispatch(clock.millis());
        assertTrue(receivers.serveNext());
        assertEquals(2, inbox.receives, "retried once the 50 ms wait was over");
        clock.millis += 99;
        receivers.dispatch(clock.millis());
        while (receivers.serveNext()) {}
        assertEquals(2, inbox.receives, "the second wait is 100 ms");
        clock.millis += 1;
        receivers.dispatch(clock.millis());
        receivers.serveNext();
        assertEquals(3, inbox.receives);
        assertEquals(List.of("receive failed: Is a directory: heavy-1_to_light-0001/00000007.msg"), log);
        inbox.failure = null;
        clock.millis += 200;
        receivers.dispatch(clock.millis());
        while (receivers.serveNext()) {}
        assertEquals(List.of("light-0001#0"), delivered);
        assertEquals(
                "receive failed: Is a directory: heavy-1_to_light-0001/00000007.msg — repeated 3 times",
                log.get(log.size() - 1));
    }

    @Test
    void aJoinedNodeIsNeverServedAgain() throws Exception {
        Inbox inbox = new Inbox("light-0001");
        SharedReceivers.Member m = member(inbox);
        inbox.arrive(true); // queued
        m.node.requestStop();
        assertTrue(m.join(1_000), "no turn in hand");
        assertEquals(0, receivers.size());
        inbox.arrive(true);
        receivers.dispatch(clock.millis() + 10_000);
        while (receivers.serveNext()) {}
        assertEquals(0, inbox.receives, "a stopped node's messages stay in its transport");
        assertTrue(delivered.isEmpty());
    }

    @Test
    void aClosedTransportEndsTheTurnQuietly() {
        Inbox inbox = new Inbox("light-0001");
        member(inbox);
        inbox.closed = true;
        assertTrue(receivers.serveNext());
        assertFalse(receivers.serveNext());
        assertTrue(log.isEmpty(), log.toString());
    }
}
