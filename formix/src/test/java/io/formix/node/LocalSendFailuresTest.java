package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.transport.Message;
import io.formix.transport.MessageTooLargeException;
import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.Transport;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local error is not a lost peer: sends that fail with "Too many open files" are retried with
 * backoff until the deadline; a peer the transport calls unreachable is given up at once, with its
 * reason.
 */
@Timeout(20)
class LocalSendFailuresTest {

    static final PartyId SELF = PartyId.of("heavy-1");
    static final PartyId BUSY = PartyId.of("light-0001");
    static final PartyId GONE = PartyId.of("light-0002");
    static final PartyId FINE = PartyId.of("light-0003");
    static final PartyId TOO_BIG = PartyId.of("light-0004");

    @TempDir
    Path dir;

    /** Fails the first {@code localFailures} sends to BUSY for a local reason; GONE is always unreachable. */
    static final class FlakyTransport implements Transport {
        final Map<PartyId, Integer> attempts = new HashMap<>();
        final List<byte[]> delivered = new ArrayList<>();
        final int localFailures;

        FlakyTransport(int localFailures) {
            this.localFailures = localFailures;
        }

        @Override
        public PartyId self() {
            return SELF;
        }

        @Override
        public synchronized void send(PartyId to, byte[] payload) throws IOException {
            int n = attempts.merge(to, 1, Integer::sum);
            if (to.equals(GONE)) {
                throw new PeerUnavailableException("no connection to light-0002");
            }
            if (to.equals(TOO_BIG)) {
                throw new MessageTooLargeException(payload.length, 1);
            }
            if (to.equals(BUSY) && n <= localFailures) {
                throw new FileSystemException("light-0001_to_x", null, "Too many open files");
            }
            delivered.add(payload);
        }

        synchronized int attempts(PartyId to) {
            return attempts.getOrDefault(to, 0);
        }

        @Override
        public Optional<Message> receive(PartyId from, Duration timeout) {
            return Optional.empty();
        }

        @Override
        public Optional<Message> receiveAny(Duration timeout) {
            return Optional.empty();
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
        public void close() {}
    }

    static final class PlainNode extends Node {
        PlainNode(NodeLog log, Transport t, HostServices services) {
            super(SELF, log, t, services);
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

    static Envelope compute(PartyId to) {
        return Envelope.of(MessageType.ABORT, SELF, to, "c1", new Bodies.Abort("x").toJson());
    }

    @Test
    void singleSendsFailingLocallyOrToAnAwayPeerAreRetriedWithBackoffUntilTheDeadlineAndHopelessOnesAreNot() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        FlakyTransport t = new FlakyTransport(3);
        try (NodeLog log = new NodeLog(dir.resolve("node.log"), clock)) {
            PlainNode node = new PlainNode(log, t, new HostServices(null, null, null, clock, null, null));
            SendRetries retries = new SendRetries(node);
            retries.send(compute(BUSY), 10_000, 0);
            retries.send(compute(GONE), 10_000, 0);
            retries.send(compute(TOO_BIG), 10_000, 0);
            assertEquals(
                    2, retries.size(), "the away peer is retried (a heavy node may come back), the hopeless send not");
            retries.retry(49);
            assertEquals(1, t.attempts(BUSY), "not before the wait");
            retries.retry(50);
            assertEquals(2, t.attempts(BUSY));
            retries.retry(50 + 99);
            assertEquals(2, t.attempts(BUSY), "the wait doubled");
            retries.retry(150);
            retries.retry(350);
            assertEquals(4, t.attempts(BUSY), "the fourth attempt went through");
            assertEquals(4, t.attempts(GONE), "the away peer was tried on the same schedule");
            assertEquals(1, retries.size(), "only the away peer is still waiting");
            assertEquals(1, t.attempts(TOO_BIG));

            FlakyTransport always = new FlakyTransport(Integer.MAX_VALUE);
            PlainNode node2 = new PlainNode(log, always, new HostServices(null, null, null, clock, null, null));
            SendRetries until = new SendRetries(node2);
            until.send(compute(BUSY), 100, 0);
            until.retry(50);
            until.retry(150);
            assertEquals(0, until.size(), "given up at the deadline");
            assertEquals(2, always.attempts(BUSY));
        }
    }

