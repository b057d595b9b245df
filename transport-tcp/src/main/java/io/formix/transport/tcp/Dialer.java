package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.TransportClosedException;
import io.formix.transport.spi.TcpDialer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to a peer from the calling thread (a send), retrying with capped exponential backoff
 * while it is not up: the transport's side of the {@link TcpDialer} that formix-proxy uses too. It logs one line when it starts waiting and one when it gets through, never
 * one per attempt. The connect and the handshake block the caller; the connection is then handed
 * to the I/O loop.
 */
final class Dialer {

    /**
     * Turns a fresh connected channel (still in blocking mode) into a ready connection (a
     * handshake); may fail like a connect.
     */
    interface Handshake {
        FramedConnection complete(SocketChannel connected) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);
    private static final long MAX_ATTEMPT_MS = 5_000;

    private final TcpTransport owner;
    private boolean resolveFailureLogged;

    Dialer(TcpTransport owner) {
        this.owner = owner;
    }

    /**
     * Dials {@code peer} until a connection completes the handshake or {@code deadlineNanos}
     * ({@link System#nanoTime()}) passes. The address is asked for again before every attempt, so
     * a restarted peer on a new port is found.
     *
     * @throws PeerUnavailableException at the deadline, naming the last failure
     * @throws TransportClosedException if the transport closed meanwhile
     */
    FramedConnection dial(PartyId peer, Supplier<InetSocketAddress> address, long deadlineNanos, Handshake handshake)
            throws PeerUnavailableException, TransportClosedException, InterruptedException {
        TcpOptions o = owner.options();
        TcpDialer dialer = new TcpDialer(o.backoffInitial(), o.backoffMax(), Duration.ofMillis(MAX_ATTEMPT_MS));
        long started = System.nanoTime();
        String[] last = new String[2]; // address, failure
        Optional<FramedConnection> c = dialer.dial(
                () -> resolve(peer, address), s -> handshake.complete(s.getChannel()), new TcpDialer.Pacing() {
                    @Override
                    public Socket newSocket() throws IOException {
                        return SocketChannel.open().socket(); // a channel, for the I/O loop afterwards
                    }

                    @Override
                    public void opened(Socket socket) throws IOException {
                        owner.track(socket.getChannel());
                    }

                    @Override
                    public void released(Socket socket) {
                        owner.untrack(socket.getChannel());
                    }

                    @Override
                    public int connectTimeoutMillis(int defaultMillis) {
                        long leftMs = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
                        return (int) Math.min(defaultMillis, leftMs);
                    }

                    @Override
                    public boolean retry(int attempt, InetSocketAddress addr, String failure, long backoffNanos)
                            throws InterruptedException {
                        last[0] = String.valueOf(addr);
                        last[1] = addr == null ? "no address known for " + peer : failure;
                        if (owner.isClosed()) {
                            return false;
                        }
                        if (attempt == 1) {
                            LOG.info(
                                    "{}: waiting for {} at {} ({}); retrying with backoff up to {} ms",
                                    owner.self(),
                                    peer,
                                    addr,
                                    failure,
                                    o.backoffMax().toMillis());
                        }
                        long left = deadlineNanos - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        owner.awaitClosed(Math.min(left, backoffNanos));
                        return !owner.isClosed();
                    }

                    @Override
                    public void connected(int attempt, InetSocketAddress addr, long elapsedNanos) {
                        if (attempt > 1) {
                            LOG.info(
                                    "{}: connected to {} at {} after {} attempts ({} ms)",
                                    owner.self(),
                                    peer,
                                    addr,
                                    attempt,
                                    TimeUnit.NANOSECONDS.toMillis(elapsedNanos));
                        }
                    }
                });
        if (c.isPresent()) {
            return c.get();
        }
        owner.checkOpen();
        throw new PeerUnavailableException("could not connect to " + peer + " at " + last[0] + " within "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms: " + last[1]);
    }

    /** Asks the resolver; one that throws counts as one that knows no address (logged once). */
    private InetSocketAddress resolve(PartyId peer, Supplier<InetSocketAddress> address) {
        try {
            return address.get();
        } catch (RuntimeException e) {
            if (!resolveFailureLogged) {
                resolveFailureLogged = true;
                LOG.warn("{}: resolving the address of {} failed: {}", owner.self(), peer, e.toString());
            }
            return null;
        }
    }

    static void closeQuietly(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException e) {
            // already unusable
        }
    }
}
