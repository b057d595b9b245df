package io.formix.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.FreePorts;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.spi.PairwisePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pairwise (sbproxy) layout under faults, and its wire: plain frames, nothing else, so raw
 * sockets stand in for Sequre or formix-proxy. Pids 0, 1, 2 are parties "0", "1", "2".
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PairwiseFaultTest extends TcpFaultTestBase {

    static final PartyId P0 = PartyId.ofPid(0);
    static final PartyId P1 = PartyId.ofPid(1);
    static final PartyId P2 = PartyId.ofPid(2);

    private final int base = FreePorts.pairwiseBase(3);

    private TcpTransport open(int pid, TcpOptions options) throws IOException {
        TcpTransport t = TcpTransport.openPairwise(PairwiseLayout.numeric(pid, 3, base), options);
        toClose.add(t);
        return t;
    }

    private TcpTransport open(int pid) throws IOException {
        return open(pid, options());
    }

    private RawPeer dialAs(int listenerPid, int selfPid) throws IOException {
        RawPeer raw = new RawPeer(PairwisePorts.port(base, 3, listenerPid, selfPid));
        toClose.add(raw);
        return raw;
    }

    @Test
    void listenerAndDiallerEachWaitForTheOtherToComeUp() throws Exception {
        TcpTransport p0 = open(0);
        Future<?> toLate = pool.submit(() -> {
            p0.send(P1, bytes("to the late dialler"));
            return null;
        });
        TcpTransport p2 = open(2); // dials 0 (up) and 1 (not up yet)
        Future<?> fromDialler = pool.submit(() -> {
            p2.send(P1, bytes("to the late listener"));
            return null;
        });
        assertFalse(toLate.isDone());
        TcpTransport p1 = open(1);
        toLate.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        fromDialler.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals("to the late dialler", text(p1.receive(P0, WAIT).orElseThrow()));
        assertEquals("to the late listener", text(p1.receive(P2, WAIT).orElseThrow()));
    }

    @Test
    void aPeerThatNeverComesFailsTheSendAfterTheConnectTimeout() throws Exception {
        TcpTransport p0 = open(0, TcpOptions.defaults().withConnectTimeout(Duration.ofMillis(300)));
        long start = System.nanoTime();
        PeerUnavailableException e = assertThrows(PeerUnavailableException.class, () -> p0.send(P2, bytes("x")));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 250 && ms < 5_000, "gave up after " + ms + " ms");
        assertTrue(e.getMessage().contains("port " + (base + 2)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p0.send(PartyId.of("7"), bytes("x")));
        assertThrows(IllegalStateException.class, () -> p0.awaitDelivered(P1, WAIT));
        assertThrows(IllegalStateException.class, p0::localPort);
    }

    @Test
    void theSecondCopyOfAPartyCannotBindItsPorts() throws Exception {
        open(0);
        IOException e = assertThrows(IOException.class, () -> open(0));
        assertTrue(e.getMessage().contains("cannot listen"), e.getMessage());
    }

    @Test
    void bothRolesSurviveAPeerRestart() throws Exception {
        TcpTransport p0 = open(0);
        TcpTransport p1 = open(1);
        p0.send(P1, bytes("hello 1"));
        assertEquals("hello 1", text(p1.receive(P0, WAIT).orElseThrow()));

        p1.close(); // the dialler restarts; the listener accepts its new connection
        TcpTransport p1b = open(1);
        p1b.send(P0, bytes("1 is back"));
        Message back = p0.receive(P1, WAIT).orElseThrow();
        assertEquals("1 is back", text(back));
        assertEquals(0, back.sequence(), "a new connection numbers from 0");
        p0.send(P1, bytes("welcome back"));
        assertEquals("welcome back", text(p1b.receive(P0, WAIT).orElseThrow()));

        p0.close(); // the listener restarts; the dialler redials
        TcpTransport p0b = open(0);
        p0b.send(P1, bytes("0 is back"));
        assertEquals("0 is back", text(p1b.receive(P0, WAIT).orElseThrow()));
        p1b.send(P0, bytes("welcome back too"));
        assertEquals("welcome back too", text(p0b.receive(P1, WAIT).orElseThrow()));
    }

    @Test
    void framesOnTheWireArePlainLengthPrefixedPayloads() throws Exception {
        TcpTransport p0 = open(0);
        RawPeer raw = dialAs(0, 1);
        raw.frame(bytes("from raw"));
        assertEquals("from raw", text(p0.receive(P1, WAIT).orElseThrow()));
        byte[] payload = bytes("to raw");
        p0.send(P1, payload);
        byte[] header = new byte[FrameCodec.HEADER_BYTES];
        raw.socket.getInputStream().readNBytes(header, 0, header.length);
        assertArrayEquals(new byte[] {6, 0, 0, 0, 0, 0, 0, 0}, header, "8-byte little-endian length");
        assertArrayEquals(payload, raw.socket.getInputStream().readNBytes(payload.length));

        try (ServerSocket sequre0 = new ServerSocket()) { // a raw listener standing in for pid 0 of party 2
            sequre0.setReuseAddress(true);
            p0.close();
            sequre0.bind(new InetSocketAddress(PairwisePorts.port(base, 3, 0, 2)));
            TcpTransport p2 = open(2);
            try (RawPeer accepted = new RawPeer(sequre0.accept())) {
                p2.send(P0, bytes("from 2"));
                assertEquals("from 2", new String(accepted.readFrame(), StandardCharsets.UTF_8));
                accepted.frame(bytes("to 2"));
                assertEquals("to 2", text(p2.receive(P0, WAIT).orElseThrow()));
            }
        }
    }

    @Test
    void badLengthClosesTheConnectionAndThePeerMayReconnect() throws Exception {
        TcpTransport p0 = open(0);
        for (long bad : new long[] {MAX + 1L, -8L}) {
            RawPeer raw = dialAs(0, 1);
            raw.frame(bytes("good"));
            raw.header(bad);
            assertEquals("good", text(p0.receive(P1, WAIT).orElseThrow()));
            CorruptMessageException e = assertThrows(CorruptMessageException.class, () -> p0.receive(P1, WAIT));
            assertEquals(P1, e.from());
            assertTrue(raw.closedByOtherSide());
        }
        RawPeer again = dialAs(0, 1);
        again.frame(bytes("reconnected"));
        assertEquals("reconnected", text(p0.receive(P1, WAIT).orElseThrow()));
        p0.send(P1, bytes("reply"));
        assertEquals("reply", new String(again.readFrame(), StandardCharsets.UTF_8));
    }

    @Test
    void halfCloseIsACleanEndAndAResetIsSurvived() throws Exception {
        TcpTransport p0 = open(0);
        RawPeer raw = dialAs(0, 1);
        raw.frame(bytes("one"));
        raw.frame(bytes("two"));
        raw.shutdownOutput();
        assertEquals("one", text(p0.receive(P1, WAIT).orElseThrow()));
        assertEquals("two", text(p0.receive(P1, WAIT).orElseThrow()));
        assertFalse(p0.receive(P1, Duration.ofMillis(200)).isPresent(), "a clean end is not an error");
        assertTrue(raw.closedByOtherSide());

        RawPeer resetting = dialAs(0, 1);
        resetting.frame(bytes("three"));
        assertEquals("three", text(p0.receive(P1, WAIT).orElseThrow()));
        resetting.header(1000);
        resetting.reset();
        RawPeer after = dialAs(0, 1);
        after.frame(bytes("four"));
        Message m = null;
        while (m == null) {
            try {
                m = p0.receive(P1, WAIT).orElseThrow();
            } catch (CorruptMessageException cut) {
                assertEquals(P1, cut.from()); // the cut frame may be reported first
            }
        }
        assertEquals("four", text(m));
    }
}
