package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FrameCodec;
import io.formix.transport.FreePorts;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import java.io.DataInputStream;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The proxy on real file channels: foreign and corrupt inbound files, and SIGTERM with a stalled application. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyFileChannelTest extends ProxyTestBase {
    @TempDir
    Path dir;

    private Path channels() {
        return dir.resolve("channels");
    }

    @Test
    void corruptAndForeignInboundFilesAreSetAsideAndTheRestFlows() throws Exception {
        Transport sender = track(FileTransport.builder(channels(), P0).open());
        for (String s : List.of("zero", "one", "two")) {
            sender.send(P1, s.getBytes());
        }
        Path channel = channels().resolve("0_to_1");
        // Message 1 claims a negative length; foreign names sit beside the messages.
        byte[] bad = FrameCodec.encode("one".getBytes());
        FrameCodec.putLength(-5, bad, 0);
        Files.write(channel.resolve("00000001.msg"), bad);
        Files.write(channel.resolve("README.txt"), "not a message".getBytes());
        Files.write(channel.resolve(".00000003.msg.tmp"), new byte[3]);
        Files.write(channel.resolve("00000002.sync-conflict-20260101-000000-ABC.msg"), new byte[9]);

        int base = FreePorts.base(1);
        Transport mine = FileTransport.builder(channels(), P1).open();
        track(Proxy.start(
                ProxyConfig.builder(1, 2, base, base)
                        .poll(Duration.ofMillis(20))
                        .stateDir(dir.resolve("state"))
                        .build(),
                mine));
        Socket app = track(new Socket(InetAddress.getLoopbackAddress(), base + 1));
        app.setSoTimeout(30_000);
        assertArrayEquals("zero".getBytes(), FrameCodec.read(app.getInputStream(), 100));
        assertArrayEquals("two".getBytes(), FrameCodec.read(app.getInputStream(), 100));
        sender.send(P1, "three".getBytes());
        assertArrayEquals("three".getBytes(), FrameCodec.read(app.getInputStream(), 100));
        assertTrue(Files.exists(channel.resolve("README.txt")), "foreign files are left alone");
    }

    @Test
    void sigtermWithAStalledApplicationKeepsTheMessageInHandForTheNextRun() throws Exception {
        Transport sender = track(FileTransport.builder(channels(), P0).open());
        int count = 40;
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[256 << 10];
            ByteBuffer.wrap(p).putInt(i);
            sender.send(P1, p);
        }
        int base = FreePorts.base(1);
        List<String> args =
                ProxyProcess.args(1, 2, channels(), base, Framing.LENGTH_PREFIXED, "--shutdown-grace-ms", "300");
        ProxyProcess first = track(ProxyProcess.start(dir.resolve("first.log"), args));
        first.awaitLog("started", Duration.ofSeconds(30));
        Socket app = new Socket();
        track(app);
        app.setReceiveBufferSize(16 << 10);
        app.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), base + 1));
        app.setSoTimeout(30_000);
        DataInputStream in = new DataInputStream(app.getInputStream());
        List<Integer> seen = new ArrayList<>();
        seen.add(ByteBuffer.wrap(FrameCodec.read(in, 1 << 20)).getInt());
        // The application stops reading; once the proxy takes no more files it is blocked writing
        // a message. SIGTERM.
        Path channel = channels().resolve("0_to_1");
        long left = awaitStable(() -> countMsgFiles(channel));
        assertTrue(left > 0 && left < count, left + " files left");
        assertEquals(0, first.terminate(Duration.ofSeconds(30)), first.output());
        assertTrue(first.output().contains("kept in"), first.output());
        try {
            while (true) {
                byte[] p = FrameCodec.read(in, 1 << 20);
                if (p == null) {
                    break;
                }
                seen.add(ByteBuffer.wrap(p).getInt());
            }
        } catch (EOFException e) {
            // the frame the shutdown cut is incomplete here; it is kept for the next run
        }
        ProxyProcess second = track(ProxyProcess.start(dir.resolve("second.log"), args));
        second.awaitLog("started", Duration.ofSeconds(30));
        Socket again = track(new Socket(InetAddress.getLoopbackAddress(), base + 1));
        again.setSoTimeout(30_000);
        DataInputStream in2 = new DataInputStream(again.getInputStream());
        while (seen.get(seen.size() - 1) < count - 1) {
            seen.add(ByteBuffer.wrap(FrameCodec.read(in2, 1 << 20)).getInt());
        }
        assertEquals(
                java.util.stream.IntStream.range(0, count).boxed().toList(),
                seen,
                "every message exactly once, in order, across a graceful restart");
        assertEquals(0, second.terminate(Duration.ofSeconds(30)), second.output());
    }

    /**
     * Three parties: on SIGTERM, party 1's link to 0 holds a message its stalled application does
     * not take (it stays in its channel, so the transport is not closed), while its link to 2 is
     * streaming (its last message was written but not acknowledged). After the restart both
     * applications have every message exactly once, in order.
     */
    @Test
    void sigtermWithSeveralLinksWritesEveryMessageExactlyOnce() throws Exception {
        PartyId p2 = PartyId.ofPid(2);
        Transport sender0 =
                track(FileTransport.builder(channels(), P0).durable(false).open());
        Transport sender2 =
                track(FileTransport.builder(channels(), p2).durable(false).open());
        int count0 = 40;
        int count2 = 400;
        for (int i = 0; i < count0; i++) {
            byte[] p = new byte[256 << 10];
            ByteBuffer.wrap(p).putInt(i);
            sender0.send(P1, p);
        }
        for (int i = 0; i < count2; i++) {
            byte[] p = new byte[16 << 10];
            ByteBuffer.wrap(p).putInt(i);
            sender2.send(P1, p);
        }
        int base = FreePorts.base(3);
        java.net.ServerSocket app2Server = track(FreePorts.listen(base + 3));
        app2Server.setSoTimeout(30_000);
        List<String> args = ProxyProcess.args(
                1, 3, channels(), base, Framing.LENGTH_PREFIXED, "--shutdown-grace-ms", "300", "--no-fsync");
        ProxyProcess first = track(ProxyProcess.start(dir.resolve("first.log"), args));
        first.awaitLog("started", Duration.ofSeconds(30));
        Socket app0 = new Socket();
        track(app0);
        app0.setReceiveBufferSize(16 << 10);
        app0.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), base + 1));
        app0.setSoTimeout(30_000);
        Socket app2 = track(app2Server.accept());
        app2.setSoTimeout(30_000);
        List<Integer> seen0 = new ArrayList<>();
        List<Integer> seen2 = java.util.Collections.synchronizedList(new ArrayList<>());
        DataInputStream in0 = new DataInputStream(app0.getInputStream());
        seen0.add(ByteBuffer.wrap(FrameCodec.read(in0, 1 << 20)).getInt()); // then app 0 stalls
        java.util.concurrent.CountDownLatch fifty = new java.util.concurrent.CountDownLatch(50);
        java.util.concurrent.CompletableFuture<Void> reader2 = ProxyInMemoryTest.run(() -> {
            DataInputStream in2 = new DataInputStream(app2.getInputStream());
            try {
                while (true) {
                    byte[] p = FrameCodec.read(in2, 1 << 20);
                    if (p == null) {
                        return;
                    }
                    seen2.add(ByteBuffer.wrap(p).getInt());
                    fifty.countDown();
                    ProxyProcess.pause(2); // a reader slower than the proxy: the link is busy when stopped
                }
            } catch (EOFException e) {
                // the connection closed inside a frame; that frame is written again after the restart
            }
        });
        assertTrue(fifty.await(30, TimeUnit.SECONDS), "app 2 got " + seen2.size() + " messages");
        assertEquals(0, first.terminate(Duration.ofSeconds(30)), first.output());
        assertTrue(first.output().contains("kept in"), first.output());
        reader2.get(30, TimeUnit.SECONDS);
        try {
            while (true) {
                byte[] p = FrameCodec.read(in0, 1 << 20);
                if (p == null) {
                    break;
                }
                seen0.add(ByteBuffer.wrap(p).getInt());
            }
        } catch (EOFException e) {
            // the frame the shutdown cut is incomplete here; it is written again after the restart
        }
        assertTrue(seen2.size() < count2, "the stop came after app 2 had everything: nothing tested");

        ProxyProcess second = track(ProxyProcess.start(dir.resolve("second.log"), args));
        second.awaitLog("started", Duration.ofSeconds(30));
        Socket again0 = track(new Socket(InetAddress.getLoopbackAddress(), base + 1));
        again0.setSoTimeout(30_000);
        Socket again2 = track(app2Server.accept());
        again2.setSoTimeout(30_000);
        DataInputStream in0b = new DataInputStream(again0.getInputStream());
        DataInputStream in2b = new DataInputStream(again2.getInputStream());
        List<Integer> all2 = new ArrayList<>(seen2);
        while (all2.isEmpty() || all2.get(all2.size() - 1) < count2 - 1) {
            all2.add(ByteBuffer.wrap(FrameCodec.read(in2b, 1 << 20)).getInt());
        }
        while (seen0.get(seen0.size() - 1) < count0 - 1) {
            seen0.add(ByteBuffer.wrap(FrameCodec.read(in0b, 1 << 20)).getInt());
        }
        assertEquals(
                java.util.stream.IntStream.range(0, count0).boxed().toList(),
                seen0,
                "from party 0: every message exactly once, in order, across a graceful restart");
        assertEquals(
                java.util.stream.IntStream.range(0, count2).boxed().toList(),
                all2,
                "from party 2: every message exactly once, in order, across a graceful restart");
        assertEquals(0, second.terminate(Duration.ofSeconds(30)), second.output());
    }
}
