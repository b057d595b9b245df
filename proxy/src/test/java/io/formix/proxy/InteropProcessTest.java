package io.formix.proxy;

import static io.formix.proxy.ProxyInMemoryTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.FreePorts;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import io.formix.transport.spi.PairwisePorts;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability with real sockets and real processes: proxies run as child JVMs
 * ({@code FormixProxyCommand} on the test class path), applications are sockets in this JVM, and
 * parties that use the file transport directly share the same folder.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class InteropProcessTest extends ProxyTestBase {
    private static final Duration START = Duration.ofSeconds(30);
    private static final int MAX = 64 << 20;

    @TempDir
    Path dir;

    private int started;

    private ProxyProcess proxy(int pid, int parties, int base, Framing framing, String... extra) throws IOException {
        Path data = dir.resolve("channels");
        return track(ProxyProcess.start(
                dir.resolve("proxy-" + pid + "-" + (++started) + ".log"),
                ProxyProcess.args(pid, parties, data, base, framing, extra)));
    }

    private Transport direct(int pid) throws IOException {
        return track(FileTransport.builder(dir.resolve("channels"), PartyId.ofPid(pid))
                .maxMessageBytes(MAX)
                .durable(false)
                .open());
    }

    private Socket accept(ServerSocket server) throws IOException {
        server.setSoTimeout((int) START.toMillis());
        Socket s = track(server.accept());
        s.setSoTimeout(60_000);
        return s;
    }

    private Socket connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Connects, with a small receive buffer if {@code receiveBuffer > 0} (a slow reader). */
    private Socket connect(int port, int receiveBuffer) throws IOException {
        Socket s = track(new Socket());
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        s.setSoTimeout(60_000);
        return s;
    }

    private static CompletableFuture<Void> exchange(Socket a, Socket b, Traffic aToB, Traffic bToA, long seed) {
        return CompletableFuture.allOf(
                run(() -> aToB.writeAll(a.getOutputStream(), seed)),
                run(() -> bToA.writeAll(b.getOutputStream(), seed + 1)),
                run(() -> aToB.readAndCheck(b.getInputStream())),
                run(() -> bToA.readAndCheck(a.getInputStream())));
    }

    @Test
    void tenThousandFramesUpTo4MiBCrossTwoProxyProcessesBothWaysAtOnce() throws Exception {
        int base0 = FreePorts.base(1);
        int base1 = FreePorts.base(1);
        ServerSocket app0Server = track(FreePorts.listen(base0 + 1));
        ProxyProcess p0 = proxy(0, 2, base0, Framing.LENGTH_PREFIXED, "--no-fsync");
        ProxyProcess p1 = proxy(1, 2, base1, Framing.LENGTH_PREFIXED, "--no-fsync");
        p1.awaitLog("started", START);
        Socket app1 = connect(base1 + 1);
        Socket app0 = accept(app0Server);
        // Most frames 0..2 KiB, every 500th up to 4 MiB: ~50 MB each way, a 2-core CI's worth.
        Traffic zeroToOne = new Traffic(101, 10_000, 500, 4 << 20);
        Traffic oneToZero = new Traffic(102, 10_000, 500, 4 << 20);
        exchange(app0, app1, zeroToOne, oneToZero, 7).get(100, TimeUnit.SECONDS);
        assertEquals(0, p0.terminate(START), p0.output());
        assertEquals(0, p1.terminate(START), p1.output());
    }

    @ParameterizedTest(name = "party {0} behind the proxy")
    @ValueSource(ints = {0, 1})
    void aTcpPartyBehindTheProxyTalksToAFileTransportParty(int proxied) throws Exception {
        int other = 1 - proxied;
        int base = FreePorts.base(1);
        Transport files = direct(other);
        Socket app;
        if (proxied == 0) { // app 0 listens, its proxy connects
            ServerSocket server = track(FreePorts.listen(base + 1));
            proxy(0, 2, base, Framing.LENGTH_PREFIXED);
            app = accept(server);
        } else { // app 1 connects to its proxy
            proxy(1, 2, base, Framing.LENGTH_PREFIXED).awaitLog("started", START);
            app = connect(base + 1);
        }
        PartyId proxiedId = PartyId.ofPid(proxied);
        Traffic fromApp = new Traffic(201 + proxied, 500, 100, 1 << 20);
        Traffic fromFiles = new Traffic(301 + proxied, 500, 100, 1 << 20);
        CompletableFuture<Void> appWrites = run(() -> fromApp.writeAll(app.getOutputStream(), 3));
        CompletableFuture<Void> appReads = run(() -> fromFiles.readAndCheck(app.getInputStream()));
        CompletableFuture<Void> filesWrite = run(() -> {
            for (int k = 0; k < fromFiles.frames; k++) {
                files.send(proxiedId, fromFiles.payload(k));
            }
        });
        for (int k = 0; k < fromApp.frames; k++) {
            Optional<Message> m = files.receive(proxiedId, Duration.ofSeconds(30));
            assertTrue(m.isPresent(), "frame " + k + " never reached the file party");
            assertArrayEquals(fromApp.payload(k), m.get().payload(), "frame " + k);
        }
        CompletableFuture.allOf(appWrites, appReads, filesWrite).get(60, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Framing.class)
    void threePartiesAllPairsBothWays(Framing framing) throws Exception {
        int[] bases = {FreePorts.base(3), FreePorts.base(3), FreePorts.base(3)};
        // Applications at the lower pid listen on their own base + offset.
        ServerSocket[][] servers = new ServerSocket[3][3];
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                servers[a][b] = track(FreePorts.listen(bases[a] + PairwisePorts.offset(a, b, 3)));
            }
        }
        ProxyProcess[] proxies = new ProxyProcess[3];
        for (int i = 0; i < 3; i++) {
            proxies[i] = proxy(i, 3, bases[i], framing, "--no-fsync");
        }
        for (ProxyProcess p : proxies) {
            p.awaitLog("started", START);
        }
        List<CompletableFuture<Void>> flows = new ArrayList<>();
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) {
                Socket atB = connect(bases[b] + PairwisePorts.offset(a, b, 3)); // app b -> proxy b
                Socket atA = accept(servers[a][b]); // proxy a -> app a
                flows.add(exchange(
                        atA,
                        atB,
                        new Traffic(10 * a + b, 300, 100, 256 << 10),
                        new Traffic(10 * b + a, 300, 100, 256 << 10),
                        a * 3L + b));
            }
        }
        CompletableFuture.allOf(flows.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        for (ProxyProcess p : proxies) {
            assertEquals(0, p.terminate(START), p.output());
        }
    }

    @Test
    void aLateApplicationGetsOneLogLineAndSigtermExitsZero() throws Exception {
        int base = FreePorts.base(1);
        Transport files = direct(1);
        ProxyProcess p = proxy(0, 2, base, Framing.LENGTH_PREFIXED);
        p.awaitLog("waiting for the application", START);
        ProxyProcess.pause(1500); // several connection attempts with backoff
        files.send(PartyId.ofPid(0), "early".getBytes());
        try (ServerSocket server = FreePorts.listen(base + 1)) {
            Socket app = accept(server);
            assertArrayEquals("early".getBytes(), FrameCodec.read(app.getInputStream(), 100));
            FrameCodec.write(app.getOutputStream(), "late".getBytes());
            assertArrayEquals(
                    "late".getBytes(),
                    files.receive(PartyId.ofPid(0), Duration.ofSeconds(30))
                            .orElseThrow()
                            .payload());
        }
        String log = p.output();
        assertEquals(1, log.split("waiting for the application", -1).length - 1, log);
        assertEquals(0, p.terminate(START), p.output());
        assertTrue(p.output().contains("stopped"), p.output());
    }

    /**
     * The measured defect, through the command line: while the application is away an idle socket
     * of the same user gets the link; 50 messages arrive; then the application connects. It gets
     * every message exactly once; none left the folder before.
     */
    @Test
    void anIdleSocketAheadOfTheApplicationConsumesNothing() throws Exception {
        int base = FreePorts.base(1);
        Transport files = direct(0);
        ProxyProcess p = proxy(1, 2, base, Framing.LENGTH_PREFIXED, "--no-fsync", "--probation-ms", "300");
        p.awaitLog("started", START);
        Socket idle = connect(base + 1);
        p.awaitLog("application connected", START);
        for (int i = 0; i < 50; i++) {
            files.send(PartyId.ofPid(1), numbered(i, 1000));
        }
        long deadline = System.nanoTime() + START.toNanos();
        while (idle.getInputStream().available() == 0) {
            assertTrue(System.nanoTime() < deadline, "nothing was written to the idle socket");
            ProxyProcess.pause(10);
        }
        Path channel = dir.resolve("channels").resolve("0_to_1");
        assertEquals(50, awaitStable(() -> countMsgFiles(channel)), "a message left the folder for the idle socket");
        Socket app = connect(base + 1);
        DataInputStream in = new DataInputStream(app.getInputStream());
        for (int i = 0; i < 50; i++) {
            assertEquals(i, readNumbered(in), "message order");
        }
        app.setSoTimeout(300);
        assertThrows(java.net.SocketTimeoutException.class, in::read, "a message came twice");
        assertEquals(0, awaitStable(() -> countMsgFiles(channel)));
        assertTrue(p.output().contains("read nothing of the 1008 bytes"), p.output());
        assertEquals(0, p.terminate(START), p.output());
    }

    @Test
    void aStalledApplicationLeavesMessagesOnDisk() throws Exception {
        int base = FreePorts.base(1);
        Transport files = direct(0);
        proxy(1, 2, base, Framing.LENGTH_PREFIXED, "--no-fsync").awaitLog("started", START);
        Socket app = connect(base + 1);
        int count = 200;
        int size = 256 << 10;
        for (int i = 0; i < count; i++) {
            files.send(PartyId.ofPid(1), numbered(i, size));
        }
        Path channel = dir.resolve("channels").resolve("0_to_1");
        long left = awaitStable(() -> countMsgFiles(channel));
        assertTrue(
                left >= count - 60,
                "the proxy took " + (count - left) + " of " + count + " messages while its application read nothing");
        DataInputStream in = new DataInputStream(app.getInputStream());
        for (int i = 0; i < count; i++) {
            assertEquals(i, readNumbered(in), "message order");
        }
    }

    @ParameterizedTest(name = "{0} parties")
    @ValueSource(ints = {2, 3})
    void sigkillThenRestartLosesNothingFromTheFilesAndDuplicatesAtMostTheMessageInHand(int parties) throws Exception {
        int base = FreePorts.base(3);
        PartyId one = PartyId.ofPid(1);
        int count = 300;
        List<Integer> peers = parties == 2 ? List.of(0) : List.of(0, 2);
        List<Transport> senders = new ArrayList<>();
        for (int peer : peers) {
            Transport t = direct(peer);
            senders.add(t);
            for (int i = 0; i < count; i++) {
                t.send(one, numbered(i, 64 << 10));
            }
        }
        // Party 1's proxy dies (SIGKILL) while it streams 300 messages from each peer to its
        // application, which reads slowly. Party 1's application: connects to its proxy for peer 0, listens for it for
        // peer 2. Its
        // small receive buffers keep most messages on disk when the proxy dies.
        ServerSocket server2 = null;
        if (parties == 3) {
            server2 = track(new ServerSocket());
            server2.setReceiveBufferSize(16 << 10);
            server2.setReuseAddress(true);
            server2.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), base + 3));
        }
        ProxyProcess first = proxy(1, parties, base, Framing.LENGTH_PREFIXED);
        first.awaitLog("started", START);
        List<Socket> apps = new ArrayList<>();
        apps.add(connect(base + 1, 16 << 10));
        if (parties == 3) {
            apps.add(accept(server2));
        }
        // The application writes 100 frames to party 0, which get there (the proxy has then read
        // everything the application sent, so its death closes the connection instead of resetting it:
        // a reset would also discard what the application had not read yet, see docs/proxy.md).
        for (int i = 0; i < 100; i++) {
            FrameCodec.write(apps.get(0).getOutputStream(), numbered(i, 100));
        }
        apps.get(0).getOutputStream().flush();
        Transport files = senders.get(0);
        for (int i = 0; i < 100; i++) {
            assertEquals(
                    i,
                    ByteBuffer.wrap(files.receive(one, Duration.ofSeconds(30))
                                    .orElseThrow()
                                    .payload())
                            .getInt());
        }
        List<List<Integer>> seen = new ArrayList<>();
        for (Socket app : apps) {
            List<Integer> s = new ArrayList<>();
            DataInputStream in = new DataInputStream(app.getInputStream());
            while (s.size() < 50) {
                s.add(readNumbered(in));
            }
            seen.add(s);
        }
        first.kill();
        for (int k = 0; k < apps.size(); k++) {
            DataInputStream in = new DataInputStream(apps.get(k).getInputStream());
            try {
                while (true) {
                    seen.get(k).add(readNumbered(in)); // what the kernel still holds for the old connection
                }
            } catch (EOFException | java.net.SocketException e) {
                // the old connection is gone
            }
            assertTrue(
                    seen.get(k).size() < count - 50,
                    "the kill came too late to test anything: " + seen.get(k).size());
        }
        ProxyProcess second = proxy(1, parties, base, Framing.LENGTH_PREFIXED);
        second.awaitLog("started", START);
        List<Socket> again = new ArrayList<>();
        again.add(connect(base + 1, 16 << 10));
        if (parties == 3) {
            again.add(accept(server2));
        }
        for (int i = 100; i < 200; i++) {
            FrameCodec.write(again.get(0).getOutputStream(), numbered(i, 100));
        }
        again.get(0).getOutputStream().flush();
        for (int k = 0; k < again.size(); k++) {
            List<Integer> s = seen.get(k);
            DataInputStream in = new DataInputStream(again.get(k).getInputStream());
            while (s.isEmpty() || s.get(s.size() - 1) < count - 1) {
                s.add(readNumbered(in));
            }
            // Every file message reached the application, in order; at most the one message
            // written just before the kill (not yet acknowledged) came again, right after itself.
            List<Integer> distinct = new ArrayList<>();
            int duplicates = 0;
            for (int x : s) {
                if (!distinct.isEmpty() && distinct.get(distinct.size() - 1) == x) {
                    duplicates++;
                } else {
                    distinct.add(x);
                }
            }
            assertTrue(duplicates <= 1, "duplicates from party " + peers.get(k) + ": " + s);
            assertEquals(Stream.iterate(0, i -> i + 1).limit(count).toList(), distinct, "from party " + peers.get(k));
        }
        // Outbound: the restarted proxy continues the channel's numbering; nothing lost or repeated.
        for (int i = 100; i < 200; i++) {
            assertEquals(
                    i,
                    ByteBuffer.wrap(files.receive(one, Duration.ofSeconds(30))
                                    .orElseThrow()
                                    .payload())
                            .getInt());
        }
        assertEquals(Optional.empty(), files.receive(one, Duration.ofMillis(200)));
        assertEquals(0, second.terminate(START), second.output());
    }

    private static byte[] numbered(int i, int size) {
        byte[] p = new byte[size];
        ByteBuffer.wrap(p).putInt(i);
        p[size - 1] = (byte) i;
        return p;
    }

    private static int readNumbered(DataInputStream in) throws IOException {
        byte[] p = FrameCodec.read(in, MAX);
        if (p == null) {
            throw new EOFException();
        }
        int i = ByteBuffer.wrap(p).getInt();
        assertEquals((byte) i, p[p.length - 1], "payload of message " + i);
        return i;
    }
}
