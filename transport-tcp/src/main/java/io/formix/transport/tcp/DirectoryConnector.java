package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import io.formix.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Dialling and the dialler's half of the handshake run in the sending thread; accepting, the
 * listener's half of the handshake (bounded by {@link TcpOptions#helloTimeout()}), reading and
 * watching run on the transport's {@link IoLoop}.
 */
final class DirectoryConnector implements Connector {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryConnector.class);
    /** Connections accepted but still waiting for their hello; more are refused at once. */
    static final int MAX_PENDING_HELLOS = 256;

    private final TcpTransport owner;
    private final InetSocketAddress bindAddress;
    private final Function<PartyId, InetSocketAddress> resolver;
    private final Set<AckChannel> ackChannels = ConcurrentHashMap.newKeySet();
    private volatile ServerSocketChannel server;
    private final AtomicInteger pendingHellos = new AtomicInteger();
    /** Inbound connections past their hello still being read; bounded by {@link TcpOptions#maxInboundConnections()}. */
    private final AtomicInteger established = new AtomicInteger();

    DirectoryConnector(
            TcpTransport owner, InetSocketAddress bindAddress, Function<PartyId, InetSocketAddress> resolver) {
        this.owner = owner;
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public void start() throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open();
        try {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(bindAddress);
            s.configureBlocking(false);
        } catch (IOException e) {
            s.close();
            throw new IOException(owner.self() + ": cannot listen on " + bindAddress + ": " + e, e);
        }
        server = s;
        owner.loop().execute(() -> {
            try {
                owner.loop().register(s, SelectionKey.OP_ACCEPT, k -> acceptAll(s));
            } catch (IOException e) {
                if (!owner.isClosed()) {
                    LOG.error("{}: cannot accept on {}: {}", owner.self(), bindAddress, e.toString());
                }
            }
        });
    }

    /** The port the listening socket is bound to. */
    int localPort() {
        return server.socket().getLocalPort();
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
        FramedConnection c =
                new Dialer(owner).dial(peer, () -> resolver.apply(peer), deadlineNanos, s -> introduce(s, peer));
        owner.track(c);
        link.setOutbound(c);
        c.start(new AckWatcher(link));
        return c;
    }

    @Override
    public void close() {
        for (AckChannel a : ackChannels) {
            a.close();
        }
        ServerSocketChannel s = server;
        if (s != null) {
            owner.loop().closeListening(s);
        }
    }

    /** Dialler side of the handshake, blocking: send the hello, wait for the answer. */
    private FramedConnection introduce(SocketChannel s, PartyId peer) throws IOException {
        SocketAddress remote = s.getRemoteAddress();
        s.socket().setSoTimeout((int)
                Math.min(Integer.MAX_VALUE, owner.options().helloTimeout().toMillis()));
        OutputStream out = s.socket().getOutputStream();
        out.write(FrameCodec.encode(new Hello(owner.self(), peer).encode()));
        InputStream in = s.socket().getInputStream(); // unbuffered: reads exactly the answer
        byte[] reply = FrameCodec.read(in, Hello.MAX_BYTES);
        if (reply == null) {
            throw new IOException("the party at " + remote + " closed the connection instead of answering the hello");
        }
        String refusal = Hello.refusal(reply);
        if (refusal != null) {
            throw new IOException("the party at " + remote + " refused the connection: " + refusal);
        }
        return new FramedConnection(owner.loop(), s, Hello.MAX_BYTES);
    }

    /** Reads the acknowledgements on an outbound connection until it ends. */
    private final class AckWatcher implements FramedConnection.Receiver {
        private final Link link;

        AckWatcher(Link link) {
            this.link = link;
        }

        @Override
        public boolean onFrame(FramedConnection c, byte[] frame) {
            long count = AckChannel.decode(frame);
            if (count < 0) {
                LOG.warn(
                        "{}: {} sent a frame that is not an acknowledgement; closing the connection",
                        owner.self(),
                        link.peer);
                c.close();
                return true;
            }
            link.acknowledged(c, count);
            return true;
        }

        @Override
        public void onEnd(FramedConnection c, FramedConnection.End end) {
            if (end.ending() != FramedConnection.Ending.CLOSED && !owner.isClosed()) {
                LOG.debug(
                        "{}: connection to {} ended: {}",
                        owner.self(),
                        link.peer,
                        end.detail() == null ? "closed by the peer" : end.detail());
            }
            owner.untrack(c);
            link.outboundLost(c);
        }
    }

    /** On the loop: accepts every pending connection and starts its handshake. */
    private void acceptAll(ServerSocketChannel s) throws IOException {
        SocketChannel accepted;
        while ((accepted = s.accept()) != null) {
            if (owner.isClosed()) {
                Dialer.closeQuietly(accepted);
                return;
            }
            if (pendingHellos.incrementAndGet() > MAX_PENDING_HELLOS) {
                pendingHellos.decrementAndGet();
                LOG.warn(
                        "{}: {} connections are already waiting for their hello; refusing {}",
                        owner.self(),
                        MAX_PENDING_HELLOS,
                        accepted.getRemoteAddress());
                Dialer.closeQuietly(accepted);
                continue;
            }
            FramedConnection c;
            try {
                c = new FramedConnection(owner.loop(), accepted, Hello.MAX_BYTES);
                owner.track(c);
            } catch (IOException e) {
                pendingHellos.decrementAndGet();
                Dialer.closeQuietly(accepted);
                continue;
            }
            Welcome w = new Welcome();
            w.timeout = owner.loop().schedule(owner.options().helloTimeout().toNanos(), () -> {
                if (w.pending) {
                    w.reject(
                            c,
                            "no hello within " + owner.options().helloTimeout().toMillis() + " ms");
                }
            });
            c.start(w);
        }
    }

    /** Listener side of the handshake: reads the hello, answers, hands the connection to a {@link Reader}. */
    private final class Welcome implements FramedConnection.Receiver {
        boolean pending = true;
        IoLoop.Timer timeout;

        @Override
        public boolean onFrame(FramedConnection c, byte[] frame) {
            if (!pending) {
                return true;
            }
            Hello hello;
            try {
                hello = Hello.parse(frame);
            } catch (IOException e) {
                reject(c, e.getMessage());
                return true;
            }
            if (!hello.to().equals(owner.self())) {
                refuse(c, "this is " + owner.self() + ", not " + hello.to(), "hello for " + hello.to() + " refused");
                return true;
            }
            if (hello.from().equals(owner.self())) {
                refuse(c, "a party cannot connect to itself", "hello from itself refused");
                return true;
            }
            int max = owner.options().maxInboundConnections();
            if (established.incrementAndGet() > max) {
                established.decrementAndGet();
                refuse(
                        c,
                        "too many inbound connections (limit " + max + ")",
                        "hello from " + hello.from() + " refused: " + max
                                + " inbound connections are already established (maxInboundConnections)");
                return true;
            }
            done();
            c.writeControl(Hello.accept(), null);
            c.setFrameLimit(owner.options().maxReceiveBytes());
            Link link = owner.link(hello.from());
            AckChannel ack = new AckChannel(c, owner.loop());
            ackChannels.add(ack);
            Reader reader = new Reader(owner, link, c, ack, () -> {
                ackChannels.remove(ack);
                established.decrementAndGet();
            });
            reader.begin();
            c.setReceiver(reader);
            return true;
        }

        @Override
        public void onEnd(FramedConnection c, FramedConnection.End end) {
            if (pending) {
                reject(
                        c,
                        end.ending() == FramedConnection.Ending.CLEAN
                                ? "closed before its hello"
                                : end.ending() == FramedConnection.Ending.CLOSED ? "closed" : end.detail());
            }
        }

        private void refuse(FramedConnection c, String answer, String why) {
            done();
            c.writeControl(Hello.refuse(answer), null);
            c.closeAfterControl();
            log(c, why);
            owner.untrack(c);
        }

        void reject(FramedConnection c, String why) {
            done();
            c.close();
            log(c, why);
            owner.untrack(c);
        }

        private void done() {
            if (pending) {
                pending = false;
                pendingHellos.decrementAndGet();
                timeout.cancel();
            }
        }

        private void log(FramedConnection c, String why) {
            if (!owner.isClosed()) {
                LOG.warn("{}: rejected a connection from {}: {}", owner.self(), c.remoteAddress(), why);
            }
        }
    }
}
