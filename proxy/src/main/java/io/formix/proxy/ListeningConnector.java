package io.formix.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the application's connections on a port bound once, at start. One connection is served
 * at a time; a second connection attempt waits in the backlog until the first one ends (or is
 * abandoned on {@link Probation}, which asks {@link #othersWaiting}). A connection from a socket
 * of another user is closed at once ({@link PeerGuard#refusal}) and the next one accepted.
 */
final class ListeningConnector implements AppConnector {
    private static final Logger LOG = LoggerFactory.getLogger(ListeningConnector.class);

    private final Link link;
    private final ServerSocket server;
    private final PeerGuard guard;
    private final InetSocketAddress bound;
    private final AtomicLong refused = new AtomicLong();
    private volatile boolean stopped;

    private ListeningConnector(Link link, ServerSocket server, PeerGuard guard) {
        this.link = link;
        this.server = server;
        this.guard = guard;
        this.bound = (InetSocketAddress) server.getLocalSocketAddress();
    }

    /**
     * Binds the link's port now, so a port in use fails the start instead of a later accept.
     *
     * @throws PortInUseException naming the port
     */
    static ListeningConnector bind(Link link, InetAddress host, PeerGuard guard) throws PortInUseException {
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(host, link.port()), 4);
            return new ListeningConnector(link, s, guard);
        } catch (IOException e) {
            closeQuietly(s);
            throw new PortInUseException(link.port(), "cannot listen on " + host.getHostAddress() + ":"
                    + link.port() + " (" + e.getMessage() + "): the port is in use by another process,"
                    + " for example a previous formix-proxy; stop it or choose another --base-port", e);
        }
    }

    @Override
    public Socket next() throws IOException {
        if (!stopped) {
            LOG.info("{}: listening on {}:{} for the application of party {} (link to party {})",
                    link.name(), server.getInetAddress().getHostAddress(), link.port(), link.pid(), link.peer());
        }
        while (!stopped) {
            Socket s;
            try {
                s = server.accept();
            } catch (SocketException e) {
                if (stopped) {
                    return null;
                }
                throw e;
            }
            Optional<String> why = guard.refusal(s);
            if (why.isEmpty()) {
                return s;
            }
            refused.incrementAndGet();
            LOG.warn("{}: refused a connection from {}: {}", link.name(), s.getRemoteSocketAddress(), why.get());
            try {
                s.close();
            } catch (IOException ignored) {
                // refused: nothing was read or written
            }
        }
        return null;
    }

    @Override
    public long refused() {
        return refused.get();
    }

    /**
     * A connection waiting in the accept queue appears as an open socket on the bound port whose
     * other end is not {@code current} (the proxy serves one connection at a time and closes it
     * before accepting the next). It counts only if its other end is an open socket of an allowed
     * user: a foreign or already closed one would be dropped, not served.
     */
    @Override
    public boolean othersWaiting(List<SocketTable.Entry> table, InetSocketAddress current) {
        for (SocketTable.Entry e : table) {
            if (e.state() == SocketTable.ESTABLISHED && onBoundPort(e.local())
                    && !SocketTable.same(e.remote(), current)) {
                Optional<SocketTable.Entry> client = SocketTable.connection(table, e.remote(), e.local());
                if (client.isPresent() && client.get().state() == SocketTable.ESTABLISHED
                        && guard.allows(client.get().uid())) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean onBoundPort(InetSocketAddress local) {
        return local.getPort() == bound.getPort()
                && (bound.getAddress().isAnyLocalAddress() || SocketTable.same(local, bound));
    }

    @Override
    public void stop() {
        stopped = true;
        closeQuietly(server);
    }

    private static void closeQuietly(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a listening socket has nothing left to report
            }
        }
    }
}
