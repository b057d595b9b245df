package io.formix.transport.tcp;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.PeerUnavailableException;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import io.formix.transport.TransportException;
import io.formix.transport.spi.SendArguments;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link Transport} over TCP: every message is one frame (8-byte little-endian length, then the
 * payload), byte for byte the content of a {@code .msg} file of the file channel.
 *
 * <h2>Two ways to connect</h2>
 * <ul>
 *   <li>{@link #openPairwise Pairwise} (the sbproxy / Sequre layout): numeric pids {@code 0..n-1},
 *       one bidirectional connection per pair on {@link io.formix.transport.spi.PairwisePorts#port}, the lower pid
 *       listening. Plain frames, nothing else on the wire, so a party can talk to Sequre or sit
 *       behind formix-proxy. Connections are made eagerly at open and remade whenever they end.
 *   <li>{@link #openDirectory Directory}: arbitrary {@link PartyId}s, one listening port per party,
 *       peer addresses from a resolver. A sender dials lazily on its first message to a peer and
 *       introduces itself with a hello frame; each connection carries one direction.
 * </ul>
 *
 * <h2>Guarantees</h2>
 * Not durable ({@link #isDurable()} is false). While a connection lives, messages arrive whole,
 * once and in order (TCP). {@link #send} returns once the frame is in the socket's send buffer,
 * which is <em>not</em> a receipt: if the peer dies, frames still in its or the network's buffers
 * are lost, and so are messages queued in its inbox but not yet taken. What is never silent:
 * <ul>
 *   <li>a send that finds no connection within {@link TcpOptions#connectTimeout()} throws
 *       {@link PeerUnavailableException};
 *   <li>a send whose write fails (connection reset or closed) throws {@link PeerUnavailableException}
 *       and the receiver discards the partial frame;
 *   <li>a stream that ends inside a frame, or carries a negative or oversized length prefix, is
 *       closed and surfaces to the receiver as a {@link io.formix.transport.CorruptMessageException}
 *       from its next {@code receive} from that sender;
 *   <li>directory mode only: the receiver acknowledges the messages its application has taken
 *       (batched, see {@code AckChannel}), and when a connection ends with messages it did not
 *       acknowledge, the sender is told: the next {@code send} to that peer, or
 *       {@link #awaitDelivered}, throws {@link PeerUnavailableException} naming how many may be
 *       lost. {@link #awaitDelivered} also gives a receipt when one is needed.
 * </ul>
 * Pairwise mode carries plain frames only (Sequre speaks them), so it has no acknowledgements:
 * messages written shortly before a peer died may be lost without a report.
 *
 * <p>After a peer restarts, the transport connects to it again (pairwise: the dialler redials, the
 * listener accepts; directory: the next send redials, asking the resolver anew). Message sequence
 * numbers count from 0 per connection, so a receiver sees a reconnect as a sequence restarting at 0.
 *
 * <h2>Backpressure and bounds</h2>
 * A send waits while the socket's send buffer is full; the receiver holds at most
 * {@link TcpOptions#inboxBytesPerPeer()} bytes per sender (plus the rest of one 128 KiB read)
 * before it stops reading that connection. A waiting send is released by the peer reading, by the
 * connection failing, or by {@link #close()}; an interrupt
 * does not cut a frame in half, so it only wakes a send still waiting for its connection or its
 * turn. Lengths are checked before any allocation.
 *
 * <h2>Threads</h2>
 * Thread-safe. No thread per connection: the transports of a JVM share one selector thread
 * ({@code IoLoop}, {@code -Dformix.tcp.ioThreads} to have more) that accepts, reads every
 * connection, dials in pairwise mode and runs the timers. A {@code send} writes from the caller's
 * thread straight into the socket (and, in directory mode, dials and says hello there). Sends to
 * one peer are serialised; sends to different peers run in parallel.
 *
 * <h2>Security</h2>
 * None at this layer: no authentication, no encryption. In directory mode anyone who can reach the
 * port can claim any id in its hello. End-to-end encryption and signatures belong above the
 * transport (a planned Formix milestone).
 */
public final class TcpTransport implements Transport {

    private final PartyId self;
    private final TcpOptions options;
    private final Inbox inbox;
    private final Map<PartyId, Link> links = new ConcurrentHashMap<>();
    private final Set<Closeable> resources = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Connector connector;
    private final IoLoop loop;
    private volatile boolean closed;

    private TcpTransport(PartyId self, TcpOptions options, Function<TcpTransport, Connector> connector) {
        this.self = Objects.requireNonNull(self, "self");
        this.options = Objects.requireNonNull(options, "options");
        this.inbox = new Inbox(self.value(), options.inboxBytesPerPeer());
        this.loop = IoLoop.shared();
        this.connector = connector.apply(this);
    }

    /**
     * Opens a party of a pairwise (sbproxy-layout) network: listens on the ports of the pairs with
     * higher pids (on all interfaces) and starts dialling those with lower pids.
     *
     * @throws IOException if a port cannot be bound
     */
    public static TcpTransport openPairwise(PairwiseLayout layout, TcpOptions options) throws IOException {
        Objects.requireNonNull(layout, "layout");
        TcpTransport t = new TcpTransport(
                layout.party(layout.selfPid()), options, owner -> new PairwiseConnector(owner, layout));
        t.start();
        return t;
    }

    /**
     * Opens a party in directory mode, listening on {@code bindAddress} (port 0 picks a free port;
     * see {@link #localPort()}). {@code resolver} maps a peer to the address it listens on, or to
     * null if unknown; it is asked before every connection attempt, must be thread-safe and should
     * be fast (one that throws counts as one that returned null).
     *
     * @throws IOException if the address cannot be bound
     */
    public static TcpTransport openDirectory(
            PartyId self,
            InetSocketAddress bindAddress,
            Function<PartyId, InetSocketAddress> resolver,
            TcpOptions options)
            throws IOException {
        TcpTransport t = new TcpTransport(self, options, owner -> new DirectoryConnector(owner, bindAddress, resolver));
        t.start();
        return t;
    }

    /** {@link #openPairwise(PairwiseLayout, TcpOptions)} with {@link TcpOptions#defaults()}. */
    public static TcpTransport openPairwise(PairwiseLayout layout) throws IOException {
        return openPairwise(layout, TcpOptions.defaults());
    }

    /** {@link #openDirectory(PartyId, InetSocketAddress, Function, TcpOptions)} with {@link TcpOptions#defaults()}. */
    public static TcpTransport openDirectory(
            PartyId self, InetSocketAddress bindAddress, Function<PartyId, InetSocketAddress> resolver)
            throws IOException {
        return openDirectory(self, bindAddress, resolver, TcpOptions.defaults());
    }

    private void start() throws IOException {
        try {
            connector.start();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /**
     * The local port this party listens on in directory mode.
     *
     * @throws IllegalStateException in pairwise mode (ports follow the layout)
     */
    public int localPort() {
        if (connector instanceof DirectoryConnector d) {
            return d.localPort();
        }
        throw new IllegalStateException("a pairwise transport listens on the ports of its layout");
    }

    @Override
    public PartyId self() {
        return self;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Waits up to {@link TcpOptions#connectTimeout()} for a connection to {@code to}, then writes
     * the frame, blocking while the socket buffer is full.
     *
     * @throws PeerUnavailableException if no connection came up in time, or the connection broke
     *     while writing (the receiver discards the partial frame)
     * @throws IllegalArgumentException if {@code to} is self or, in pairwise mode, not in the layout
     */
    @Override
    public void send(PartyId to, byte[] payload) throws TransportException, InterruptedException {
        SendArguments.check(self, to, payload, options.maxMessageBytes());
        checkOpen();
        connector.checkPeer(to);
        long deadline = Deadlines.after(options.connectTimeout());
        Link link = link(to);
        link.sendLock.lockInterruptibly();
        try {
            checkOpen();
            String lost = link.takeLossReport();
            if (lost != null) {
                throw new PeerUnavailableException(lost + "; this message was not sent, the next send reconnects");
            }
            FramedConnection c = connector.outbound(link, deadline);
            link.sending(c);
            try {
                c.writeFrame(payload);
            } catch (IOException e) {
                link.outboundLost(c);
                checkOpen();
                String unconfirmed = link.takeLossReport();
                throw new PeerUnavailableException(
                        "connection to " + to + " broke while sending (" + e
                                + "); this message was not delivered"
                                + (unconfirmed != null
                                        ? " (" + unconfirmed + ")"
                                        : connector.acknowledges()
                                                ? ""
                                                : " and messages sent shortly before it may be lost"),
                        e);
            }
        } finally {
            link.sendLock.unlock();
        }
    }

    /**
     * Directory mode: waits until the peer's application has taken every message this transport
     * sent to {@code peer} (its {@code receive} returned them).
     *
     * @return true when all are confirmed (also when nothing was sent), false if {@code timeout}
     *     passed first
     * @throws PeerUnavailableException if a connection to {@code peer} ended while messages on it
     *     were unconfirmed; they may not have been delivered (the report is cleared)
     * @throws IllegalStateException in pairwise mode, whose plain frames carry no acknowledgements
     */
    public boolean awaitDelivered(PartyId peer, Duration timeout) throws TransportException, InterruptedException {
        Objects.requireNonNull(peer, "peer");
        if (!connector.acknowledges()) {
            throw new IllegalStateException("pairwise mode carries plain frames without acknowledgements");
        }
        checkOpen();
        Link link = link(peer);
        boolean done = link.awaitDelivered(Deadlines.after(timeout), this::isClosed);
        checkOpen();
        return done;
    }

    @Override
    public Optional<Message> receive(PartyId from, Duration timeout) throws TransportException, InterruptedException {
        Objects.requireNonNull(from, "from");
        return inbox.take(from, Deadlines.after(timeout));
    }

    @Override
    public Optional<Message> receiveAny(Duration timeout) throws TransportException, InterruptedException {
        return inbox.take(null, Deadlines.after(timeout));
    }

    @Override
    public int maxMessageBytes() {
        return options.maxMessageBytes();
    }

    @Override
    public int maxReceiveBytes() {
        return options.maxReceiveBytes();
    }

    /** Always false: see the class documentation for what survives a restart. */
    @Override
    public boolean isDurable() {
        return false;
    }

    /**
     * Closes the listening sockets and every connection (frames already in the send buffers still
     * go out), and wakes blocked senders and receivers with {@link TransportClosedException}. It
     * waits (briefly) for the I/O loop to release its listening sockets, so that the ports are
     * free for a restarted transport when it returns. Messages received but not taken are dropped.
     * Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closedLatch.countDown();
        connector.close();
        for (Closeable c : resources) {
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        resources.clear();
        inbox.close();
        links.values().forEach(Link::wake);
    }

    @Override
    public String toString() {
        return "TcpTransport[" + self + "]";
    }

    // ---- for the connectors, readers and dialler of this package ----

    TcpOptions options() {
        return options;
    }

    Inbox inbox() {
        return inbox;
    }

    boolean isClosed() {
        return closed;
    }

    Link link(PartyId peer) {
        return links.computeIfAbsent(peer, p -> new Link(p, connector.acknowledges()));
    }

    void checkOpen() throws TransportClosedException {
        if (closed) {
            throw new TransportClosedException("TCP transport of " + self + " is closed");
        }
    }

    /** Waits up to {@code nanos}; returns true if the transport closed meanwhile. */
    boolean awaitClosed(long nanos) throws InterruptedException {
        return closedLatch.await(nanos, TimeUnit.NANOSECONDS);
    }

    /** Registers something {@link #close()} must close; closes it at once if already closed. */
    void track(Closeable c) throws TransportClosedException {
        resources.add(c);
        if (closed) {
            resources.remove(c);
            try {
                c.close();
            } catch (IOException e) {
                // closing anyway
            }
            checkOpen();
        }
    }

    void untrack(Closeable c) {
        resources.remove(c);
    }

    /** The I/O loop that accepts, reads and times for this transport. */
    IoLoop loop() {
        return loop;
    }
}
