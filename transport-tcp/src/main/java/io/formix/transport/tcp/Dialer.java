package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.TransportClosedException;
import io.formix.transport.spi.Backoff;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to a peer from the calling thread (a send), retrying with capped exponential backoff
 * while it is not up. It logs one line when it starts waiting and one when it gets through, never
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
        Backoff backoff = new Backoff(o.backoffInitial(), o.backoffMax());
        long started = System.nanoTime();
        int attempts = 0;
        String lastFailure = null;
        InetSocketAddress addr = null;
        while (true) {
            owner.checkOpen();
            attempts++;
            addr = resolve(peer, address, attempts == 1);
            if (addr == null) {
                lastFailure = "no address known for " + peer;
            } else {
                SocketChannel s = null;
                try {
                    s = SocketChannel.open();
                    owner.track(s);
                    long leftMs = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
                    s.socket().connect(addr, (int) Math.min(MAX_ATTEMPT_MS, leftMs));
                    FramedConnection c = handshake.complete(s);
                    if (attempts > 1) {
                        LOG.info(
                                "{}: connected to {} at {} after {} attempts ({} ms)",
                                owner.self(),
                                peer,
                                addr,
                                attempts,
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                    }
                    return c;
                } catch (IOException e) {
                    if (s != null) {
                        closeQuietly(s);
                    }
                    lastFailure = e.toString();
                } finally {
                    if (s != null) {
                        owner.untrack(s);
                    }
                }
            }
            owner.checkOpen();
            if (attempts == 1) {
                LOG.info(
                        "{}: waiting for {} at {} ({}); retrying with backoff up to {} ms",
                        owner.self(),
                        peer,
                        addr,
                        lastFailure,
                        o.backoffMax().toMillis());
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new PeerUnavailableException("could not connect to " + peer + " at " + addr + " within "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms (" + attempts
                        + " attempts): " + lastFailure);
            }
            if (owner.awaitClosed(Math.min(left, backoff.nextNanos()))) {
                owner.checkOpen();
            }
        }
    }

    /** Asks the resolver; one that throws counts as one that knows no address (logged on the first attempt). */
    private InetSocketAddress resolve(PartyId peer, Supplier<InetSocketAddress> address, boolean log) {
        try {
            return address.get();
        } catch (RuntimeException e) {
            if (log) {
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
