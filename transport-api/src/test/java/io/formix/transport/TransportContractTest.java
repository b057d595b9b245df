package io.formix.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Transport} must have. Each backend subclasses this and supplies only
 * {@link #open(PartyId)}; durable backends also return {@code true} from {@link #durable()}.
 *
 * <p>Parties in these tests are {@code a}, {@code b} and {@code c}; {@link #open} opens (or
 * reopens, after a close) the endpoint of one of them in the network under test.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportContractTest {

    protected static final PartyId A = PartyId.of("a");
    protected static final PartyId B = PartyId.of("b");
    protected static final PartyId C = PartyId.of("c");
    protected static final Duration WAIT = Duration.ofSeconds(20);

    private final List<Transport> opened = new ArrayList<>();

    /** Opens the endpoint of {@code self} (one of a, b, c) in the network under test. */
    protected abstract Transport openTransport(PartyId self) throws Exception;

    /** The max message size the backend is configured with in these tests. */
    protected int configuredMax() {
        return 4 * 1024 * 1024;
    }

    /** Whether the backend is durable across restarts. */
    protected boolean durable() {
        return false;
    }

    protected final Transport open(PartyId self) throws Exception {
        Transport t = openTransport(self);
        opened.add(t);
        return t;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Transport t : opened) {
            t.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] numbered(int i, int size) {
        byte[] p = new byte[Math.max(4, size)];
        ByteBuffer.wrap(p).putInt(i);
        return p;
    }

    private static int number(byte[] p) {
        return ByteBuffer.wrap(p).getInt();
    }

    /** Sends {@code numbered(i, size)} for i from {@code first} up to {@code end} (excluded). */
    private static void sendNumbered(Transport from, PartyId to, int first, int end, int size) throws Exception {
        for (int i = first; i < end; i++) {
            from.send(to, numbered(i, size));
        }
    }

    /** Receives the numbers {@code first} up to {@code end} (excluded), in this order. */
    private static void assertReceivesNumbers(Transport at, PartyId from, int first, int end) throws Exception {
        for (int i = first; i < end; i++) {
            assertEquals(i, number(at.receive(from, WAIT).orElseThrow().payload()));
        }
    }

    /** Receives the numbers 0 up to {@code count} (excluded) in order, each with a higher sequence. */
    private static void assertReceivesNumbersWithRisingSequence(Transport at, PartyId from, int count, String why)
            throws Exception {
        long lastSeq = -1;
        for (int i = 0; i < count; i++) {
            Message m = at.receive(from, WAIT).orElseThrow();
            assertEquals(i, number(m.payload()));
            assertTrue(m.sequence() > lastSeq, why);
            lastSeq = m.sequence();
        }
    }

    @Test
    void deliversOneMessage() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        a.send(B, bytes("hello"));
        Message m = b.receive(A, WAIT).orElseThrow();
        assertEquals(A, m.from());
        assertArrayEquals(bytes("hello"), m.payload());
        assertEquals(A, a.self());
        assertEquals(durable(), a.isDurable());
    }

    @Test
    void deliversEmptyPayload() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        a.send(B, new byte[0]);
        assertEquals(0, b.receive(A, WAIT).orElseThrow().payload().length);
    }

    @Test
    void keepsFifoOrderPerDirectionWithIncreasingSequence() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        int n = 500;
        sendNumbered(a, B, 0, n, 16);
        assertReceivesNumbersWithRisingSequence(b, A, n, "sequence must increase");
    }

    @Test
    void bothDirectionsAtOnce() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        for (int i = 0; i < 50; i++) {
            a.send(B, numbered(i, 8));
            b.send(A, numbered(1000 + i, 8));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(i, number(b.receive(A, WAIT).orElseThrow().payload()));
            assertEquals(1000 + i, number(a.receive(B, WAIT).orElseThrow().payload()));
        }
    }

    @Test
    void receiveTimesOutEmpty() throws Exception {
        Transport a = open(A);
        open(B);
        long start = System.nanoTime();
        Optional<Message> m = a.receive(B, Duration.ofMillis(200));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertFalse(m.isPresent());
        assertTrue(tookMs >= 150, "returned after " + tookMs + " ms, before the timeout");
        assertFalse(a.receiveAny(Duration.ofMillis(50)).isPresent());
    }

    @Test
    void receiveFromOnePartyLeavesOthersQueued() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        Transport c = open(C);
        a.send(C, bytes("from-a"));
        b.send(C, bytes("from-b"));
        Message fromB = c.receive(B, WAIT).orElseThrow();
        assertArrayEquals(bytes("from-b"), fromB.payload());
        assertFalse(c.receive(B, Duration.ofMillis(100)).isPresent());
        assertArrayEquals(bytes("from-a"), c.receive(A, WAIT).orElseThrow().payload());
    }

    @Test
    void receiveAnyMergesSendersKeepingPerSenderOrder() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        Transport c = open(C);
        int n = 100;
        for (int i = 0; i < n; i++) {
            a.send(C, numbered(i, 8));
            b.send(C, numbered(i, 8));
        }
        Map<PartyId, Integer> next = new HashMap<>(Map.of(A, 0, B, 0));
        for (int i = 0; i < 2 * n; i++) {
            Message m = c.receiveAny(WAIT).orElseThrow();
            int expected = next.get(m.from());
            assertEquals(expected, number(m.payload()), "order from " + m.from());
            next.put(m.from(), expected + 1);
        }
        assertEquals(n, next.get(A));
        assertEquals(n, next.get(B));
    }

    @Test
    void receiveAnyDoesNotStarveASender() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        Transport c = open(C);
        // Establish both channels first, so b's message below is not held up by a connection set-up.
        a.send(C, bytes("warm-a"));
        b.send(C, bytes("warm-b"));
        c.receive(A, WAIT).orElseThrow();
        c.receive(B, WAIT).orElseThrow();
        int burst = 1000;
        // b's message goes first, so it has surely reached c by the time c looks, even on a loaded
        // machine where a connection's reader thread lags: only the receiver's fairness is measured.
        b.send(C, bytes("b!"));
        for (int i = 0; i < burst; i++) {
            a.send(C, numbered(i, 8));
        }
        // A starving receiveAny drains a's whole burst before b's message; a fair one serves b early.
        int index = 0;
        while (!c.receiveAny(WAIT).orElseThrow().from().equals(B)) {
            index++;
        }
        assertTrue(index < burst, "a message from b waited behind all " + burst + " messages from a");
    }

    @Test
    void largeMessagesRoundTripByteForByte() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        byte[] big = new byte[configuredMax()];
        new Random(42).nextBytes(big);
        a.send(B, big);
        assertArrayEquals(big, b.receive(A, WAIT).orElseThrow().payload());
        assertEquals(configuredMax(), a.maxMessageBytes());
    }

    @Test
    void oversizedSendIsRejectedAndTransportStaysUsable() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        MessageTooLargeException e =
                assertThrows(MessageTooLargeException.class, () -> a.send(B, new byte[a.maxMessageBytes() + 1]));
        assertEquals(a.maxMessageBytes() + 1L, e.length());
        a.send(B, bytes("after"));
        assertArrayEquals(bytes("after"), b.receive(A, WAIT).orElseThrow().payload());
        assertFalse(b.receive(A, Duration.ofMillis(100)).isPresent(), "nothing of the oversized message arrived");
    }

    @Test
    void senderMayReuseItsArray() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        byte[] buf = bytes("first");
        a.send(B, buf);
        buf[0] = 'X';
        a.send(B, buf);
        assertArrayEquals(bytes("first"), b.receive(A, WAIT).orElseThrow().payload());
        assertArrayEquals(bytes("Xirst"), b.receive(A, WAIT).orElseThrow().payload());
    }

    @Test
    void sendingToSelfIsRefused() throws Exception {
        Transport a = open(A);
        assertThrows(IllegalArgumentException.class, () -> a.send(A, bytes("me")));
    }

    @Test
    void closeWakesABlockedReceiver() throws Exception {
        Transport a = open(A);
        open(B);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Thread> worker = new CompletableFuture<>();
            Future<?> blocked = ex.submit(() -> {
                worker.complete(Thread.currentThread());
                return a.receive(B, Duration.ofSeconds(30));
            });
            Thread receiver = worker.get(10, TimeUnit.SECONDS);
            awaitParked(receiver, "the receiver to block in receive");
            assertFalse(blocked.isDone(), "nothing was sent, so receive must still be waiting");
            a.close();
            var e = assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof TransportClosedException, "got " + e.getCause());
        } finally {
            ex.shutdownNow();
        }
    }

    /** Whether a {@code send} to a party that does not receive eventually blocks in this backend. */
    protected boolean sendCanBlock() {
        return false;
    }

    /** Payload size for {@link #closeWakesABlockedSender}: big enough to fill the backend's buffers soon. */
    protected int blockingSendPayloadBytes() {
        return Math.min(configuredMax(), 64 * 1024);
    }

    /**
     * Whether {@code sender}, a thread looping on {@code send}, is blocked inside it. The default
     * sees a parked thread; backends that block in a socket write (a RUNNABLE native call) override.
     */
    protected boolean blockedInSend(Thread sender) {
        Thread.State state = sender.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    @Test
    void closeWakesABlockedSender() throws Exception {
        assumeTrue(sendCanBlock(), "send never blocks in this backend");
        Transport a = open(A);
        open(B); // open, but never receives
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Thread> worker = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            byte[] payload = new byte[blockingSendPayloadBytes()];
            Future<?> sending = ex.submit(() -> {
                worker.complete(Thread.currentThread());
                while (true) {
                    a.send(B, payload);
                    sent.incrementAndGet();
                }
            });
            Thread sender = worker.get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long before = -1;
            while (true) {
                long now = sent.get();
                if (now == before && blockedInSend(sender)) {
                    break; // no progress over one poll interval, and parked in send
                }
                assertFalse(sending.isDone(), "send failed before blocking");
                assertTrue(
                        System.nanoTime() < deadline,
                        "send never blocked (" + now + " sent, " + sender.getState() + ")");
                before = blockedInSend(sender) ? now : -1;
                Thread.sleep(20); // poll interval of a bounded wait for a state nothing signals
            }
            long blockedAt = sent.get();
            a.close();
            var e = assertThrows(
                    java.util.concurrent.ExecutionException.class, () -> sending.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof TransportClosedException, "got " + e.getCause());
            assertTrue(sent.get() <= blockedAt + 1, "the blocked send was woken, not completed and followed by more");
        } finally {
            ex.shutdownNow();
        }
    }

    /** Polls (bounded) until {@code t} is parked: WAITING or TIMED_WAITING. */
    private static void awaitParked(Thread t, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + " (" + t.getState() + ")");
            Thread.sleep(1);
        }
    }

    @Test
    void callsAfterCloseThrowClosedAndCloseIsIdempotent() throws Exception {
        Transport a = open(A);
        open(B);
        a.close();
        a.close();
        assertThrows(TransportClosedException.class, () -> a.send(B, bytes("x")));
        assertThrows(TransportClosedException.class, () -> a.receive(B, Duration.ofMillis(10)));
        assertThrows(TransportClosedException.class, () -> a.receiveAny(Duration.ofMillis(10)));
    }

    @Test
    void concurrentSendersAreSerialisedWithoutLossOrTearing() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        int threads = 4;
        int perThread = 100;
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tid = t;
                fs.add(ex.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] p = new byte[64 + i];
                        ByteBuffer.wrap(p).putInt(tid).putInt(i);
                        a.send(B, p);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            ex.shutdownNow();
        }
        int[] next = new int[threads];
        for (int k = 0; k < threads * perThread; k++) {
            ByteBuffer m = ByteBuffer.wrap(b.receive(A, WAIT).orElseThrow().payload());
            int tid = m.getInt();
            int i = m.getInt();
            assertEquals(next[tid], i, "per-thread order of thread " + tid);
            assertEquals(64 + i, m.capacity(), "message length");
            next[tid]++;
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t]);
        }
    }

    @Test
    void concurrentReceiversGetDistinctMessages() throws Exception {
        Transport a = open(A);
        Transport b = open(B);
        int n = 300;
        sendNumbered(a, B, 0, n, 8);
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<Integer>>> fs = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                fs.add(ex.submit(() -> {
                    List<Integer> got = new ArrayList<>();
                    Optional<Message> m;
                    while ((m = b.receive(A, Duration.ofMillis(500))).isPresent()) {
                        got.add(number(m.get().payload()));
                    }
                    return got;
                }));
            }
            boolean[] seen = new boolean[n];
            int total = 0;
            for (Future<List<Integer>> f : fs) {
                for (int i : f.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    assertFalse(seen[i], "message " + i + " delivered twice");
                    seen[i] = true;
                    total++;
                }
            }
            assertEquals(n, total);
        } finally {
            ex.shutdownNow();
        }
    }

    @Test
    void durableBackendKeepsMessagesAcrossAReceiverRestart() throws Exception {
        assumeTrue(durable(), "backend is not durable");
        Transport a = open(A);
        Transport b = open(B);
        sendNumbered(a, B, 0, 10, 8);
        assertReceivesNumbers(b, A, 0, 4);
        b.close();
        sendNumbered(a, B, 10, 15, 8);
        Transport b2 = open(B);
        assertReceivesNumbers(b2, A, 4, 15);
        assertFalse(b2.receive(A, Duration.ofMillis(200)).isPresent(), "no duplicate after restart");
    }

    @Test
    void durableBackendContinuesNumberingAcrossASenderRestart() throws Exception {
        assumeTrue(durable(), "backend is not durable");
        Transport a = open(A);
        Transport b = open(B);
        sendNumbered(a, B, 0, 2, 8);
        a.close();
        Transport a2 = open(A);
        a2.send(B, numbered(2, 8));
        assertReceivesNumbersWithRisingSequence(b, A, 3, "numbers are never reused");
    }

    @Test
    void messagesSentBeforeTheReceiverOpensArrive() throws Exception {
        assumeTrue(durable(), "backend is not durable");
        Transport a = open(A);
        a.send(B, bytes("early"));
        Transport b = open(B);
        assertArrayEquals(bytes("early"), b.receive(A, WAIT).orElseThrow().payload());
    }
}
