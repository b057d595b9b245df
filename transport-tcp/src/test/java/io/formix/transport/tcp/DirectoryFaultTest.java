package io.formix.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FreePorts;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.TransportClosedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Directory mode under faults: absent, late and restarted peers, malformed and abrupt raw peers, backpressure. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DirectoryFaultTest extends TcpFaultTestBase {

    static final PartyId A = PartyId.of("a");
    static final PartyId B = PartyId.of("b");
    static final PartyId X = PartyId.of("x");

    private final Map<PartyId, InetSocketAddress> directory = new ConcurrentHashMap<>();

    private TcpTransport open(PartyId self, int port, TcpOptions options) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        TcpTransport t = TcpTransport.openDirectory(self, new InetSocketAddress(lo, port), directory::get, options);
        toClose.add(t);
        directory.put(self, new InetSocketAddress(lo, t.localPort()));
        return t;
    }

    private TcpTransport open(PartyId self) throws Exception {
        return open(self, 0, options());
    }

    /** A raw connection to {@code b} whose hello as party x was accepted. */
    private static RawPeer helloAsX(TcpTransport b) throws IOException {
        RawPeer raw = new RawPeer(b.localPort());
        try {
            assertEquals("ok", raw.hello("x", "b"));
        } catch (IOException | AssertionError e) {
            raw.close();
            throw e;
        }
        return raw;
    }

    @Test
    void sendWaitsWithBackoffForAPeerThatIsNotUpYetAndLogsOnce() throws Exception {
        int port = FreePorts.one();
        CountDownLatch sixLookups = new CountDownLatch(6);
        InetSocketAddress bAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        TcpTransport a = TcpTransport.openDirectory(
                A,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                p -> {
                    sixLookups.countDown();
                    return bAddress;
                },
                options());
        toClose.add(a);
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(log, true, StandardCharsets.UTF_8)); // slf4j-simple writes here
        try {
            Future<?> send = pool.submit(() -> {
                a.send(B, bytes("early"));
                return null;
            });
            assertTrue(sixLookups.await(10, TimeUnit.SECONDS), "a retried several times");
            assertFalse(send.isDone(), "send must wait for the peer");
            TcpTransport b = open(B, port, options());
            send.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals("early", text(b.receive(A, WAIT).orElseThrow()));
            assertTrue(a.awaitDelivered(B, WAIT));
        } finally {
            System.setErr(stderr);
        }
        String out = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.split("waiting for b", -1).length - 1, "one line while waiting, got:\n" + out);
        assertEquals(1, out.split("connected to b", -1).length - 1, "one line on success, got:\n" + out);
    }

    @Test
    void extremeTimeoutsSaturateInsteadOfOverflowing() throws Exception {
        TcpTransport a = open(A);
        TcpTransport b = open(B);
        assertFalse(b.receive(A, Duration.ofSeconds(-5)).isPresent(), "a negative timeout means do not wait");
        Future<Message> forever = pool.submit(() -> b.receive(A, java.time.temporal.ChronoUnit.FOREVER.getDuration())
                .orElseThrow());
        Future<Message> huge =
                pool.submit(() -> b.receiveAny(Duration.ofNanos(Long.MAX_VALUE)).orElseThrow());
        a.send(B, bytes("one"));
        a.send(B, bytes("two"));
        List<String> got =
                new ArrayList<>(List.of(text(forever.get(10, TimeUnit.SECONDS)), text(huge.get(10, TimeUnit.SECONDS))));
        java.util.Collections.sort(got);
        assertEquals(List.of("one", "two"), got);
        assertTrue(a.awaitDelivered(B, java.time.temporal.ChronoUnit.FOREVER.getDuration()));
    }

    @Test
    void aResolverThatThrowsCountsAsNoAddress() throws Exception {
        TcpTransport a = TcpTransport.openDirectory(
                A,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                p -> {
                    throw new IllegalStateException("registry is locked");
                },
                options().withConnectTimeout(Duration.ofMillis(200)));
        toClose.add(a);
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> a.send(B, bytes("x")));
        assertTrue(e.getMessage().contains("no address known for b"), e.getMessage());
    }

    @Test
    void sendToAPeerThatNeverComesFailsAfterTheConnectTimeout() throws Exception {
        int port = FreePorts.one();
        directory.put(B, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        TcpTransport a = open(A, 0, options().withConnectTimeout(Duration.ofMillis(300)));
        long start = System.nanoTime();
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> a.send(B, bytes("lost")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 250 && ms < 5_000, "gave up after " + ms + " ms");
        assertTrue(e.getMessage().contains("could not connect to b"), e.getMessage());
        PeerUnavailableException unknown =
                assertThrows(PeerUnavailableException.class, () -> a.send(PartyId.of("nobody"), bytes("x")));
        assertTrue(unknown.getMessage().contains("no address known"), unknown.getMessage());
    }

    @Test
    void aSendWaitingForItsPeerIsInterruptible() throws Exception {
        directory.put(B, new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.one()));
        CountDownLatch twoLookups = new CountDownLatch(2);
        TcpTransport a = TcpTransport.openDirectory(
                A,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                p -> {
                    twoLookups.countDown();
                    return directory.get(p);
                },
                options());
        toClose.add(a);
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown =
                new java.util.concurrent.atomic.AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                a.send(B, bytes("never"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        sender.start();
        assertTrue(twoLookups.await(10, TimeUnit.SECONDS), "the send is retrying");
        sender.interrupt();
        sender.join(5_000);
        assertFalse(sender.isAlive(), "the interrupt did not end the send");
        assertTrue(thrown.get() instanceof InterruptedException, "got " + thrown.get());
    }

    @Test
    void deliveryIsConfirmedOnlyOnceTheReceiverTookTheMessages() throws Exception {
        TcpTransport a = open(A);
        TcpTransport b = open(B);
        assertTrue(a.awaitDelivered(B, Duration.ZERO), "nothing sent, nothing pending");
        for (int i = 0; i < 3; i++) {
            a.send(B, bytes("m" + i));
        }
        assertFalse(a.awaitDelivered(B, Duration.ofMillis(200)), "b has not taken anything yet");
        for (int i = 0; i < 3; i++) {
            assertEquals("m" + i, text(b.receive(A, WAIT).orElseThrow()));
        }
        assertTrue(a.awaitDelivered(B, WAIT));
    }

    @Test
    void receiverClosingWithUntakenMessagesIsReportedToTheSender() throws Exception {
        TcpTransport a = open(A);
        TcpTransport b = open(B);
        a.send(B, bytes("taken"));
        assertEquals("taken", text(b.receive(A, WAIT).orElseThrow()));
        for (int i = 0; i < 5; i++) {
            a.send(B, bytes("never taken " + i));
        }
        b.close();
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> a.awaitDelivered(B, WAIT));
        assertTrue(e.getMessage().startsWith("5 message(s) sent to b were not confirmed"), e.getMessage());
        assertTrue(a.awaitDelivered(B, Duration.ZERO), "the report is given once");
    }

    @Test
    void peerRestartIsReconnectedAndNoLossGoesUnreported() throws Exception {
        TcpTransport a = open(A);
        TcpTransport b = open(B);
        for (int i = 0; i < 10; i++) {
            a.send(B, bytes("before " + i));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals("before " + i, text(b.receive(A, WAIT).orElseThrow()));
        }
        assertTrue(a.awaitDelivered(B, WAIT));
        b.close();
        TcpTransport b2 = open(B); // a new port; the directory now points there
        for (int attempt = 1; ; attempt++) {
            assertTrue(attempt <= 5, "no delivery after 5 attempts");
            try {
                a.send(B, bytes("after"));
            } catch (PeerUnavailableException reported) {
                continue; // an earlier unconfirmed message was reported instead of sending this one
            }
            java.util.Optional<Message> m = b2.receive(A, Duration.ofSeconds(2));
            if (m.isPresent()) {
                assertEquals("after", text(m.get()));
                assertEquals(0, m.get().sequence(), "a new connection numbers from 0");
                assertTrue(a.awaitDelivered(B, WAIT));
                break;
            }
            // It went into the old connection before a noticed b was gone: a must be told.
            assertThrows(PeerUnavailableException.class, () -> a.awaitDelivered(B, WAIT));
        }
        assertFalse(b2.receive(A, Duration.ofMillis(200)).isPresent(), "delivered once");
    }

    @Test
    void oversizedOrNegativeLengthClosesThatConnectionOnly() throws Exception {
        TcpTransport a = open(A);
        TcpTransport b = open(B);
        for (long bad : new long[] {MAX + 1L, -1L, Long.MAX_VALUE}) {
            try (RawPeer raw = helloAsX(b)) {
                raw.frame(bytes("fine"));
                raw.header(bad);
                assertEquals("fine", text(b.receive(X, WAIT).orElseThrow()));
                CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(X, WAIT));
                assertEquals(X, e.from());
                assertEquals(1, e.sequence());
                assertTrue(raw.closedByOtherSide(), "b closed the connection after length " + bad);
            }
        }
        a.send(B, bytes("still fine"));
        assertEquals("still fine", text(b.receive(A, WAIT).orElseThrow()));
    }

    @Test
    void malformedHellosAreRefusedWithoutAllocatingOrQueueing() throws Exception {
        TcpTransport b = open(B);
        try (RawPeer huge = new RawPeer(b.localPort())) {
            huge.header(1L << 40);
            assertTrue(huge.closedByOtherSide());
        }
        try (RawPeer wrongTarget = new RawPeer(b.localPort())) {
            assertEquals("no this is b, not c", wrongTarget.hello("x", "c"));
            assertTrue(wrongTarget.closedByOtherSide());
        }
        try (RawPeer badId = new RawPeer(b.localPort())) {
            badId.frame(bytes("formix-tcp/1 ../etc b"));
            assertTrue(badId.closedByOtherSide());
        }
        assertFalse(b.receiveAny(Duration.ofMillis(100)).isPresent());
        TcpTransport a = open(A);
        a.send(B, bytes("usable"));
        assertEquals("usable", text(b.receive(A, WAIT).orElseThrow()));
    }

    @Test
    void silentConnectionsAreBoundedAndDoNotBlockOthersForever() throws Exception {
        TcpTransport b = open(B, 0, options().withHelloTimeout(Duration.ofSeconds(60)));
        List<RawPeer> silent = new ArrayList<>();
        try {
            for (int i = 0; i < DirectoryConnector.MAX_PENDING_HELLOS; i++) {
                silent.add(new RawPeer(b.localPort()));
            }
            try (RawPeer oneTooMany = new RawPeer(b.localPort())) {
                long start = System.nanoTime();
                assertTrue(oneTooMany.closedByOtherSide(), "refused while too many hellos are pending");
                assertTrue(
                        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(9), "refused at once, not by a timeout");
            }
        } finally {
            for (RawPeer p : silent) {
                p.close();
            }
        }
        TcpTransport a = open(A);
        a.send(B, bytes("served again"));
        assertEquals("served again", text(b.receive(A, WAIT).orElseThrow()));
    }

    @Test
    void establishedInboundConnectionsAreBoundedAndEachClaimedIdBeyondIsRefused() throws Exception {
        TcpTransport b = open(B, 0, options().withMaxInboundConnections(2));
        try (RawPeer p1 = new RawPeer(b.localPort());
                RawPeer p2 = new RawPeer(b.localPort())) {
            assertEquals("ok", p1.hello("p1", "b"));
            assertEquals("ok", p2.hello("p2", "b"));
            try (RawPeer p3 = new RawPeer(b.localPort())) {
                assertEquals("no too many inbound connections (limit 2)", p3.hello("p3", "b"));
                assertTrue(p3.closedByOtherSide());
            }
            p1.frame(bytes("from p1"));
            assertEquals(
                    "from p1",
                    text(b.receive(PartyId.of("p1"), WAIT).orElseThrow()),
                    "the established ones keep working");
        }
        // Their readers end; then a new party is admitted again.
        TcpTransport a = open(A);
        a.send(B, bytes("admitted"));
        assertEquals("admitted", text(b.receive(A, WAIT).orElseThrow()));
        assertTrue(a.awaitDelivered(B, WAIT));
    }

    @Test
    void halfCloseBetweenFramesIsACleanEnd() throws Exception {
        TcpTransport b = open(B);
        try (RawPeer raw = helloAsX(b)) {
            raw.frame(bytes("one"));
            raw.frame(bytes("two"));
            raw.shutdownOutput();
            assertEquals("one", text(b.receive(X, WAIT).orElseThrow()));
            assertEquals("two", text(b.receive(X, WAIT).orElseThrow()));
            assertFalse(b.receive(X, Duration.ofMillis(200)).isPresent(), "no error after a clean end");
            assertTrue(raw.closedByOtherSide());
        }
    }

    @Test
    void endInsideAFrameIsReportedAndTheNextConnectionWorks() throws Exception {
        TcpTransport b = open(B);
        try (RawPeer raw = helloAsX(b)) {
            raw.header(100);
            raw.bytes(new byte[10]);
            raw.shutdownOutput();
            CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> b.receive(X, WAIT));
            assertTrue(e.getMessage().contains("ended inside a frame"), e.getMessage());
        }
        try (RawPeer again = helloAsX(b)) {
            again.frame(bytes("again"));
            Message m = b.receive(X, WAIT).orElseThrow();
            assertEquals("again", text(m));
            assertEquals(0, m.sequence());
        }
    }

    @Test
    void resetByPeerLeavesTheTransportUsable() throws Exception {
        TcpTransport b = open(B);
        try (RawPeer raw = helloAsX(b)) {
            raw.frame(bytes("before reset"));
            assertEquals("before reset", text(b.receive(X, WAIT).orElseThrow()));
            raw.header(50);
            raw.reset();
        }
        try (RawPeer again = helloAsX(b)) {
            again.frame(bytes("after reset"));
            // The reset may or may not leave a report of the cut frame first; then the new message.
            Message m = null;
            while (m == null) {
                try {
                    m = b.receive(X, WAIT).orElseThrow();
                } catch (CorruptMessageException cut) {
                    assertEquals(X, cut.from());
                }
            }
            assertEquals("after reset", text(m));
        }
    }

    @Test
    void aPeerThatNeverReadsBlocksTheSenderWithBoundedMemoryUntilClose() throws Exception {
        try (ServerSocket stuck = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            directory.put(B, new InetSocketAddress(InetAddress.getLoopbackAddress(), stuck.getLocalPort()));
            TcpTransport a = open(A);
            Future<RawPeer> acceptor = pool.submit(() -> {
                RawPeer peer = new RawPeer(stuck.accept());
                byte[] hello = peer.readFrame();
                assertEquals("formix-tcp/1 a b", new String(hello, StandardCharsets.US_ASCII));
                peer.frame(Hello.accept());
                return peer; // and never reads again
            });
            AtomicLong sent = new AtomicLong();
            byte[] chunk = new byte[256 * 1024];
            java.util.concurrent.CompletableFuture<Thread> senderThread =
                    new java.util.concurrent.CompletableFuture<>();
            Future<?> sender = pool.submit(() -> {
                senderThread.complete(Thread.currentThread());
                while (true) {
                    a.send(B, chunk);
                    sent.incrementAndGet();
                }
            });
            try (RawPeer peer = acceptor.get(10, TimeUnit.SECONDS)) {
                Thread writer = senderThread.get(10, TimeUnit.SECONDS);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                long last = -1;
                long now = sent.get();
                // Blocked: in a socket write, with no send completed over one poll interval.
                while (!(now == last && SocketWrites.inSocketWrite(writer))) {
                    assertTrue(System.nanoTime() < deadline, "the sender never blocked (" + now + " sent)");
                    last = SocketWrites.inSocketWrite(writer) ? now : -1;
                    Thread.sleep(20); // poll interval: nothing signals a blocked native write
                    now = sent.get();
                }
                assertFalse(sender.isDone(), "the sender blocks rather than failing or buffering");
                long bytesOut = now * chunk.length;
                assertTrue(bytesOut < 64L * 1024 * 1024, "sent " + bytesOut + " bytes into a peer that never reads");
                a.close();
                ExecutionException e = assertThrows(ExecutionException.class, () -> sender.get(5, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof TransportClosedException, "got " + e.getCause());
            }
        }
    }

    @Test
    void aSlowReceiverPushesBackThroughItsBoundedInboxWithoutLoss() throws Exception {
        TcpTransport a = open(A);
        TcpTransport b = open(B, 0, options().withInboxBytesPerPeer(256 * 1024));
        int n = 400;
        Future<?> sender = pool.submit(() -> {
            for (int i = 0; i < n; i++) {
                byte[] p = new byte[64 * 1024];
                ByteBuffer.wrap(p).putInt(i);
                a.send(B, p);
            }
            return null;
        });
        // 25 MiB cannot fit into a 256 KiB inbox plus socket buffers: the sender must wait for b.
        for (int i = 0; i < n; i++) {
            Message m = b.receive(A, WAIT).orElseThrow();
            assertEquals(i, ByteBuffer.wrap(m.payload()).getInt());
            assertEquals(64 * 1024, m.payload().length);
        }
        sender.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(a.awaitDelivered(B, WAIT));
    }

    @Test
    void maxSizedFramesCrossByteForByte() throws Exception {
        TcpTransport a = open(A);
        TcpTransport b = open(B);
        byte[] big = new byte[MAX];
        new java.util.Random(7).nextBytes(big);
        a.send(B, big);
        assertArrayEquals(big, b.receive(A, WAIT).orElseThrow().payload());
    }
}
