package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parser of {@code /proc/net/tcp} and {@code tcp6}, the lookups on its entries, and the real table. */
class ProcNetTcpTest {

    /** From a little-endian machine: a listener on 127.0.0.1:8001 with two connections waiting, one
     * connection seen from both ends (the client of uid 1001 has 1034 bytes unread), a TIME_WAIT remnant. */
    static final String TCP_LE = String.join(
            "\n",
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0100007F:1F41 00000000:0000 0A 00000000:00000002 00:00000000 00000000  1000        0 41201 1"
                    + " 0000000000000000 100 0 0 10 0",
            "   1: 0100007F:1F41 0100007F:D431 01 00000200:00000000 00:00000000 00000000  1000        0 41300 1"
                    + " 0000000000000000 20 4 30 10 -1",
            "   2: 0100007F:D431 0100007F:1F41 01 00000000:0000040A 00:00000000 00000000  1001        0 41299 1"
                    + " 0000000000000000 20 4 30 10 -1",
            "   3: 0100007F:D432 0100007F:1F41 06 00000000:00000000 03:00001770 00000000     0        0 0 3"
                    + " 0000000000000000",
            "");

    /** From a little-endian machine: a dual-stack listener on ::ffff:127.0.0.1:9001 and a connection to it
     * from ::ffff:127.0.0.1:50000, a connection on ::1 owned by uid 4294967294, one on 2001:db8::1. */
    static final String TCP6_LE = String.join(
            "\n",
            "  sl  local_address                         remote_address                        st tx_queue rx_queue"
                    + " tr tm->when retrnsmt   uid  timeout inode",
            "   0: 0000000000000000FFFF00000100007F:2329 00000000000000000000000000000000:0000 0A 00000000:00000000"
                    + " 00:00000000 00000000  1000        0 5123 1 0000000000000000 100 0 0 10 0",
            "   1: 0000000000000000FFFF00000100007F:2329 0000000000000000FFFF00000100007F:C350 01 00000010:00000000"
                    + " 01:00000014 00000000  1000        0 5124 1 0000000000000000 20 4 30 10 -1",
            "   2: 00000000000000000000000001000000:0016 00000000000000000000000001000000:E4F2 01 00000000:00000000"
                    + " 00:00000000 00000000 4294967294        0 6000 1 0000000000000000 20 4 30 10 -1",
            "   3: B80D0120000000000000000001000000:FFFF 00000000000000000000000000000000:0000 0A 00000000:00000000"
                    + " 00:00000000 00000000     0        0 6001 1 0000000000000000 100 0 0 10 0");

