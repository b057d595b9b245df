package io.formix.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The transports of a JVM share their I/O thread: threads do not grow with connections, and one stalled connection stalls nothing else. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedLoopTest extends TcpFaultTestBase {

    private final Map<PartyId, InetSocketAddress> directory = new ConcurrentHashMap<>();

    private TcpTransport open(String id, TcpOptions options) throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        TcpTransport t =
                TcpTransport.openDirectory(PartyId.of(id), new InetSocketAddress(lo, 0), directory::get, options);
        toClose.add(t);
        directory.put(t.self(), new InetSocketAddress(lo, t.localPort()));
        return t;
    }

    private static long transportThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("formix-tcp"))
                .count();
    }

    @Test
    void manyNodesAndConnectionsRunOnAConstantNumberOfThreads() throws Exception {
        int ioThreads = Math.max(1, Integer.getInteger("formix.tcp.ioThreads", 1));
        List<TcpTransport> heavy = new ArrayList<>();
        for (int h = 1; h <= 3; h++) {
            heavy.add(open("heavy-" + h, options()));
        }
        List<TcpTransport> light = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            light.add(open("light-" + i, options()));
        }
        for (TcpTransport l : light) {
            for (TcpTransport h : heavy) {
                l.send(h.self(), bytes("from " + l.self()));
            }
        }
        for (TcpTransport h : heavy) {
            for (int i = 0; i < light.size(); i++) {
                Message m = h.receiveAny(WAIT).orElseThrow();
                h.send(m.from(), bytes("back to " + m.from()));
            }
        }
        for (TcpTransport l : light) {
            for (TcpTransport h : heavy) {
                assertEquals(
                        "back to " + l.self(), text(l.receive(h.self(), WAIT).orElseThrow()));
            }
        }
        // 63 listening sockets and 360 connections are open now, every one of them still read.
        assertTrue(
                transportThreads() <= ioThreads,
                transportThreads() + " transport threads for 63 nodes and 360 connections (io threads: " + ioThreads
                        + ")");
    }

    @Test
    void aSenderBlockedByAFullInboxDoesNotStallOtherConnections() throws Exception {
        TcpTransport a = open("a", options());
        TcpTransport c = open("c", options());
        TcpTransport b = open("b", options().withInboxBytesPerPeer(64 * 1024));
        int n = 200; // 12.5 MiB: far more than the inbox and the socket buffers hold
        AtomicInteger sent = new AtomicInteger();
        Future<?> flood = pool.submit(() -> {
            for (int i = 0; i < n; i++) {
                byte[] p = new byte[64 * 1024];
                ByteBuffer.wrap(p).putInt(i);
                a.send(b.self(), p);
                sent.incrementAndGet();
            }
            return null;
        });
        // Wait (bounded) until a is held back: b took nothing, so a cannot have sent everything.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int last = -1;
        while (sent.get() != last) {
            assertTrue(System.nanoTime() < deadline, "a never stopped sending");
            last = sent.get();
            Thread.sleep(100); // poll interval: nothing signals that a sender is held back
        }
        assertFalse(flood.isDone(), "a is held back by b's full inbox");
        c.send(b.self(), bytes("not stuck behind a"));
        assertEquals(
                "not stuck behind a",
                text(b.receive(c.self(), WAIT).orElseThrow()),
                "b still reads c while a's connection waits for room");
        for (int i = 0; i < n; i++) {
            assertEquals(
                    i,
                    ByteBuffer.wrap(b.receive(a.self(), WAIT).orElseThrow().payload())
                            .getInt());
        }
        flood.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertTrue(a.awaitDelivered(b.self(), WAIT));
    }
}
