package io.formix.proxy;

import io.formix.transport.Backoff;
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
 * compiles for 15-25 s before it listens). Logs one line when it starts waiting, one when connected.
 * A listener that belongs to another user ({@link PeerGuard#refusal}: the socket that accepted the
 * proxy's connection is not of an allowed uid) is treated like one not up yet: the connection is
 * closed and retried with backoff, with one log line until the owner changes.
 */
final class DialingConnector implements AppConnector {
    private static final Logger LOG = LoggerFactory.getLogger(DialingConnector.class);
    private static final int CONNECT_TIMEOUT_MS = 2_000;

    private final Link link;
    private final InetAddress host;
    private final Backoff backoff;
    private final long backoffMaxMillis;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final PeerGuard guard;
    private final AtomicLong refused = new AtomicLong();
    private String lastRefusal;

    DialingConnector(Link link, InetAddress host, Duration backoffMin, Duration backoffMax, PeerGuard guard) {
        this.link = link;
        this.host = host;
        this.guard = guard;
        this.backoff = new Backoff(backoffMin, backoffMax);
        this.backoffMaxMillis = backoffMax.toMillis();
    }

    @Override
    public Socket next() throws InterruptedException {
        boolean announced = false;
        backoff.reset();
        while (stop.getCount() > 0) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(host, link.port()), CONNECT_TIMEOUT_MS);
                Optional<String> why = guard.refusal(s);
                if (why.isPresent()) {
                    refused.incrementAndGet();
                    if (!why.get().equals(lastRefusal)) {
                        LOG.warn("{}: refused the listener at {}:{}: {}; retrying", link.name(), host.getHostAddress(),
                                link.port(), why.get());
                        lastRefusal = why.get();
                    }
                    closeQuietly(s);
                    if (stop.await(backoff.nextNanos(), TimeUnit.NANOSECONDS)) {
                        return null;
                    }
                    continue;
                }
                lastRefusal = null;
                if (announced) {
                    LOG.info("{}: application is up on {}:{}", link.name(), host.getHostAddress(), link.port());
                }
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                if (!announced) {
                    LOG.info("{}: waiting for the application of party {} to listen on {}:{} (link to party {});"
                            + " retrying every {} ms at most ({})", link.name(), link.pid(),
                            host.getHostAddress(), link.port(), link.peer(), backoffMaxMillis, e.getMessage());
                    announced = true;
                }
                if (stop.await(backoff.nextNanos(), TimeUnit.NANOSECONDS)) {
                    return null;
                }
            }
        }
        return null;
    }

    @Override
    public long refused() {
        return refused.get();
    }

    @Override
    public void stop() {
        stop.countDown();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // a socket that failed to connect has nothing left to report
        }
    }
}
