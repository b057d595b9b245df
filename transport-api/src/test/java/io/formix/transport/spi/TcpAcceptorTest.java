package io.formix.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared acceptor: refusals, closing while blocked (the port is free on return), a port in use. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpAcceptorTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void aRefusedConnectionIsClosedAndTheNextAdmittedOneReturned() throws Exception {
        try (TcpAcceptor acceptor = TcpAcceptor.bind(new InetSocketAddress(LOOPBACK, 0), 4);
                Socket refused = new Socket(LOOPBACK, acceptor.localAddress().getPort());
                Socket admitted = new Socket(LOOPBACK, acceptor.localAddress().getPort())) {
            List<Integer> seen = new ArrayList<>();
            Socket s = acceptor.accept(c -> {
                seen.add(c.getPort());
                return c.getPort() == refused.getLocalPort() ? Optional.of("another user") : Optional.empty();
            });
            assertEquals(admitted.getLocalPort(), s.getPort());
            assertEquals(List.of(refused.getLocalPort(), admitted.getLocalPort()), seen);
            assertEquals(-1, refused.getInputStream().read(), "the refused connection was closed, nothing written");
            s.close();
        }
    }

    @Test
    void closeEndsABlockedAcceptWithNullAndReturnsWithThePortFree() throws Exception {
        TcpAcceptor acceptor = TcpAcceptor.bind(new InetSocketAddress(LOOPBACK, 0), 4);
        int port = acceptor.localAddress().getPort();
        CompletableFuture<Socket> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return acceptor.accept(c -> Optional.empty());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        // a connection attempt proves the acceptor is listening; it is accepted and returned
        try (Socket first = new Socket(LOOPBACK, port)) {
            Socket got = blocked.get(10, TimeUnit.SECONDS);
            assertEquals(first.getLocalPort(), got.getPort());
            got.close();
        }
        CompletableFuture<Socket> second = CompletableFuture.supplyAsync(() -> {
            try {
                return acceptor.accept(c -> Optional.empty());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        acceptor.close();
        assertNull(second.get(10, TimeUnit.SECONDS));
        assertTrue(acceptor.isClosed());
        assertNull(acceptor.accept(c -> Optional.empty()), "a closed acceptor accepts nothing");
        try (ServerSocket again = FreePorts.listen(port)) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void aPortInUseIsOneErrorNamingTheAddress() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 4, LOOPBACK)) {
            IOException e = assertThrows(
                    IOException.class, () -> TcpAcceptor.bind(new InetSocketAddress(LOOPBACK, held.getLocalPort()), 4));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "cannot listen on " + LOOPBACK.getHostAddress() + ":" + held.getLocalPort() + " ("),
                    e.getMessage());
        }
    }
}