    private static InetSocketAddress at(String host, int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Test
    void parsesIpv4LinesWithHexAddressesPortsAndQueues() throws Exception {
        List<SocketTable.Entry> t = ProcNetTcp.parse(TCP_LE, ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, t.size(), "the header is not an entry");
        SocketTable.Entry listener = t.get(0);
        assertEquals(at("127.0.0.1", 8001), listener.local());
        assertEquals(at("0.0.0.0", 0), listener.remote());
        assertEquals(SocketTable.LISTEN, listener.state());
        assertEquals(2, listener.rxQueue());
        assertEquals(1000, listener.uid());
        SocketTable.Entry server = t.get(1);
        assertEquals(at("127.0.0.1", 54321), server.remote());
        assertEquals(0x200, server.txQueue());
        SocketTable.Entry client = t.get(2);
        assertEquals(at("127.0.0.1", 54321), client.local());
        assertEquals(1034, client.rxQueue());
        assertEquals(1001, client.uid());
        assertEquals(SocketTable.TIME_WAIT, t.get(3).state());
    }

    @Test
    void parsesIpv6LinesIncludingIpv4MappedAndUnsignedUids() throws Exception {
        List<SocketTable.Entry> t = ProcNetTcp.parse(TCP6_LE, ByteOrder.LITTLE_ENDIAN);
        assertEquals(4, t.size());
        assertEquals(at("::ffff:127.0.0.1", 9001), t.get(0).local());
        assertEquals(at("::", 0), t.get(0).remote());
        assertEquals(at("127.0.0.1", 50000), t.get(1).remote());
        assertEquals(0x10, t.get(1).txQueue());
        assertEquals(at("::1", 22), t.get(2).local());
        assertEquals(at("::1", 58610), t.get(2).remote());
        assertEquals("4294967294", Integer.toUnsignedString(t.get(2).uid()));
        assertEquals(at("2001:db8::1", 65535), t.get(3).local());
    }

    @Test
    void theWordsOfAnAddressAreInTheWritersByteOrder() throws Exception {
        assertEquals(InetAddress.getByName("127.0.0.1"), ProcNetTcp.address("0100007F", ByteOrder.LITTLE_ENDIAN));
        assertEquals(InetAddress.getByName("127.0.0.1"), ProcNetTcp.address("7F000001", ByteOrder.BIG_ENDIAN));
        assertEquals(
                InetAddress.getByName("::1"),
                ProcNetTcp.address("00000000000000000000000000000001", ByteOrder.BIG_ENDIAN));
        assertEquals(InetAddress.getByName("10.1.2.3"), ProcNetTcp.address("0302010A", ByteOrder.LITTLE_ENDIAN));
        assertEquals(at("10.1.2.3", 443), ProcNetTcp.endpoint("0302010A:01BB", ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void malformedLinesAreSkipped() {
        String text = String.join(
                "\n",
                "   0: 0100007F:1F41", // too few fields
                "   1: 0100007:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1", // 7 hex digits
                "   2: 0100007F:1F41 00000000:0000 0A 00000000-00000000 00:00000000 00000000 0 0 1", // no colon
                "   3: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000 x 0 1", // uid
                "   4: 0100007F:1F41 00000000:000 0A 00000000:00000000 00:00000000 00000000 0 0 1", // port width
                "   5: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000 7 0 1"); // good
        String good = "   5: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000 7 0 1";
        String tooLong = good + " 0".repeat(ProcNetTcp.MAX_LINE);
        List<SocketTable.Entry> t = ProcNetTcp.parse(text + "\n" + tooLong + "\n" + good, ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, t.size(), "the good line twice, nothing else");
        assertEquals(7, t.get(0).uid());
        assertNull(ProcNetTcp.parseLine("", ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void aConnectionIsFoundByItsTwoEndsAndAMappedAddressEqualsItsIpv4One() throws Exception {
        List<SocketTable.Entry> t = ProcNetTcp.parse(TCP_LE, ByteOrder.LITTLE_ENDIAN);
        t = new java.util.ArrayList<>(t);
        t.addAll(ProcNetTcp.parse(TCP6_LE, ByteOrder.LITTLE_ENDIAN));
        // The client of uid 1001 seen from the server: its end is 127.0.0.1:54321.
        Optional<SocketTable.Entry> client = SocketTable.connection(t, at("127.0.0.1", 54321), at("127.0.0.1", 8001));
        assertEquals(1001, client.orElseThrow().uid());
        // A dual-stack socket listed with mapped addresses is found by plain IPv4 endpoints, and back.
        assertEquals(
                0x10,
                SocketTable.connection(t, at("127.0.0.1", 9001), at("127.0.0.1", 50000))
                        .orElseThrow()
                        .txQueue());
        assertTrue(SocketTable.connection(t, at("::ffff:127.0.0.1", 9001), at("::ffff:127.0.0.1", 50000))
                .isPresent());
        // A TIME_WAIT remnant (uid 0, no owner) and a listener are never "the socket at the other end".
        assertEquals(Optional.empty(), SocketTable.connection(t, at("127.0.0.1", 54322), at("127.0.0.1", 8001)));
        assertEquals(Optional.empty(), SocketTable.connection(t, at("127.0.0.1", 8001), at("0.0.0.0", 0)));
    }

    /** On this machine: a loopback connection's other end is found, owned by this process's user, with its queue. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void theRealTableShowsTheOwnUidAndUnreadBytesOfALoopbackConnection() throws Exception {
        Optional<SocketTable> system = ProcNetTcp.system();
        assumeTrue(system.isPresent(), "no /proc/net/tcp here");
        SocketTable table = system.get();
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            InetSocketAddress clientEnd = (InetSocketAddress) accepted.getRemoteSocketAddress();
            InetSocketAddress serverEnd = (InetSocketAddress) accepted.getLocalSocketAddress();
            int own = (int) new com.sun.security.auth.module.UnixSystem().getUid();
            assertEquals(
                    own,
                    SocketTable.connection(table.snapshot(), clientEnd, serverEnd)
                            .orElseThrow()
                            .uid());
            assertEquals(
                    own,
                    SocketTable.connection(table.snapshot(), serverEnd, clientEnd)
                            .orElseThrow()
                            .uid());
            assertEquals(own, PeerGuard.processUid());

            OutputStream out = accepted.getOutputStream();
            out.write(new byte[1000]);
            out.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            long unread;
            do {
                unread = SocketTable.connection(table.snapshot(), clientEnd, serverEnd)
                        .orElseThrow()
                        .rxQueue();
            } while (unread != 1000 && System.nanoTime() < deadline);
            assertEquals(1000, unread, "bytes the client has not read");
            client.getInputStream().readNBytes(1000);
            assertEquals(
                    0,
                    SocketTable.connection(table.snapshot(), clientEnd, serverEnd)
                            .orElseThrow()
                            .rxQueue());
        }
    }
}
