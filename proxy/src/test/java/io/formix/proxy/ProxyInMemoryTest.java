package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.FreePorts;
import io.formix.transport.InMemoryNetwork;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pumping logic over real loopback sockets, with an in-memory file side: frames, raw streams,
 * bad input, backpressure, reconnection and shutdown.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyInMemoryTest extends ProxyTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int MAX = 8 << 20;
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(800);

    private final InMemoryNetwork net = new InMemoryNetwork(MAX, 4096);

    private Proxy start(int pid, int base, Framing framing, Transport t) throws IOException {
        ProxyConfig cfg = ProxyConfig.builder(pid, 2, base, base)
                .framing(framing)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .poll(Duration.ofMillis(20))
                .shutdownGrace(Duration.ofMillis(500))
                .build();
        return track(Proxy.start(cfg, t));
    }

    /** Party 1's proxy (it listens for its application on base+1) with party 0 held directly. */
    private Socket connectApp1(int base) throws IOException {
        Socket s = track(new Socket(InetAddress.getLoopbackAddress(), base + 1));
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] receivePayload(Transport t, PartyId from) throws Exception {
        Optional<Message> m = t.receive(from, WAIT);
        assertTrue(m.isPresent(), "no message from " + from + " within " + WAIT);
        return m.get().payload();
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void twoProxiesCarryRandomlyChunkedFramesBothWaysInOrder(Framing framing) throws Exception {
        int base0 = FreePorts.base(1);
        int base1 = FreePorts.base(1);
        ServerSocket app0Server = track(FreePorts.listen(base0 + 1)); // app 0 listens (lower pid)
        start(0, base0, framing, net.open(P0));
        start(1, base1, framing, net.open(P1));
        Socket app0 = track(app0Server.accept());
        Socket app1 = connectApp1(base1);

        Traffic zeroToOne = new Traffic(11, 2000, 400, 2 << 20);
        Traffic oneToZero = new Traffic(12, 2000, 400, 2 << 20);
        CompletableFuture<Void> w0 = run(() -> zeroToOne.writeAll(app0.getOutputStream(), 1));
        CompletableFuture<Void> w1 = run(() -> oneToZero.writeAll(app1.getOutputStream(), 2));
        CompletableFuture<Void> r1 = run(() -> zeroToOne.readAndCheck(app1.getInputStream()));
        CompletableFuture<Void> r0 = run(() -> oneToZero.readAndCheck(app0.getInputStream()));
        CompletableFuture.allOf(w0, w1, r0, r1).get(50, TimeUnit.SECONDS);
    }

    @Test
    void eachFrameIsOneMessageWhoseBytesAreTheFrame() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        start(1, base, Framing.LENGTH_PREFIXED, net.open(P1));
        Socket app = connectApp1(base);
        OutputStream out = app.getOutputStream();
        // Three frames in one write, then an empty one byte by byte.
        byte[] merged = concat(
                FrameCodec.encode(utf8("a")), FrameCodec.encode(utf8("bc")), FrameCodec.encode(new byte[70_000]));
        out.write(merged);
        for (byte b : FrameCodec.encode(new byte[0])) {
            out.write(b);
            out.flush();
        }
        assertArrayEquals(utf8("a"), receivePayload(direct, P1));
        assertArrayEquals(utf8("bc"), receivePayload(direct, P1));
        assertArrayEquals(new byte[70_000], receivePayload(direct, P1));
        assertArrayEquals(new byte[0], receivePayload(direct, P1));

        direct.send(P1, utf8("to the app"));
        DataInputStream in = new DataInputStream(app.getInputStream());
        byte[] frame = new byte[8 + 10];
        in.readFully(frame);
        assertArrayEquals(FrameCodec.encode(utf8("to the app")), frame);
    }

    @ParameterizedTest
    @ValueSource(longs = {-1L, Long.MIN_VALUE, MAX + 1L, Long.MAX_VALUE})
    void aBadFrameLengthClosesTheConnectionAndWritesNothing(long badLength) throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        start(1, base, Framing.LENGTH_PREFIXED, net.open(P1));
        Socket app = connectApp1(base);
        app.getOutputStream().write(FrameCodec.encode(utf8("before")));
        byte[] bad = new byte[8 + 100];
        FrameCodec.putLength(badLength, bad, 0);
        app.getOutputStream().write(bad);
        assertArrayEquals(utf8("before"), receivePayload(direct, P1));
        assertEquals(-1, app.getInputStream().read(), "the proxy must close the connection");

        Socket again = connectApp1(base);
        again.getOutputStream().write(FrameCodec.encode(utf8("after")));
        assertArrayEquals(utf8("after"), receivePayload(direct, P1), "nothing of the bad frame may be sent");
    }

    @Test
    void aFrameCutByADisconnectWritesNothing() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        start(1, base, Framing.LENGTH_PREFIXED, net.open(P1));
        Socket app = connectApp1(base);
        byte[] frame = FrameCodec.encode(new byte[1000]);
        app.getOutputStream().write(frame, 0, 500);
        app.getOutputStream().flush();
        app.close();
        Socket again = connectApp1(base);
        again.getOutputStream().write(FrameCodec.encode(utf8("next")));
        assertArrayEquals(utf8("next"), receivePayload(direct, P1));
    }

    @Test
    void rawModeReproducesTheStreamByteForByte() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        ProxyConfig cfg = ProxyConfig.builder(1, 2, base, base)
                .framing(Framing.RAW)
                .rawChunkBytes(1000)
                .poll(Duration.ofMillis(20))
                .build();
        track(Proxy.start(cfg, net.open(P1)));
        Socket app = connectApp1(base);
        byte[] stream = new byte[123_457];
        new java.util.Random(5).nextBytes(stream);
        app.getOutputStream().write(stream);
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        while (got.size() < stream.length) {
            byte[] chunk = receivePayload(direct, P1);
            assertTrue(chunk.length >= 1 && chunk.length <= 1000, "chunk of " + chunk.length + " bytes");
            got.write(chunk);
        }
        assertArrayEquals(stream, got.toByteArray());

        direct.send(P1, utf8("raw "));
        direct.send(P1, new byte[0]);
        direct.send(P1, utf8("bytes"));
        byte[] back = new byte[9];
        new DataInputStream(app.getInputStream()).readFully(back);
        assertArrayEquals(utf8("raw bytes"), back);
    }

    @Test
    void aStalledApplicationStopsTheTakingOfMessages() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        ObservedTransport observed = new ObservedTransport(net.open(P1));
        start(1, base, Framing.LENGTH_PREFIXED, observed);
        Socket app = connectApp1(base);
        int count = 100;
        int size = 1 << 20;
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[size];
            p[0] = (byte) i;
            direct.send(P1, p);
        }
        long taken = awaitStable(observed.received::get, SETTLE, QUIET);
        // What the socket buffers hold, plus one message in hand: far below 100 MiB.
        assertTrue(taken < 40, "the proxy took " + taken + " of " + count + " messages with a stalled reader");
        DataInputStream in = new DataInputStream(app.getInputStream());
        for (int i = 0; i < count; i++) {
            byte[] frame = new byte[8 + size];
            in.readFully(frame);
            assertEquals(size, FrameCodec.getLength(frame, 0));
            assertEquals((byte) i, frame[8], "message " + i + " out of order");
        }
        assertEquals(count, observed.received.get());
    }

    @Test
    void aStalledFileSideStopsTheReadingOfTheSocket() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        ObservedTransport observed = new ObservedTransport(net.open(P1));
        observed.stall();
        start(1, base, Framing.LENGTH_PREFIXED, observed);
        Socket app = connectApp1(base);
        int count = 64;
        CountDownLatch writerDone = new CountDownLatch(1);
        CompletableFuture<Void> writer = run(() -> {
            for (int i = 0; i < count; i++) {
                byte[] p = new byte[1 << 20];
                p[0] = (byte) i;
                FrameCodec.write(app.getOutputStream(), p);
            }
            writerDone.countDown();
        });
        assertFalse(
                writerDone.await(1500, TimeUnit.MILLISECONDS),
                "64 MiB written although the file side takes nothing: the proxy buffers without bound");
        assertEquals(1, observed.sendsStarted.get(), "the proxy read ahead of a blocked send");
        observed.open();
        writer.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < count; i++) {
            assertEquals((byte) i, receivePayload(direct, P1)[0]);
        }
    }

    @Test
    void theApplicationMayDisconnectAndReconnect() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        Proxy proxy = start(1, base, Framing.LENGTH_PREFIXED, net.open(P1));
        Socket app = connectApp1(base);
        FrameCodec.write(app.getOutputStream(), utf8("first"));
        direct.send(P1, utf8("x"));
        assertArrayEquals(utf8("x"), FrameCodec.read(app.getInputStream(), 100));
        app.close();
        // (A message written while the application is closing is accepted by TCP and lost with the
        // connection; docs/proxy.md says so. Here the proxy has seen the close first.)
        awaitStable(() -> proxy.stats().get(0).connected() ? 1 : 0, SETTLE, QUIET);
        assertFalse(proxy.stats().get(0).connected());
        // Sent while the application is away: waits in the channel.
        direct.send(P1, utf8("y"));
        direct.send(P1, utf8("z"));
        Socket back = connectApp1(base);
        assertArrayEquals(utf8("y"), FrameCodec.read(back.getInputStream(), 100));
        assertArrayEquals(utf8("z"), FrameCodec.read(back.getInputStream(), 100));
        FrameCodec.write(back.getOutputStream(), utf8("second"));
        assertArrayEquals(utf8("first"), receivePayload(direct, P1));
        assertArrayEquals(utf8("second"), receivePayload(direct, P1));
    }

    @Test
    void theProxyConnectsToALateApplicationAndReconnectsAfterItLeaves() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P1));
        start(0, base, Framing.LENGTH_PREFIXED, net.open(P0)); // app 0 not listening yet
        direct.send(P0, utf8("queued before the app was up"));
        try (ServerSocket appServer = FreePorts.listen(base + 1)) {
            Socket first = track(appServer.accept());
            assertArrayEquals(utf8("queued before the app was up"), FrameCodec.read(first.getInputStream(), 100));
            first.close();
            Socket second = track(appServer.accept());
            direct.send(P0, utf8("after reconnect"));
            assertArrayEquals(utf8("after reconnect"), FrameCodec.read(second.getInputStream(), 100));
            FrameCodec.write(second.getOutputStream(), utf8("reply"));
            assertArrayEquals(utf8("reply"), receivePayload(direct, P0));
        }
    }

    @Test
    void aMessageWhoseWriteFailedIsWrittenFirstOnTheNextConnection() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        start(1, base, Framing.LENGTH_PREFIXED, net.open(P1));
        Socket app = new Socket();
        track(app);
        app.setReceiveBufferSize(4096);
        app.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), base + 1));
        byte[] big = new byte[MAX];
        big[MAX - 1] = 42;
        direct.send(P1, big);
        InputStream in = app.getInputStream();
        assertEquals(0, in.read()); // the write has begun
        app.setSoLinger(true, 0);
        app.close(); // reset: the proxy's write of the 8 MiB frame fails midway
        Socket again = connectApp1(base);
        byte[] frame = FrameCodec.read(again.getInputStream(), MAX);
        assertNotNull(frame);
        assertArrayEquals(big, frame);
    }

    @Test
    void shutdownFinishesAFrameInHandWithinTheGrace() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        ProxyConfig cfg = ProxyConfig.builder(1, 2, base, base)
                .poll(Duration.ofMillis(20))
                .shutdownGrace(Duration.ofSeconds(10))
                .build();
        Transport mine = net.open(P1);
        Proxy proxy = track(Proxy.start(cfg, mine));
        Socket app = connectApp1(base);
        // The proxy must have accepted the connection before it is stopped (a shutdown before the
        // accept would rightly drop the frame); its reader then finds the partial frame waiting.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!proxy.stats().get(0).connected()) {
            assertTrue(System.nanoTime() < deadline, "the proxy never accepted the application");
            new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
        }
        byte[] frame = FrameCodec.encode(utf8("finished during shutdown"));
        app.getOutputStream().write(frame, 0, 12);
        app.getOutputStream().flush();
        CompletableFuture<Boolean> stopping = CompletableFuture.supplyAsync(() -> {
            try {
                return proxy.shutdown();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        app.getOutputStream().write(frame, 12, frame.length - 12);
        app.getOutputStream().flush();
        assertTrue(stopping.get(20, TimeUnit.SECONDS), "clean shutdown expected");
        assertArrayEquals(utf8("finished during shutdown"), receivePayload(direct, P1));
        assertThrows(TransportClosedException.class, () -> mine.send(P0, new byte[1]));
        FreePorts.listen(base + 1).close(); // the port was released
    }

    @Test
    void shutdownRollsBackAFrameThatDoesNotFinish() throws Exception {
        int base = FreePorts.base(1);
        Transport direct = track(net.open(P0));
        ProxyConfig cfg = ProxyConfig.builder(1, 2, base, base)
                .poll(Duration.ofMillis(20))
                .shutdownGrace(Duration.ofMillis(200))
                .build();
        Proxy proxy = track(Proxy.start(cfg, net.open(P1)));
        Socket app = connectApp1(base);
        FrameCodec.write(app.getOutputStream(), utf8("whole"));
        byte[] frame = FrameCodec.encode(new byte[1000]);
        app.getOutputStream().write(frame, 0, 300);
        app.getOutputStream().flush();
        assertArrayEquals(utf8("whole"), receivePayload(direct, P1));
        assertTrue(proxy.shutdown());
        assertEquals(Optional.empty(), direct.receive(P1, Duration.ofMillis(200)));
        assertEquals(-1, app.getInputStream().read(), "the connection is closed");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    interface IoAction {
        void run() throws Exception;
    }

    static CompletableFuture<Void> run(IoAction a) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        a.run();
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                },
                r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    t.start();
                });
    }
}
