package io.formix.proxy;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running {@code formix-proxy}: one link per peer, each moving frames between a TCP connection
 * with the local application and the file channels of a {@link Transport} whose
 * {@link Transport#self()} is this proxy's pid.
 *
 * <h2>What it guarantees</h2>
 * <ul>
 *   <li>Order: per direction, messages reach the far application in the order the near one wrote
 *       them, none missing, none twice, while both proxies run.</li>
 *   <li>Whole messages only: a frame reaches a channel only complete; a frame cut by a
 *       disconnect, a stop or a bad length writes nothing.</li>
 *   <li>Bounded memory: at most one message per direction per link is in memory; a slow side
 *       stops the reading of the other (TCP flow control, or messages waiting on disk).</li>
 *   <li>Reconnection: when the application disconnects, the link waits for (listen role) or
 *       reconnects to (connect role) the application; messages from the channel wait on disk
 *       meanwhile, and one whose write was cut is written first on the next connection.</li>
 *   <li>Shutdown ({@link #shutdown()}): stops accepting, lets a frame in hand finish within the
 *       grace period or drops it (nothing partial is written), acknowledges what was written to
 *       the application, and leaves any unwritten inbound message in its channel for the next
 *       run.</li>
 *   <li>A link only for its application: a connection whose other end is a socket of another
 *       user is refused, and a new connection gets no message acknowledged until the process at
 *       its other end has read or written a byte ({@link PeerGuard}, {@link Probation}); an idle
 *       socket that got the link consumes nothing. Where the socket table cannot be read (no
 *       {@code /proc}) both checks are off, with one log line.</li>
 *   <li>Crash: a message leaves its channel only after it was written to the application (each
 *       link receives on its own channel, which acknowledges only that channel). With a state
 *       folder, the message written last is marked until acknowledged ({@link WrittenMark}), so
 *       after a restart it is not written again.</li>
 * </ul>
 *
 * <p>The proxy owns the transport from {@link #start} on and closes it in {@link #shutdown()}.
 * Thread-safe.
 */
public final class Proxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);

    private final ProxyConfig config;
    private final Transport transport;
    private final List<LinkSession> sessions;
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private boolean shutDown;
    private boolean clean;

    private Proxy(ProxyConfig config, Transport transport, List<LinkSession> sessions) {
        this.config = config;
        this.transport = transport;
        this.sessions = sessions;
    }

    /**
     * Binds every listening port of the plan, then starts every link.
     *
     * @throws PortInUseException if a port cannot be bound; nothing is left running and the
     *     transport is left open for the caller to close
     * @throws IOException if the state folder cannot be used
     * @throws IllegalArgumentException if {@code transport.self()} is not this proxy's pid
     */
    public static Proxy start(ProxyConfig config, Transport transport) throws IOException {
        return start(config, transport, ProcNetTcp.system().orElse(null));
    }

    /**
     * {@link #start(ProxyConfig, Transport)} reading the owners and queues of sockets from
     * {@code sockets} ({@code null}: none can be read, the peer checks are off); tests pass their own.
     */
    static Proxy start(ProxyConfig config, Transport transport, SocketTable sockets) throws IOException {
        PartyId self = PartyId.ofPid(config.pid());
        if (!transport.self().equals(self)) {
            throw new IllegalArgumentException(
                    "the transport speaks for party " + transport.self() + ", the proxy for party " + self);
        }
        List<Link> links = config.links();
        PeerGuard guard = PeerGuard.of(config, sockets);
        List<AppConnector> connectors = new ArrayList<>();
        try {
            for (Link link : links) {
                connectors.add(
                        link.role() == Link.Role.LISTEN
                                ? ListeningConnector.bind(link, config.appHost(), guard)
                                : new DialingConnector(
                                        link, config.appHost(), config.backoffMin(), config.backoffMax(), guard));
            }
        } catch (PortInUseException e) {
            connectors.forEach(AppConnector::stop);
            throw e;
        }
        List<LinkSession> sessions = new ArrayList<>();
        List<WrittenMark> marks = new ArrayList<>();
        try {
            for (int i = 0; i < links.size(); i++) {
                WrittenMark mark = null;
                if (config.stateDir() != null) {
                    mark = WrittenMark.open(
                            config.stateDir(), PartyId.ofPid(links.get(i).peer()));
                    marks.add(mark);
                }
                sessions.add(new LinkSession(links.get(i), config, transport, connectors.get(i), guard, mark));
            }
        } catch (IOException | RuntimeException e) {
            connectors.forEach(AppConnector::stop);
            for (WrittenMark m : marks) {
                try {
                    m.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        Proxy proxy = new Proxy(config, transport, sessions);
        for (LinkSession r : sessions) {
            Thread t = new Thread(r, "formix-proxy-" + r.link().name());
            proxy.threads.add(t);
            t.start();
        }
        LOG.info(
                "formix-proxy for party {} of {} started ({} framing): {}",
                config.pid(),
                config.parties(),
                config.framing(),
                describe(links));
        return proxy;
    }

    private static String describe(List<Link> links) {
        List<String> parts = new ArrayList<>();
        for (Link l : links) {
            parts.add("party " + l.peer() + (l.role() == Link.Role.LISTEN ? " listen :" : " connect :") + l.port());
        }
        return String.join(", ", parts);
    }

    /** The configuration this proxy runs with. */
    public ProxyConfig config() {
        return config;
    }

    /** Counters of every link, in peer order. */
    public List<LinkStats> stats() {
        List<LinkStats> s = new ArrayList<>();
        for (LinkSession r : sessions) {
            s.add(r.stats());
        }
        return s;
    }

    /**
     * Stops the proxy (idempotent; later calls return the first result): no new connections; each
     * frame in hand may finish within {@link ProxyConfig#shutdownGrace()}, else it is dropped
     * whole; then messages written to the application are acknowledged and the transport closed.
     * If an inbound message was taken but not written to the application, the transport is
     * <em>not</em> closed (closing would acknowledge it), so the message stays in its channel and
     * is written first after a restart; the caller should then just exit. Messages the other
     * links wrote but did not acknowledge yet are then not written again after the restart when
     * the proxy has a state folder ({@link ProxyConfig#stateDir()}).
     *
     * @return true if every message taken from a channel was written to the application and the
     *     transport was closed; false if a message was left in its channel
     */
    public synchronized boolean shutdown() throws InterruptedException {
        if (shutDown) {
            return clean;
        }
        shutDown = true;
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (LinkSession r : sessions) {
            r.stop(deadline);
        }
        for (Thread t : threads) {
            long left = deadline - System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, left));
            if (t.isAlive()) {
                LOG.warn("{} did not stop in time", t.getName());
            }
        }
        boolean leftInChannel = false;
        for (LinkSession r : sessions) {
            Message unwritten = r.pending();
            if (unwritten != null) {
                leftInChannel = true;
                LOG.info(
                        "{}: message {} from party {} was not written to the application; it is kept in its"
                                + " channel (the transport is left open, not acknowledging it) and written first after a"
                                + " restart",
                        r.link().name(),
                        unwritten.sequence(),
                        unwritten.from());
            }
        }
        if (!leftInChannel) {
            try {
                transport.close();
            } catch (IOException e) {
                LOG.warn("closing the file transport failed: {}", e.getMessage());
            }
        }
        for (LinkSession r : sessions) {
            r.closeMark(!leftInChannel);
        }
        clean = !leftInChannel;
        LOG.info("formix-proxy for party {} stopped: {}", config.pid(), summary());
        terminated.countDown();
        return clean;
    }

    private String summary() {
        List<String> parts = new ArrayList<>();
        for (LinkStats s : stats()) {
            parts.add(s.summary());
        }
        return String.join("; ", parts);
    }

    /** Waits until {@link #shutdown()} completed; returns false on timeout. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@link #shutdown()}, for try-with-resources. */
    @Override
    public void close() {
        try {
            shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
