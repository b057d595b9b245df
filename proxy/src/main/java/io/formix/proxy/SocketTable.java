package io.formix.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The TCP sockets of this machine (of the proxy's network namespace) as the kernel lists them:
 * endpoints, state, queues and owner. The proxy reads it to learn who is at the other end of a
 * loopback connection and whether that process reads what the proxy wrote. On Linux it is
 * {@link ProcNetTcp}; tests substitute their own to play other users.
 */
interface SocketTable {

    /** Kernel state of an open connection ({@code TCP_ESTABLISHED}). */
    int ESTABLISHED = 0x01;
    /** Kernel state of a listening socket ({@code TCP_LISTEN}). */
    int LISTEN = 0x0A;
    /** Kernel state of a closed connection's remnant ({@code TCP_TIME_WAIT}); it has no owner. */
    int TIME_WAIT = 0x06;

    /** Reads the table now. Each call is a fresh snapshot, taken after the previous one. */
    List<Entry> snapshot() throws IOException;

    /**
     * One socket.
     *
     * @param local its own endpoint
     * @param remote the endpoint it is connected to ({@code 0.0.0.0:0} for a listener)
     * @param state the kernel's TCP state ({@link #LISTEN}, {@link #TIME_WAIT}, ...)
     * @param txQueue bytes written by its process not yet acknowledged by the other end
     * @param rxQueue bytes received not yet read by its process (for a listener: the connections
     *     waiting to be accepted)
     * @param uid the user owning the socket
     */
    record Entry(InetSocketAddress local, InetSocketAddress remote, int state, long txQueue, long rxQueue, int uid) {}

    /**
     * The live socket (not a {@link #TIME_WAIT} remnant, not a listener) whose own endpoint is
     * {@code local} and whose other end is {@code remote}. IPv4 and IPv4-mapped IPv6 addresses are
     * the same address here, as they are on the wire.
     */
    static Optional<Entry> connection(List<Entry> table, InetSocketAddress local, InetSocketAddress remote) {
        for (Entry e : table) {
            if (e.state() != TIME_WAIT && e.state() != LISTEN && same(e.local(), local) && same(e.remote(), remote)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Whether two endpoints are the same port and address, an IPv4-mapped IPv6 address equal to its IPv4 one. */
    static boolean same(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort()
                && a.getAddress() != null
                && b.getAddress() != null
                && Arrays.equals(plain(a.getAddress()), plain(b.getAddress()));
    }

    /** The address's bytes, 4 for IPv4 and for IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}), else 16. */
    static byte[] plain(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
            for (int i = 0; i < 10 && mapped; i++) {
                mapped = b[i] == 0;
            }
            if (mapped) {
                return Arrays.copyOfRange(b, 12, 16);
            }
        }
        return b;
    }
}
