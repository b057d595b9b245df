package io.formix.proxy;

import io.formix.transport.spi.TcpAcceptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts the application's connections on a port bound once, at start, with the acceptor the TCP
 * transport shares ({@link TcpAcceptor}). One connection is served at a time; a second connection
 * attempt waits in the backlog until the first one ends (or is abandoned on {@link Probation}, which
 * asks {@link #othersWaiting}). A connection from a socket of another user is closed at once
 * ({@link PeerGuard#refusal}) and the next one accepted.
 */
final class ListeningConnector implements AppConnector {
    private static final Logger LOG = LoggerFactory.getLogger(ListeningConnector.class);

    private final Link link;
    private final TcpAcceptor acceptor;
    private final PeerGuard guard;
    private final InetSocketAddress bound;
    private final AtomicLong refused = new AtomicLong();

    private ListeningConnector(Link link, TcpAcceptor acceptor, PeerGuard guard) {
        this.link = link;
        this.acceptor = acceptor;
        this.guard = guard;
        this.bound = acceptor.localAddress();
    }

    /**
     * Binds the link's port now, so a port in use fails the start instead of a later accept.
     *
     * @throws PortInUseException naming the port
     */
    static ListeningConnector bind(Link link, InetAddress host, PeerGuard guard) throws PortInUseException {
        try {
            return new ListeningConnector(link, TcpAcceptor.bind(new InetSocketAddress(host, link.port()), 4), guard);
        } catch (IOException e) {
            throw new PortInUseException(
                    link.port(),
                    e.getMessage() + ": the port is in use by another process,"
                            + " for example a previous formix-proxy; stop it or choose another --base-port",
                    e);
        }
    }

    @Override
    public Socket next() throws IOException {
        if (acceptor.isClosed()) {
            return null;
        }
        LOG.info(
                "{}: listening on {}:{} for the application of party {} (link to party {})",
                link.name(),
                bound.getAddress().getHostAddress(),
                link.port(),
                link.pid(),
                link.peer());
        return acceptor.accept(this::refusal);
    }

    private Optional<String> refusal(Socket s) {
        Optional<String> why = guard.refusal(s);
        if (why.isPresent()) {
            refused.incrementAndGet();
            LOG.warn("{}: refused a connection from {}: {}", link.name(), s.getRemoteSocketAddress(), why.get());
        }
        return why;
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
            if (e.state() == SocketTable.ESTABLISHED
                    && onBoundPort(e.local())
                    && !SocketTable.same(e.remote(), current)) {
                Optional<SocketTable.Entry> client = SocketTable.connection(table, e.remote(), e.local());
                if (client.isPresent()
                        && client.get().state() == SocketTable.ESTABLISHED
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

    /** Closes the port; returns once it is free (see {@link TcpAcceptor#close()}). */
    @Override
    public void stop() {
        acceptor.close();
    }
}
