package io.formix.proxy;

import io.formix.transport.spi.TcpDialer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to an application that listens, retrying with backoff while it is not up yet (Sequre
 * compiles for 15-25 s before it listens), with the dialler the TCP transport shares
 * ({@link TcpDialer}). Logs one line when it starts waiting, one when connected. A listener that
 * belongs to another user ({@link PeerGuard#refusal}: the socket that accepted the proxy's
 * connection is not of an allowed uid) is treated like one not up yet: the connection is closed and
 * retried with backoff, with one log line until the owner changes.
 */
final class DialingConnector implements AppConnector {
    private static final Logger LOG = LoggerFactory.getLogger(DialingConnector.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Link link;
    private final InetAddress host;
    private final TcpDialer dialer;
    private final long backoffMaxMillis;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final PeerGuard guard;
    private final AtomicLong refused = new AtomicLong();
    private String lastRefusal;
    /** Whether the attempt that just failed was refused (rather than not connected). */
    private boolean refusedLast;

    DialingConnector(Link link, InetAddress host, Duration backoffMin, Duration backoffMax, PeerGuard guard) {
        this.link = link;
        this.host = host;
        this.guard = guard;
        this.dialer = new TcpDialer(backoffMin, backoffMax, CONNECT_TIMEOUT);
        this.backoffMaxMillis = backoffMax.toMillis();
    }

    @Override
    public Socket next() throws InterruptedException {
        if (stop.getCount() == 0) {
            return null;
        }
        InetSocketAddress address = new InetSocketAddress(host, link.port());
        Pacing pacing = new Pacing();
        return dialer.dial(() -> address, this::admit, pacing).orElse(null);
    }

    /** Passes a connected socket whose other end may carry the link; throws {@link Refused} for another's. */
    private Socket admit(Socket s) throws Refused {
        Optional<String> why = guard.refusal(s);
        if (why.isPresent()) {
            refused.incrementAndGet();
            if (!why.get().equals(lastRefusal)) {
                LOG.warn(
                        "{}: refused the listener at {}:{}: {}; retrying",
                        link.name(),
                        host.getHostAddress(),
                        link.port(),
                        why.get());
                lastRefusal = why.get();
            }
            refusedLast = true;
            throw new Refused();
        }
        lastRefusal = null;
        return s;
    }

    /** Logs once when the application is not up, once when it is; waits for the backoff unless stopped. */
    private final class Pacing implements TcpDialer.Pacing {
        private boolean announced;

        @Override
        public boolean retry(int attempt, InetSocketAddress address, String failure, long backoffNanos)
                throws InterruptedException {
            boolean wasRefused = refusedLast;
            refusedLast = false;
            if (!wasRefused && !announced) {
                LOG.info(
                        "{}: waiting for the application of party {} to listen on {}:{} (link to party {});"
                                + " retrying every {} ms at most ({})",
                        link.name(),
                        link.pid(),
                        host.getHostAddress(),
                        link.port(),
                        link.peer(),
                        backoffMaxMillis,
                        failure);
                announced = true;
            }
            return !stop.await(backoffNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public void connected(int attempt, InetSocketAddress address, long elapsedNanos) {
            if (announced) {
                LOG.info("{}: application is up on {}:{}", link.name(), host.getHostAddress(), link.port());
            }
        }
    }

    /** A listener of another user: closed and retried like one not up yet. */
    private static final class Refused extends IOException {
        Refused() {
            super("the listener belongs to another user");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    @Override
    public long refused() {
        return refused.get();
    }

    @Override
    public void stop() {
        stop.countDown();
    }
}
