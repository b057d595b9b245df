package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.protocol.Envelope;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A loop whose I/O keeps failing backs off (50 ms doubling to 5 s, reset on success) and logs each
 * distinct failure once with a count, instead of retrying at once and writing one line per attempt
 * (a folder named {@code 00000007.msg} once made a receiver write 318k lines in 5 s). No threads,
 * no real sleeping: the waits are recorded by a fake sleeper.
 */
@Timeout(10)
class FailureBackoffTest {

    @Test
    void waitsDoubleUpToTheCapAndStartOverAfterASuccess() {
        List<String> log = new ArrayList<>();
        FailureBackoff b = new FailureBackoff("receive", log::add);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waits.add(b.failed("boom", 0));
        }
        assertEquals(List.of(50L, 100L, 200L, 400L, 800L, 1600L, 3200L, 5000L, 5000L, 5000L), waits);
        assertFalse(b.ready(4_999));
        assertTrue(b.ready(5_000));
        b.succeeded();
        assertTrue(b.ready(0));
        assertEquals(50, b.failed("boom", 0));
    }

    @Test
    void eachDistinctFailureIsLoggedOnceThenSummarisedWhenItChangesOrClears() {
        List<String> log = new ArrayList<>();
        FailureBackoff b = new FailureBackoff("receive", log::add);
        for (int i = 0; i < 250; i++) {
            b.failed("Is a directory: 00000007.msg", i);
        }
        assertEquals(
                List.of(
                        "receive failed: Is a directory: 00000007.msg",
                        "receive still failing (10 times so far): Is a directory: 00000007.msg",
                        "receive still failing (100 times so far): Is a directory: 00000007.msg"),
                log);
        b.failed("No such file or directory: channels", 300);
        assertEquals("receive failed: Is a directory: 00000007.msg — repeated 250 times", log.get(3));
        assertEquals("receive failed: No such file or directory: channels", log.get(4));
        b.succeeded();
        b.succeeded();
        assertEquals(5, log.size(), "a single failure that cleared needs no summary: " + log);
        b.failed("again", 400);
        b.failed("again", 401);
        b.succeeded();
        assertEquals("receive failed: again — repeated 2 times", log.get(log.size() - 1));
    }

    /** A node whose handlers do nothing: only the receiver loop is under test. */
    static final class QuietNode extends Node {
        QuietNode(Transport t) {
            super(PartyId.of("heavy-1"), null, t, null);
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

    /** A transport whose receive always fails, as over a channel holding a folder where a message file belongs. */
    static final class FailingTransport implements Transport {
        int receives;

        @Override
        public PartyId self() {
            return PartyId.of("heavy-1");
        }

        @Override
        public void send(PartyId to, byte[] payload) {}

        @Override
        public Optional<Message> receive(PartyId from, Duration timeout) throws IOException {
            return receiveAny(timeout);
        }

        @Override
        public Optional<Message> receiveAny(Duration timeout) throws IOException {
            receives++;
            throw new IOException("Is a directory: light-0001_to_heavy-1/00000007.msg");
        }

        @Override
        public int maxMessageBytes() {
            return 1;
        }

        @Override
        public boolean isDurable() {
            return true;
        }

        @Override
        public void close() {}
    }

    /** A node whose every tick fails, as when its node.db sits on a full disk. */
    static final class FailingTicks extends Node {
        int ticks;

        FailingTicks(NodeLog log) {
            super(PartyId.of("heavy-1"), log, new FailingTransport(), null);
        }

        @Override
        void onMessage(Envelope e) {}

        @Override
        void tick() {
            ticks++;
            throw new io.formix.state.StateException("disk full: node.db — free some space and retry");
        }

        @Override
        void resume() {}

        @Override
        void closeStore() {}
    }

    @Test
    void aTickThatKeepsFailingIsSkippedForAGrowingWhile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        try (NodeLog log = new NodeLog(dir.resolve("node.log"), Clock.systemUTC())) {
            FailingTicks node = new FailingTicks(log);
            // The ticker calls every 50 ms; here every millisecond of 10 simulated seconds.
            for (long now = 0; now < 10_000; now++) {
                node.tickOnce(now);
            }
            // Attempts at 0, 50, 150, 350, 750, 1550, 3150 and 6350 ms: 8 instead of 10 000.
            assertEquals(8, node.ticks);
        }
    }

    @Test
    void aReceiverWhoseTransportAlwaysFailsBacksOffAndLogsOnce() {
        FailingTransport t = new FailingTransport();
        QuietNode node = new QuietNode(t);
        List<String> log = new ArrayList<>();
        List<Long> waits = new ArrayList<>();
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        ReceiveLoop loop = new ReceiveLoop(node, Duration.ofSeconds(2), clock, m -> {}, log::add, millis -> {
            waits.add(millis);
            if (waits.size() == 30) {
                node.requestStop();
            }
        });
        loop.run(); // returns once the node stops: 30 failed receives, each followed by a wait

        assertEquals(30, t.receives);
        assertEquals(List.of(50L, 100L, 200L, 400L, 800L, 1600L, 3200L, 5000L), waits.subList(0, 8));
        assertEquals(5000L, waits.get(29));
        long waited = waits.stream().mapToLong(Long::longValue).sum();
        assertEquals(6350 + 23 * 5000, waited, "30 failures back to back took " + waited + " ms of waiting");
        assertEquals(
                List.of(
                        "receive failed: Is a directory: light-0001_to_heavy-1/00000007.msg",
                        "receive still failing (10 times so far): Is a directory: light-0001_to_heavy-1/00000007.msg"),
                log);
    }
}