    @Test
    void aPeerThatStaysAwayIsTriedAtLeastOnceASecond() {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        FlakyTransport always = new FlakyTransport(Integer.MAX_VALUE);
        try (NodeLog log = new NodeLog(dir.resolve("node.log"), clock)) {
            PlainNode node = new PlainNode(log, always, new HostServices(null, null, null, clock, null, null));
            SendRetries retries = new SendRetries(node);
            retries.send(compute(GONE), 60_000, 0);
            long at = 0;
            for (long wait = 50; wait < SendRetries.MAX_DELAY_MS; wait *= 2) {
                at += wait; // 50, 100, ... 800: doubling below the cap
                retries.retry(at);
            }
            int beforeTheCap = always.attempts(GONE);
            retries.retry(at + SendRetries.MAX_DELAY_MS - 1);
            assertEquals(beforeTheCap, always.attempts(GONE), "not before the capped wait");
            retries.retry(at + SendRetries.MAX_DELAY_MS);
            assertEquals(beforeTheCap + 1, always.attempts(GONE), "the wait stopped doubling at the cap");
            retries.retry(at + 2 * SendRetries.MAX_DELAY_MS);
            assertEquals(beforeTheCap + 2, always.attempts(GONE), "and stays there");
        }
    }

    @Test
    void offTheMailboxSendsToOnePeerStayInOrderOneAtATime() throws Exception {
        Clock clock = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        FlakyTransport t = new FlakyTransport(1);
        try (NodeLog log = new NodeLog(dir.resolve("node.log"), clock)) {
            PlainNode node = new PlainNode(log, t, new HostServices(null, null, null, clock, null, null));
            List<Runnable> pool = new ArrayList<>();
            List<Runnable> mailbox = new ArrayList<>();
            SendRetries retries = new SendRetries(node, pool::add, mailbox::add);
            retries.send(Envelope.of(MessageType.ABORT, SELF, BUSY, "c1", new Bodies.Abort("x").toJson()), 10_000, 0);
            retries.send(Envelope.of(MessageType.ABORT, SELF, BUSY, "c2", new Bodies.Abort("x").toJson()), 10_000, 0);
            assertEquals(0, t.attempts(BUSY), "nothing is sent on the caller's (mailbox) thread");
            assertEquals(1, pool.size(), "one attempt per peer at a time");
            runAll(pool);
            assertEquals(1, mailbox.size(), "the outcome comes back through the mailbox");
            runAll(mailbox);
            assertTrue(pool.isEmpty(), "the second message waits behind the failed first");
            retries.retry(49);
            assertTrue(pool.isEmpty(), "not before the wait");
            retries.retry(50);
            runAll(pool);
            runAll(mailbox);
            runAll(pool);
            runAll(mailbox);
            assertEquals(0, retries.size());
            assertEquals(
                    List.of("c1", "c2"),
                    t.delivered.stream()
                            .map(b -> {
                                try {
                                    return Envelope.decode(b).computation();
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            })
                            .toList());
        }
    }

    private static void runAll(List<Runnable> work) {
        List<Runnable> now = new ArrayList<>(work);
        work.clear();
        now.forEach(Runnable::run);
    }

    @Test
    void aBroadcastRetriesLocalFailuresAndReportsWhoNeverGotIt() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(2);
        FlakyTransport t = new FlakyTransport(2);
        try (NodeLog log = new NodeLog(dir.resolve("node.log"), Clock.systemUTC())) {
            HostServices services = new HostServices(null, null, null, Clock.systemUTC(), null, senders);
            PlainNode node = new PlainNode(log, t, services);
            CompletableFuture<Map<PartyId, String>> done = new CompletableFuture<>();
            new Broadcaster(node, senders)
                    .send(
                            new Effect.Broadcast(
                                    "c1",
                                    List.of(compute(BUSY), compute(GONE), compute(FINE)),
                                    System.currentTimeMillis() + 10_000),
                            done::complete);
            Map<PartyId, String> lost = done.get(10, TimeUnit.SECONDS);
            assertEquals(
                    Map.of(GONE, "unreachable: no connection to light-0002"),
                    lost,
                    "the locally failing peer got it on the third try");
            assertEquals(3, t.attempts(BUSY));
            assertEquals(1, t.attempts(GONE));
            assertEquals(1, t.attempts(FINE));

            FlakyTransport never = new FlakyTransport(Integer.MAX_VALUE);
            CompletableFuture<Map<PartyId, String>> done2 = new CompletableFuture<>();
            new Broadcaster(new PlainNode(log, never, services), senders)
                    .send(
                            new Effect.Broadcast("c2", List.of(compute(BUSY)), System.currentTimeMillis() + 400),
                            done2::complete);
            Map<PartyId, String> lost2 = done2.get(10, TimeUnit.SECONDS);
            assertTrue(
                    lost2.get(BUSY).startsWith("local error until the deadline: ")
                            && lost2.get(BUSY).contains("Too many open files"),
                    lost2.toString());
            assertTrue(never.attempts(BUSY) >= 2, "retried before the deadline: " + never.attempts(BUSY));
        } finally {
            senders.shutdownNow();
        }
    }
}
