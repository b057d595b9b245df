package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.TransportClosedException;
import io.formix.transport.TransportException;
import io.formix.transport.spi.PairwisePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sbproxy layout: one bidirectional connection per pair, on {@link PairwisePorts#port}; the
 * lower pid listens (on all interfaces), the higher dials and redials whenever the connection
 * ends. The thread that accepted or dialled a connection then reads it. Plain frames only, no handshake, so Sequre and formix-proxy speak it. Connections are set
 * up eagerly at start, as Sequre does; a send waits for its pair's connection until the connect
 * timeout.
 */
final class PairwiseConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(PairwiseConnector.class);

    private final TcpTransport owner;
    private final PairwiseLayout layout;
    private final List<ServerSocket> servers = new ArrayList<>();
    /** The thread currently accepting on each listening socket. */
    private final Map<ServerSocket, Thread> acceptors = new ConcurrentHashMap<>();

    PairwiseConnector(TcpTransport owner, PairwiseLayout layout) {
        this.owner = owner;
        this.layout = layout;
    }

    @Override
    public void start() throws IOException {
        int self = layout.selfPid();
        try {
            for (int peer = 0; peer < layout.size(); peer++) {
                if (peer != self && PairwisePorts.listens(self, peer)) {
                    ServerSocket server = new ServerSocket();
                    servers.add(server);
                    server.setReuseAddress(true);
                    int port = layout.portWith(peer);
                    try {
                        server.bind(new InetSocketAddress(port));
                    } catch (IOException e) {
                        throw new IOException("port " + port + " (pair with pid " + peer + "): " + e.getMessage(), e);
                    }
                    Link link = owner.link(layout.party(peer));
                    acceptors.put(server, owner.startThread("accept-" + link.peer, () -> acceptLoop(server, link)));
                }
            }
        } catch (IOException e) {
            close();
            throw new IOException(owner.self() + ": cannot listen on the pairwise ports of " + layout + ": " + e, e);
        }
        for (int peer = 0; peer < layout.size(); peer++) {
            if (peer != self && !PairwisePorts.listens(self, peer)) {
                int p = peer;
                owner.startThread("dial-" + layout.party(peer), () -> dialLoop(p));
            }
        }
    }

    @Override
    public boolean acknowledges() {
        return false;
    }

    @Override
    public void checkPeer(PartyId peer) {
        if (layout.pidOf(peer) < 0) {
            throw new IllegalArgumentException(peer + " is not a party of " + layout);
        }
    }

    @Override
    public FramedConnection outbound(Link link, long deadlineNanos) throws TransportException, InterruptedException {
        FramedConnection c = link.outbound();
        if (c != null) {
            return c;
        }
        int pid = layout.pidOf(link.peer);
        LOG.info("{}: waiting for the connection with {} (port {}, {})", owner.self(), link.peer, layout.portWith(pid),
                PairwisePorts.listens(layout.selfPid(), pid) ? "it dials us" : "we dial it");
        c = link.awaitOutbound(deadlineNanos, owner::isClosed);
        owner.checkOpen();
        if (c == null) {
            throw new PeerUnavailableException("no connection to " + link.peer + " (pid " + pid + ", port "
                    + layout.portWith(pid) + ") within " + owner.options().connectTimeout().toMillis() + " ms");
        }
        return c;
    }

    @Override
    public void close() {
        for (ServerSocket s : servers) {
            Listening.closeAndAwait(s, acceptors.get(s));
        }
    }

    /**
     * Accepts one connection, hands the accepting over to a fresh thread and reads the connection
     * in this one, so the reader is already running when the peer's first frame arrives.
     */
    private void acceptLoop(ServerSocket server, Link link) {
        while (!owner.isClosed()) {
            FramedConnection c;
            try {
                Socket s = server.accept();
                c = new FramedConnection(s, owner.options().maxMessageBytes());
                owner.track(c);
            } catch (IOException e) {
                if (!owner.isClosed()) {
                    LOG.warn("{}: accepting on port {} failed: {}", owner.self(), server.getLocalPort(), e.toString());
                }
                continue;
            }
            acceptors.put(server, owner.startThread("accept-" + link.peer, () -> acceptLoop(server, link)));
            read(link, c);
            return;
        }
    }

    private void dialLoop(int peer) {
        Link link = owner.link(layout.party(peer));
        InetSocketAddress address = new InetSocketAddress(layout.host(peer), layout.portWith(peer));
        Dialer dialer = new Dialer(owner);
        try {
            while (!owner.isClosed()) {
                long forever = Deadlines.after(Duration.ofNanos(Deadlines.MAX_NANOS));
                FramedConnection c = dialer.dial(link.peer, () -> address, forever,
                        s -> new FramedConnection(s, owner.options().maxMessageBytes()));
                owner.track(c);
                read(link, c);
                if (!owner.isClosed()) {
                    LOG.info("{}: connection to {} at {} ended; reconnecting", owner.self(), link.peer, address);
                }
            }
        } catch (TransportClosedException | InterruptedException e) {
            // closing
        } catch (IOException e) {
            LOG.error("{}: giving up on {} at {}: {}", owner.self(), link.peer, address, e.toString());
        }
    }

    /** Sends on {@code c} from now on and reads from it, in this thread, until it ends. */
    private void read(Link link, FramedConnection c) {
        link.setOutbound(c);
        new Reader(owner, link, c, null, () -> link.outboundLost(c)).run();
    }
}
