package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.TransportException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Directory mode: the party listens on one port; peers' addresses come from a resolver. Each TCP
 * connection carries one direction: the sender dials on its first send to a peer (and again after
 * the connection ended), introduces itself with a {@link Hello}, and waits for the listener's
 * answer before sending frames. The dialler then watches the connection for its end (the
 * listener sends only acknowledgements after the answer, see {@link AckChannel}), so a restarted
 * peer is redialled on the next send and messages it never confirmed are reported to the sender.
 */
final class DirectoryConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryConnector.class);
    /** Connections accepted but still waiting for their hello; more are refused at once. */
    static final int MAX_PENDING_HELLOS = 256;

    private final TcpTransport owner;
    private final InetSocketAddress bindAddress;
    private final Function<PartyId, InetSocketAddress> resolver;
    private final Set<AckChannel> ackChannels = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ackTimer;
    private volatile ServerSocket server;
    private volatile Thread acceptor;
    private final AtomicInteger pendingHellos = new AtomicInteger();
    /** Inbound connections past their hello whose reader still runs; bounded by {@link TcpOptions#maxInboundConnections()}. */
    private final AtomicInteger established = new AtomicInteger();

    DirectoryConnector(TcpTransport owner, InetSocketAddress bindAddress,
            Function<PartyId, InetSocketAddress> resolver) {
        this.owner = owner;
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "formix-tcp-" + owner.self() + "-acks");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.ackTimer = timer;
    }

    @Override
    public void start() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(bindAddress);
        } catch (IOException e) {
            s.close();
            throw new IOException(owner.self() + ": cannot listen on " + bindAddress + ": " + e, e);
        }
        server = s;
        acceptor = owner.startThread("accept", this::acceptLoop);
    }

    /** The port the listening socket is bound to. */
    int localPort() {
        return server.getLocalPort();
    }

    @Override
    public boolean acknowledges() {
        return true;
    }

    @Override
    public void checkPeer(PartyId peer) {
        // Any valid id may be addressed; the resolver decides whether it can be reached.
    }

    @Override
    public FramedConnection outbound(Link link, long deadlineNanos) throws TransportException, InterruptedException {
        FramedConnection current = link.outbound();
        if (current != null) {
            return current;
        }
        PartyId peer = link.peer;
        FramedConnection c = new Dialer(owner).dial(peer, () -> resolver.apply(peer), deadlineNanos,
                s -> introduce(s, peer));
        owner.track(c);
        link.setOutbound(c);
        owner.startThread("watch-" + peer, () -> watch(link, c));
        return c;
    }

    @Override
    public void close() {
        ackTimer.shutdownNow();
        for (AckChannel a : ackChannels) {
            a.flush();
        }
        ServerSocket s = server;
        if (s != null) {
            Listening.closeAndAwait(s, acceptor);
        }
    }

    /** Dialler side of the handshake: send the hello, wait for the answer. */
    private FramedConnection introduce(Socket s, PartyId peer) throws IOException {
        FramedConnection c = new FramedConnection(s, owner.options().maxMessageBytes());
        c.setReadTimeout(owner.options().helloTimeout());
        c.writeFrame(new Hello(owner.self(), peer).encode());
        byte[] reply = c.readFrame(Hello.MAX_BYTES);
        if (reply == null) {
            throw new IOException("the party at " + c.remoteAddress() + " closed the connection instead of answering the hello");
        }
        String refusal = Hello.refusal(reply);
        if (refusal != null) {
            throw new IOException("the party at " + c.remoteAddress() + " refused the connection: " + refusal);
        }
        c.setReadTimeout(Duration.ZERO);
        return c;
    }

    /** Reads the acknowledgements on an outbound connection until it ends. */
    private void watch(Link link, FramedConnection c) {
        try {
            byte[] frame;
            while ((frame = c.readFrame(Hello.MAX_BYTES)) != null) {
                long count = AckChannel.decode(frame);
                if (count < 0) {
                    LOG.warn("{}: {} sent a frame that is not an acknowledgement; closing the connection",
                            owner.self(), link.peer);
                    return;
                }
                link.acknowledged(c, count);
            }
        } catch (IOException e) {
            if (!owner.isClosed() && !c.isClosed()) {
                LOG.debug("{}: connection to {} ended: {}", owner.self(), link.peer, e.toString());
            }
        } finally {
            c.close();
            owner.untrack(c);
            link.outboundLost(c);
        }
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!owner.isClosed()) {
            try {
                Socket accepted = s.accept();
                if (pendingHellos.incrementAndGet() > MAX_PENDING_HELLOS) {
                    pendingHellos.decrementAndGet();
                    LOG.warn("{}: {} connections are already waiting for their hello; refusing {}", owner.self(),
                            MAX_PENDING_HELLOS, accepted.getRemoteSocketAddress());
                    Dialer.closeQuietly(accepted);
                    continue;
                }
                owner.startThread("in-" + accepted.getPort(), () -> welcome(accepted));
            } catch (IOException e) {
                if (!owner.isClosed()) {
                    LOG.warn("{}: accepting on port {} failed: {}", owner.self(), s.getLocalPort(), e.toString());
                }
            }
        }
    }

    /** Listener side of the handshake, then the connection's reader. */
    private void welcome(Socket s) {
        FramedConnection c;
        try {
            c = new FramedConnection(s, owner.options().maxMessageBytes());
            owner.track(c);
        } catch (IOException e) {
            pendingHellos.decrementAndGet();
            Dialer.closeQuietly(s);
            return;
        }
        Hello hello;
        boolean counted = false;
        try {
            c.setReadTimeout(owner.options().helloTimeout());
            byte[] frame = c.readFrame(Hello.MAX_BYTES);
            if (frame == null) {
                throw new IOException("closed before its hello");
            }
            hello = Hello.parse(frame);
            if (!hello.to().equals(owner.self())) {
                c.writeFrame(Hello.refuse("this is " + owner.self() + ", not " + hello.to()));
                throw new IOException("hello for " + hello.to() + " refused");
            }
            if (hello.from().equals(owner.self())) {
                c.writeFrame(Hello.refuse("a party cannot connect to itself"));
                throw new IOException("hello from itself refused");
            }
            int max = owner.options().maxInboundConnections();
            counted = true;
            if (established.incrementAndGet() > max) {
                c.writeFrame(Hello.refuse("too many inbound connections (limit " + max + ")"));
                throw new IOException("hello from " + hello.from() + " refused: " + max
                        + " inbound connections are already established (maxInboundConnections)");
            }
            c.writeFrame(Hello.accept());
            c.setReadTimeout(Duration.ZERO);
        } catch (IOException e) {
            if (counted) {
                established.decrementAndGet();
            }
            if (!owner.isClosed()) {
                LOG.warn("{}: rejected a connection from {}: {}", owner.self(), c.remoteAddress(), e.getMessage());
            }
            c.close();
            owner.untrack(c);
            return;
        } finally {
            pendingHellos.decrementAndGet();
        }
        Link link = owner.link(hello.from());
        AckChannel ack = new AckChannel(c, ackTimer);
        ackChannels.add(ack);
        try {
            new Reader(owner, link, c, ack, () -> { }).run();
        } finally {
            ackChannels.remove(ack);
            established.decrementAndGet();
        }
    }
}
