package io.formix.transport.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Dials a TCP address until a connection is made and completed, waiting with a capped exponential
 * {@link Backoff} between attempts: the dialling half of the pairwise TCP layout and of formix-proxy,
 * whose application may take 15–25 s before it listens.
 *
 * <p>Each attempt asks {@code address} anew (a restarted peer may be on a new port), connects within
 * the attempt timeout and hands the connected socket to the {@link Completion}: a handshake, or a check
 * of who owns the other end. A completion that throws counts as a failed attempt, and its socket is
 * closed. Between attempts the caller's {@link Pacing} waits for the backoff delay and decides whether
 * to go on (a stop request, a deadline); it is also told of every failure with its reason and of the
 * success, so the caller can log one line when it starts waiting and one when it gets through, never
 * one per attempt.
 *
 * <p>Not thread-safe: one dialler per dialling loop. {@link #dial} starts the backoff afresh.
 */
public final class TcpDialer {

    /** Turns a freshly connected socket into the caller's connection; throwing closes the socket and retries. */
    @FunctionalInterface
    public interface Completion<T> {
        T complete(Socket connected) throws IOException;
    }

    /** Where the dialler waits and reports. */
    public interface Pacing {
        /**
         * Attempt {@code attempt} (from 1) failed because of {@code failure}, at {@code address}
         * ({@code null} if none was known). Wait up to {@code backoffNanos}, then return true to try
         * again or false to give up.
         */
        boolean retry(int attempt, InetSocketAddress address, String failure, long backoffNanos)
                throws InterruptedException;

        /** Attempt {@code attempt} completed, {@code elapsedNanos} after the first started. */
        default void connected(int attempt, InetSocketAddress address, long elapsedNanos) {}

        /**
         * A new, unconnected socket for the next attempt: a plain {@link Socket} by default; a
         * backend that hands connections to a selector returns {@code SocketChannel.open().socket()}.
         */
        default Socket newSocket() throws IOException {
            return new Socket();
        }

        /**
         * The socket of the next attempt, before it connects, so that another thread may close it
         * (a transport closing) and end the attempt at once. {@link #released} follows. Throwing
         * fails the attempt.
         */
        default void opened(Socket socket) throws IOException {}

        /** The attempt on {@code socket} ended, connected or not. */
        default void released(Socket socket) {}

        /** How long the next connect may take, in milliseconds (at least 1). */
        default int connectTimeoutMillis(int defaultMillis) {
            return defaultMillis;
        }
    }

    private final Backoff backoff;
    private final int connectTimeoutMillis;

    /**
     * @param backoffInitial the first delay between attempts, doubled up to {@code backoffMax}
     * @param connectTimeout the longest one connect may take (at least 1 ms)
     * @throws IllegalArgumentException unless {@code 0 < backoffInitial <= backoffMax}
     */
    public TcpDialer(Duration backoffInitial, Duration backoffMax, Duration connectTimeout) {
        this.backoff = new Backoff(backoffInitial, backoffMax);
        this.connectTimeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
    }

    /**
     * Dials until {@code completion} succeeds or {@code pacing} gives up.
     *
     * @param address asked before every attempt; {@code null} or a {@link RuntimeException} counts as a
     *     failed attempt with no address known
     * @return the completed connection, or empty if {@code pacing} gave up
     */
    public <T> Optional<T> dial(Supplier<InetSocketAddress> address, Completion<T> completion, Pacing pacing)
            throws InterruptedException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(pacing, "pacing");
        backoff.reset();
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            InetSocketAddress addr;
            String failure;
            try {
                addr = address.get();
                failure = addr == null ? "no address known" : null;
            } catch (RuntimeException e) {
                addr = null;
                failure = "resolving the address failed: " + e;
            }
            if (addr != null) {
                Socket s = null;
                try {
                    s = pacing.newSocket();
                    pacing.opened(s);
                    s.connect(addr, Math.max(1, pacing.connectTimeoutMillis(connectTimeoutMillis)));
                    T done = completion.complete(s);
                    pacing.connected(attempt, addr, System.nanoTime() - started);
                    return Optional.of(done);
                } catch (IOException e) {
                    if (s != null) {
                        closeQuietly(s);
                    }
                    failure = e.getMessage() == null ? e.toString() : e.getMessage();
                } finally {
                    if (s != null) {
                        pacing.released(s);
                    }
                }
            }
            if (!pacing.retry(attempt, addr, failure, backoff.nextNanos())) {
                return Optional.empty();
            }
        }
    }

    /** Closes {@code s}, ignoring what closing reports: the socket is unusable either way. */
    public static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already unusable
        }
    }
}
