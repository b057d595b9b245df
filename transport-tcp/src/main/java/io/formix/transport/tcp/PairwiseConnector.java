package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.TransportException;
import io.formix.transport.spi.Backoff;
import io.formix.transport.spi.PairwisePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sbproxy layout: one bidirectional connection per pair, on {@link PairwisePorts#port}; the
 * lower pid listens (on all interfaces), the higher dials and redials whenever the connection
 * ends. Plain frames only, no handshake, so Sequre and formix-proxy speak it. Connections are set
 * up eagerly at start, as Sequre does; a send waits for its pair's connection until the connect
 * timeout. Accepting, non-blocking dialling with backoff, and reading all run on the transport's
 * {@link IoLoop}: no thread per pair.
 */
final class PairwiseConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(PairwiseConnector.class);
    /** One connection attempt is abandoned after this long (a peer that neither accepts nor refuses). */
    private static final long MAX_ATTEMPT_MS = 5_000;

    private final TcpTransport owner;
    private final PairwiseLayout layout;
    private final List<ServerSocketChannel> servers = new CopyOnWriteArrayList<>();

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
                    ServerSocketChannel server = ServerSocketChannel.open();
                    servers.add(server);
                    server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    int port = layout.portWith(peer);
                    try {
                        server.bind(new InetSocketAddress(port));
                    } catch (IOException e) {
                        throw new IOException("port " + port + " (pair with pid " + peer + "): " + e.getMessage(), e);
                    }
                    server.configureBlocking(false);
                    Link link = owner.link(layout.party(peer));
                    owner.loop().execute(() -> {
                        try {
                            owner.loop().register(server, SelectionKey.OP_ACCEPT, k -> acceptAll(server, link));
                        } catch (IOException e) {
                            if (!owner.isClosed()) {
                                LOG.error("{}: cannot accept on port {}: {}", owner.self(), port, e.toString());
                            }
                        }
                    });
                }
            }
        } catch (IOException e) {
            close();
            throw new IOException(owner.self() + ": cannot listen on the pairwise ports of " + layout + ": " + e, e);
        }
        for (int peer = 0; peer < layout.size(); peer++) {
            if (peer != self && !PairwisePorts.listens(self, peer)) {
                PairDialer d = new PairDialer(peer);
                owner.loop().execute(d::attempt);
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
        LOG.info(
                "{}: waiting for the connection with {} (port {}, {})",
                owner.self(),
                link.peer,
                layout.portWith(pid),
                PairwisePorts.listens(layout.selfPid(), pid) ? "it dials us" : "we dial it");
        c = link.awaitOutbound(deadlineNanos, owner::isClosed);
        owner.checkOpen();
        if (c == null) {
            throw new PeerUnavailableException(
                    "no connection to " + link.peer + " (pid " + pid + ", port " + layout.portWith(pid) + ") within "
                            + owner.options().connectTimeout().toMillis() + " ms");
        }
        return c;
    }

    @Override
    public void close() {
        for (ServerSocketChannel s : servers) {
            owner.loop().closeListening(s);
        }
    }

    /** On the loop: every pending connection becomes the pair's connection in turn (the newest wins). */
    private void acceptAll(ServerSocketChannel server, Link link) throws IOException {
        SocketChannel s;
        while ((s = server.accept()) != null) {
            if (owner.isClosed()) {
                Dialer.closeQuietly(s);
                return;
            }
            FramedConnection c;
            try {
                c = new FramedConnection(owner.loop(), s, owner.options().maxReceiveBytes());
                owner.track(c);
            } catch (IOException e) {
                Dialer.closeQuietly(s);
                if (!owner.isClosed()) {
                    LOG.warn(
                            "{}: accepting on port {} failed: {}",
                            owner.self(),
                            server.socket().getLocalPort(),
                            e.toString());
                }
                continue;
            }
            read(link, c, null);
        }
    }

    /** Sends on {@code c} from now on and reads from it until it ends; then runs {@code after}. */
    private void read(Link link, FramedConnection c, Runnable after) {
        link.setOutbound(c);
        Reader reader = new Reader(owner, link, c, null, () -> {
            link.outboundLost(c);
            if (after != null) {
                after.run();
            }
        });
        reader.begin();
        c.start(reader);
    }

    /**
     * Dials one peer with a lower pid from the loop, forever: non-blocking connects with capped
     * exponential backoff, one log line when it starts waiting and one when it gets through; and
     * again whenever the connection ends.
     */
    private final class PairDialer {
        private final Link link;
        private final InetSocketAddress address;
        private final Backoff backoff;
        private int attempts;
        private long started;
        private String lastFailure;

        PairDialer(int peer) {
            link = owner.link(layout.party(peer));
            address = new InetSocketAddress(layout.host(peer), layout.portWith(peer));
            backoff = new Backoff(
                    owner.options().backoffInitial(), owner.options().backoffMax());
        }

        void attempt() {
            if (owner.isClosed()) {
                return;
            }
            if (attempts++ == 0) {
                started = System.nanoTime();
            }
            SocketChannel ch = null;
            try {
                ch = SocketChannel.open();
                owner.track(ch);
                ch.configureBlocking(false);
                InetSocketAddress resolved = address.isUnresolved()
                        ? new InetSocketAddress(address.getHostString(), address.getPort())
                        : address;
                if (ch.connect(resolved)) {
                    connected(ch);
                    return;
                }
                SocketChannel pending = ch;
                IoLoop.Timer giveUp = owner.loop().schedule(TimeUnit.MILLISECONDS.toNanos(MAX_ATTEMPT_MS), () -> {
                    if (pending.isOpen() && !pending.isConnected()) {
                        failed(pending, "connect timed out");
                    }
                });
                owner.loop().register(ch, SelectionKey.OP_CONNECT, new IoLoop.Handler() {
                    @Override
                    public void ready(SelectionKey key) throws IOException {
                        if (pending.finishConnect()) {
                            giveUp.cancel();
                            key.interestOps(0);
                            connected(pending);
                        }
                    }

                    @Override
                    public void failed(Throwable t) {
                        giveUp.cancel();
                        PairDialer.this.failed(pending, t.toString());
                    }
                });
            } catch (IOException | java.nio.channels.UnresolvedAddressException e) {
                failed(ch, e.toString());
            }
        }

        private void connected(SocketChannel ch) throws IOException {
            owner.untrack(ch);
            if (attempts > 1) {
                LOG.info(
                        "{}: connected to {} at {} after {} attempts ({} ms)",
                        owner.self(),
                        link.peer,
                        address,
                        attempts,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            }
            attempts = 0;
            backoff.reset();
            FramedConnection c =
                    new FramedConnection(owner.loop(), ch, owner.options().maxReceiveBytes());
            owner.track(c);
            read(link, c, () -> {
                if (!owner.isClosed()) {
                    LOG.info("{}: connection to {} at {} ended; reconnecting", owner.self(), link.peer, address);
                    attempt();
                }
            });
        }

        private void failed(SocketChannel ch, String why) {
            if (ch != null) {
                Dialer.closeQuietly(ch);
                owner.untrack(ch);
            }
            if (owner.isClosed()) {
                return;
            }
            lastFailure = why;
            if (attempts == 1) {
                LOG.info(
                        "{}: waiting for {} at {} ({}); retrying with backoff up to {} ms",
                        owner.self(),
                        link.peer,
                        address,
                        lastFailure,
                        owner.options().backoffMax().toMillis());
            }
            owner.loop().schedule(backoff.nextNanos(), this::attempt);
        }
    }
}
