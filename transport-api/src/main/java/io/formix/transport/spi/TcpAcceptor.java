package io.formix.transport.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A listening TCP socket bound when it is created, which hands out accepted connections one at a
 * time, skipping those its caller refuses: the accepting half of the pairwise TCP layout and of
 * formix-proxy.
 *
 * <p>{@link #close()} makes a blocked {@link #accept} return {@code null} and returns only once the
 * port is really free: the JDK releases it only when the thread blocked in {@code accept()} has
 * woken, and a restarted party rebinding the same port at once would otherwise fail. Thread-safe;
 * one thread accepts at a time.
 */
public final class TcpAcceptor implements AutoCloseable {

    private static final long ACCEPTOR_EXIT_MS = 2_000;

    private final ServerSocket server;
    private final InetSocketAddress bound;
    private final Object lock = new Object();
    /** The thread inside {@link #accept}, or null; guarded by {@link #lock}. */
    private Thread accepting;

    private volatile boolean closed;

    private TcpAcceptor(ServerSocket server) {
        this.server = server;
        this.bound = (InetSocketAddress) server.getLocalSocketAddress();
    }

    /**
     * Binds {@code address} (port 0: an ephemeral one) with address reuse and {@code backlog}.
     *
     * @throws IOException naming the address and the reason when it cannot be bound (in use, no permission)
     */
    public static TcpAcceptor bind(InetSocketAddress address, int backlog) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(address, backlog);
            return new TcpAcceptor(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new IOException(
                    "cannot listen on " + address.getAddress().getHostAddress() + ":" + address.getPort() + " ("
                            + e.getMessage() + ")",
                    e);
        }
    }

    /** The address actually bound (its port is the ephemeral one if port 0 was asked for). */
    public InetSocketAddress localAddress() {
        return bound;
    }

    /**
     * Waits for the next connection that {@code refusal} admits (returns empty for). A refused one is
     * closed at once, before anything is read or written, after {@code refusal} has seen it (it may
     * log and count it).
     *
     * @return the accepted socket, or {@code null} once {@link #close()} was called
     * @throws IOException if accepting fails while the acceptor is open
     */
    public Socket accept(Function<Socket, Optional<String>> refusal) throws IOException {
        synchronized (lock) {
            accepting = Thread.currentThread();
        }
        try {
            while (!closed) {
                Socket s;
                try {
                    s = server.accept();
                } catch (SocketException e) {
                    if (closed) {
                        return null;
                    }
                    throw e;
                }
                if (refusal.apply(s).isEmpty()) {
                    return s;
                }
                TcpDialer.closeQuietly(s);
            }
            return null;
        } finally {
            synchronized (lock) {
                accepting = null;
                lock.notifyAll();
            }
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes the listening socket and waits (at most 2 s) for the thread in {@link #accept} to leave
     * it, so the port is free when this returns. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to release
        }
        long end = System.nanoTime() + ACCEPTOR_EXIT_MS * 1_000_000;
        synchronized (lock) {
            while (accepting != null && accepting != Thread.currentThread()) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                try {
                    lock.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
