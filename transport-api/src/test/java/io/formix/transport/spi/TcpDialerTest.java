package io.formix.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shared dialler: attempts, backoff, completion and giving up, driven by the pacing hook (no sleeps). */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TcpDialerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Records every call and never waits; gives up after {@code maxAttempts}. */
    private static class Recorder implements TcpDialer.Pacing {
        final List<String> failures = new ArrayList<>();
        final List<InetSocketAddress> addresses = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();
        final List<Socket> opened = new ArrayList<>();
        final List<Socket> released = new ArrayList<>();
        int connectedAt = -1;
        final int maxAttempts;

        Recorder(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        @Override
        public boolean retry(int attempt, InetSocketAddress address, String failure, long backoffNanos)
                throws InterruptedException {
            failures.add(failure);
            addresses.add(address);
            delays.add(backoffNanos);
            return attempt < maxAttempts;
        }

        @Override
        public void connected(int attempt, InetSocketAddress address, long elapsedNanos) {
            connectedAt = attempt;
        }

        @Override
        public void opened(Socket socket) {
            opened.add(socket);
        }

        @Override
        public void released(Socket socket) {
            released.add(socket);
        }
    }

    private static TcpDialer dialer() {
        return new TcpDialer(Duration.ofMillis(1), Duration.ofMillis(3), Duration.ofSeconds(2));
    }

    @Test
    void dialsAListenerThatComesUpLateWithDoublingCappedDelays() throws Exception {
        int port = FreePorts.one();
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        ServerSocket[] server = new ServerSocket[1];
        Recorder pacing = new Recorder(10) {
            @Override
            public boolean retry(int attempt, InetSocketAddress a, String failure, long backoffNanos)
                    throws InterruptedException {
                boolean again = super.retry(attempt, a, failure, backoffNanos);
                if (attempt == 3) {
                    try {
                        server[0] = FreePorts.listen(port);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                }
                return again;
            }
        };
        try {
            Optional<Socket> s = dialer().dial(() -> address, c -> c, pacing);
            assertTrue(s.isPresent());
            assertTrue(s.get().isConnected());
            assertEquals(port, s.get().getPort());
            s.get().close();
        } finally {
            if (server[0] != null) {
                server[0].close();
            }
        }
        assertEquals(4, pacing.connectedAt);
        assertEquals(List.of(1_000_000L, 2_000_000L, 3_000_000L), pacing.delays);
        assertEquals(List.of(address, address, address), pacing.addresses);
        pacing.failures.forEach(f -> assertTrue(f != null && !f.isBlank(), "a failure names its reason"));
        assertEquals(4, pacing.opened.size());
        assertEquals(pacing.opened, pacing.released);
        for (int i = 0; i < 3; i++) {
            assertTrue(pacing.opened.get(i).isClosed(), "a failed attempt's socket is closed");
        }
    }

    @Test
    void aCompletionThatThrowsClosesItsSocketAndTriesAgain() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, LOOPBACK)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
            Recorder pacing = new Recorder(5);
            int[] calls = {0};
            Optional<String> done = dialer().dial(
                            () -> address,
                            s -> {
                                if (++calls[0] == 1) {
                                    throw new IOException("refused: another user's socket");
                                }
                                return "ok " + calls[0];
                            },
                            pacing);
            assertEquals(Optional.of("ok 2"), done);
            assertEquals(List.of("refused: another user's socket"), pacing.failures);
            assertTrue(pacing.opened.get(0).isClosed());
            assertFalse(pacing.opened.get(1).isClosed(), "the completed socket is the caller's");
            assertEquals(2, pacing.connectedAt);
            pacing.opened.get(1).close();
        }
    }

    @Test
    void givesUpWhenThePacingSaysSoAndStartsTheBackoffAfreshOnTheNextDial() throws Exception {
        InetSocketAddress nowhere = new InetSocketAddress(LOOPBACK, FreePorts.one());
        TcpDialer dialer = dialer();
        Recorder first = new Recorder(2);
        assertTrue(dialer.dial(() -> nowhere, s -> s, first).isEmpty());
        assertEquals(List.of(1_000_000L, 2_000_000L), first.delays);
        assertEquals(-1, first.connectedAt);
        first.opened.forEach(s -> assertTrue(s.isClosed()));
        Recorder second = new Recorder(1);
        assertTrue(dialer.dial(() -> nowhere, s -> s, second).isEmpty());
        assertEquals(List.of(1_000_000L), second.delays);
    }

    @Test
    void anUnknownOrUnresolvableAddressIsAFailedAttemptWithoutASocket() throws Exception {
        List<Supplier<InetSocketAddress>> answers = List.of(() -> null, () -> {
            throw new IllegalStateException("directory unreachable");
        });
        int[] asked = {0};
        Recorder pacing = new Recorder(2);
        assertTrue(dialer().dial(() -> answers.get(asked[0]++).get(), s -> s, pacing)
                .isEmpty());
        assertEquals(2, asked[0]);
        assertEquals("no address known", pacing.failures.get(0));
        assertTrue(pacing.failures.get(1).contains("directory unreachable"), pacing.failures.get(1));
        assertNull(pacing.addresses.get(0));
        assertNull(pacing.addresses.get(1));
        assertTrue(pacing.opened.isEmpty());
    }
}
