package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.FreePorts;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * "The proxy gives a link only to its engine", over real loopback sockets and real file channels:
 * sockets of another user are refused, and an idle socket that got the link (one opened and left,
 * or waiting in the backlog before the engine) consumes nothing from the channel.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PeerGuardTest extends ProxyTestBase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int FOREIGN_UID = 4242;
    private static final Duration PROBATION = Duration.ofMillis(300);

    @TempDir
    Path dir;

    private SocketTable real;
    /** The real table, with the sockets bound to these local ports owned by {@link #FOREIGN_UID}. */
    private final Set<Integer> foreignPorts = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void needsTheSocketTable() {
        real = ProcNetTcp.system().orElse(null);
        assumeTrue(real != null, "no /proc/net/tcp here: the checks are off (see docs/proxy.md)");
    }

    private SocketTable relabelled() {
        return () -> {
            List<SocketTable.Entry> out = new ArrayList<>();
            for (SocketTable.Entry e : real.snapshot()) {
                out.add(
                        foreignPorts.contains(e.local().getPort())
                                ? new SocketTable.Entry(
                                        e.local(), e.remote(), e.state(), e.txQueue(), e.rxQueue(), FOREIGN_UID)
                                : e);
            }
            return out;
        };
    }

    private Path channels() {
        return dir.resolve("channels");
    }

    private Transport sender() throws IOException {
        return track(FileTransport.builder(channels(), P0).durable(false).open());
    }

    /** Party 1's proxy on real file channels: it listens for its application on {@code base + 1}. */
    private Proxy proxy(int base, ProxyConfig.Builder b) throws IOException {
        Transport mine = FileTransport.builder(channels(), P1).durable(false).open();
        ProxyConfig cfg = b.poll(Duration.ofMillis(20))
                .backoff(Duration.ofMillis(10), Duration.ofMillis(100))
                .shutdownGrace(Duration.ofMillis(300))
                .stateDir(dir.resolve("state"))
                .probation(PROBATION)
                .build();
        return track(Proxy.start(cfg, mine, relabelled()));
    }

    private Proxy listeningProxy(int base) throws IOException {
        return proxy(base, ProxyConfig.builder(1, 2, base, base));
    }

    private Socket connect(int port, boolean foreign) throws IOException {
        Socket s = track(new Socket());
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        if (foreign) {
            foreignPorts.add(s.getLocalPort());
        }
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        s.setSoTimeout((int) WAIT.toMillis());
        return s;
    }

    private static byte[] numbered(int i) {
        byte[] p = new byte[100 + i * 37];
        ByteBuffer.wrap(p).putInt(i);
        p[p.length - 1] = (byte) i;
        return p;
    }

    private static void sendNumbered(Transport t, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            t.send(P1, numbered(i));
        }
    }

    /** Reads frames {@code from..to-1} and checks each; then that nothing more comes for a while. */
    private static void expectExactly(Socket app, int from, int to) throws IOException {
        DataInputStream in = new DataInputStream(app.getInputStream());
        for (int i = from; i < to; i++) {
            assertArrayEquals(numbered(i), FrameCodec.read(in, 1 << 20), "frame " + i);
        }
        app.setSoTimeout(300);
        assertThrows(SocketTimeoutException.class, () -> in.read(), "a frame came twice or from nowhere");
    }

    private long msgFiles() {
        return countMsgFiles(channels().resolve("0_to_1"));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "never: " + what);
            ProxyProcess.pause(10);
        }
    }

    private static int available(Socket s) {
        try {
            return s.getInputStream().available();
        } catch (IOException e) {
            return -1;
        }
    }

    /** What a socket the proxy closed holds: all its bytes up to the end of the stream. */
    private static byte[] drain(Socket s) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketException e) {
            // reset after the bytes it had: what was read counts
        }
        return b.toByteArray();
    }

    /**
     * The measured defect. The engine reads one frame and leaves; while it is away a socket of the
     * same user connects and idles (the proxy takes it), a second waits in the backlog, then 50
     * frames arrive. The frame written to each idle socket is never acknowledged: all 50 stay in
     * the folder until the engine is back, then the engine gets every frame exactly once.
     */
    @Test
    void idleSocketsThatGotTheLinkFirstConsumeNothingAndTheEngineGetsEveryFrameOnce() throws Exception {
        int base = FreePorts.base(1);
        Transport sender = sender();
        Proxy proxy = listeningProxy(base);
        Socket before = connect(base + 1, false);
        sender.send(P1, "hello".getBytes());
        assertArrayEquals("hello".getBytes(), FrameCodec.read(before.getInputStream(), 100));
        before.close();
        await(() -> !proxy.stats().get(0).connected(), "the proxy saw the engine leave");

        Socket idle = connect(base + 1, false);
        await(() -> proxy.stats().get(0).connected(), "the proxy took the idle socket");
        Socket queued = connect(base + 1, false); // in the backlog behind it
        sendNumbered(sender, 0, 50);
        await(() -> available(idle) > 0, "frame 0 written to the idle socket");
        // The queued socket waits, so the idle one is closed past its probation, unacknowledged;
        // the queued one then gets frame 0 and keeps the link (no one else waits).
        await(() -> available(queued) > 0, "frame 0 written to the queued socket");
        assertEquals(1, proxy.stats().get(0).abandoned());
        assertEquals(
                50,
                awaitStable(this::msgFiles, WAIT, Duration.ofMillis(600)),
                "no frame may leave the folder before the engine has it");
        assertEquals(1, proxy.stats().get(0).messagesIn(), "only 'hello' counts as written");

        Socket engine = connect(base + 1, false);
        expectExactly(engine, 0, 50);
        await(() -> msgFiles() == 0, "every frame acknowledged once the engine had it");
        assertEquals(2, proxy.stats().get(0).abandoned());
        assertEquals(51, proxy.stats().get(0).messagesIn());
        // Each idle socket holds frame 0 at most (TCP had taken it), nothing more.
        for (Socket s : List.of(idle, queued)) {
            byte[] got = drain(s);
            assertArrayEquals(FrameCodec.encode(numbered(0)), got, "an idle socket got more than the first frame");
        }
    }

    /**
     * Sockets that connect and close at once (one with a reset), or as soon as the first frame is
     * in their buffer, unread, take nothing from the channel.
     */
    @Test
    void socketsThatConnectAndCloseAtOnceConsumeNothing() throws Exception {
        int base = FreePorts.base(1);
        Transport sender = sender();
        Proxy proxy = listeningProxy(base);
        sendNumbered(sender, 0, 20);
        for (int k = 0; k < 5; k++) {
            Socket s = connect(base + 1, false);
            if (k == 0) {
                s.setSoLinger(true, 0);
            }
            if (k >= 3) {
                await(() -> available(s) > 0, "frame 0 written to socket " + k);
            }
            s.close();
            int done = k + 1;
            await(
                    () -> {
                        LinkStats st = proxy.stats().get(0);
                        return st.connections() + st.refused() == done && !st.connected();
                    },
                    "the proxy took and dropped connection " + done);
        }
        assertEquals(20, msgFiles(), "nothing acknowledged");
        assertEquals(0, proxy.stats().get(0).messagesIn());
        Socket engine = connect(base + 1, false);
        expectExactly(engine, 0, 20);
        await(() -> msgFiles() == 0, "every frame acknowledged once the engine had it");
    }

    /**
     * An engine slow to read its first frame keeps its connection when what waits behind it would
     * not be served (a socket of another user, one already closed); it loses it only to a waiting
     * open socket of an allowed user.
     */
    @Test
    void onlyAnOpenConnectionOfAnAllowedUserCountsAsWaiting() throws Exception {
        int base = FreePorts.base(1);
        ProxyConfig cfg = ProxyConfig.builder(1, 2, base, base).build();
        InetSocketAddress bound = new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 1);
        InetSocketAddress current = new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000);
        List<SocketTable.Entry> table = new ArrayList<>();
        SocketTable fixed = () -> table;
        PeerGuard guard = PeerGuard.of(cfg, fixed);
        int own = PeerGuard.processUid();
        ListeningConnector c = ListeningConnector.bind(
                new Link(1, 0, Link.Role.LISTEN, base + 1), InetAddress.getLoopbackAddress(), guard);
        track(c::stop);
        addPair(table, bound, current, SocketTable.ESTABLISHED, own);
        addPair(table, bound, port(50001), SocketTable.ESTABLISHED, FOREIGN_UID);
        addPair(table, bound, port(50002), 0x08 /* CLOSE_WAIT: its client closed */, own);
        table.add(new SocketTable.Entry(bound, port(50003), SocketTable.ESTABLISHED, 0, 0, own)); // client gone
        assertFalse(c.othersWaiting(table, current));
        addPair(table, bound, port(50004), SocketTable.ESTABLISHED, own);
        assertTrue(c.othersWaiting(table, current));
        assertTrue(guard.allows(own));
        assertFalse(guard.allows(FOREIGN_UID));
    }

    private static InetSocketAddress port(int p) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), p);
    }

    /** The proxy's end on {@code bound} in {@code serverState}, and the client's end owned by {@code uid}. */
    private static void addPair(
            List<SocketTable.Entry> table,
            InetSocketAddress bound,
            InetSocketAddress client,
            int serverState,
            int uid) {
        table.add(new SocketTable.Entry(bound, client, serverState, 0, 0, 0));
        int clientState = serverState == SocketTable.ESTABLISHED ? SocketTable.ESTABLISHED : 0x05; // FIN_WAIT2
        table.add(new SocketTable.Entry(client, bound, clientState, 0, 0, uid));
    }

    /** An engine that reads its first frame late keeps the link while only a foreign socket waits. */
    @Test
    void aSlowEngineKeepsItsConnectionWhileOnlyAForeignSocketWaits() throws Exception {
        int base = FreePorts.base(1);
        Transport sender = sender();
        Proxy proxy = listeningProxy(base);
        Socket slow = connect(base + 1, false);
        sendNumbered(sender, 0, 3);
        await(() -> available(slow) > 0, "frame 0 written to the slow engine");
        Socket foreign = connect(base + 1, true); // waits in the backlog
        // Well past the probation: the slow engine is not closed.
        assertEquals(0, awaitStable(() -> proxy.stats().get(0).abandoned(), WAIT, PROBATION.multipliedBy(3)));
        expectExactly(slow, 0, 3);
        slow.close();
        assertEquals(-1, foreign.getInputStream().read(), "then the foreign socket is refused");
        await(() -> proxy.stats().get(0).refused() == 1, "the refusal counted");
    }

    /**
     * Without a socket table (no /proc) both checks are off, as documented: every connection is
     * served at once and what is written to it is acknowledged, even if it never reads.
     */
    @Test
    void withoutTheSocketTableEveryConnectionIsTrustedAsBefore() throws Exception {
        int base = FreePorts.base(1);
        Transport sender = sender();
        Transport mine = FileTransport.builder(channels(), P1).durable(false).open();
        Proxy proxy = track(Proxy.start(
                ProxyConfig.builder(1, 2, base, base)
                        .poll(Duration.ofMillis(20))
                        .probation(PROBATION)
                        .build(),
                mine,
                null));
        Socket idle = connect(base + 1, false);
        sendNumbered(sender, 0, 5);
        await(() -> msgFiles() == 0, "all five acknowledged although nothing read them");
        assertEquals(5, proxy.stats().get(0).messagesIn());
        expectExactly(idle, 0, 5);
    }

    @Test
    void onlyAddressesOfThisMachineAreLocal() throws Exception {
        assertTrue(PeerGuard.isLocal(InetAddress.getLoopbackAddress()));
        assertTrue(PeerGuard.isLocal(InetAddress.getByName("::1")));
        assertTrue(PeerGuard.isLocal(InetAddress.getByName("0.0.0.0")));
        assertFalse(PeerGuard.isLocal(InetAddress.getByName("192.0.2.1")), "TEST-NET-1 is no address of ours");
    }

    /** A socket of another user is closed at once and gets nothing; the engine then gets everything. */
    @Test
    void aConnectionFromAnotherUserIsRefused() throws Exception {
        int base = FreePorts.base(1);
        Transport sender = sender();
        Proxy proxy = listeningProxy(base);
        sendNumbered(sender, 0, 10);
        Socket foreign = connect(base + 1, true);
        assertEquals(-1, foreign.getInputStream().read(), "closed by the proxy without a byte");
        await(() -> proxy.stats().get(0).refused() == 1, "the refusal counted");
        assertEquals(0, proxy.stats().get(0).connections());
        assertEquals(10, msgFiles());
        Socket engine = connect(base + 1, false);
        expectExactly(engine, 0, 10);
        assertEquals(1, proxy.stats().get(0).connections());
    }

    @Test
    void anAllowedUidGetsTheLink() throws Exception {
        int base = FreePorts.base(1);
        Transport sender = sender();
        proxy(base, ProxyConfig.builder(1, 2, base, base).allowUids(Set.of(FOREIGN_UID)));
        sendNumbered(sender, 0, 3);
        Socket other = connect(base + 1, true);
        expectExactly(other, 0, 3);
    }

    /**
     * Where the proxy connects: a listener of another user on the engine's port (the engine is
     * down) is refused and retried; once the port's owner is ours, the frames flow.
     */
    @Test
    void aListenerOfAnotherUserIsNotGivenTheLink() throws Exception {
        int base = FreePorts.base(1);
        Transport toZero =
                track(FileTransport.builder(channels(), P1).durable(false).open());
        ServerSocket app = track(FreePorts.listen(base + 1));
        app.setSoTimeout((int) WAIT.toMillis());
        foreignPorts.add(base + 1); // the sockets this listener accepts belong to uid 4242
        Transport mine = FileTransport.builder(channels(), P0).durable(false).open();
        Proxy proxy = track(Proxy.start(
                ProxyConfig.builder(0, 2, base, base)
                        .poll(Duration.ofMillis(20))
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                        .probation(PROBATION)
                        .build(),
                mine,
                relabelled()));
        for (int i = 0; i < 3; i++) {
            toZero.send(PartyId.ofPid(0), numbered(i));
        }
        Socket refused = track(app.accept());
        refused.setSoTimeout((int) WAIT.toMillis());
        assertEquals(-1, refused.getInputStream().read(), "closed by the proxy without a byte");
        await(() -> proxy.stats().get(0).refused() >= 1, "the refusal counted");
        foreignPorts.clear();
        // Connections the proxy made while the port was still foreign end without a byte: skip them.
        byte[] first;
        DataInputStream in;
        do {
            Socket engine = track(app.accept());
            engine.setSoTimeout((int) WAIT.toMillis());
            in = new DataInputStream(engine.getInputStream());
            first = FrameCodec.read(in, 1 << 20);
        } while (first == null);
        assertArrayEquals(numbered(0), first);
        for (int i = 1; i < 3; i++) {
            assertArrayEquals(numbered(i), FrameCodec.read(in, 1 << 20));
        }
    }
}
