package io.formix.proxy;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one link: obtains a connection with the application from its {@link AppConnector}, moves
 * bytes both ways ({@link SocketToChannel} on this thread, {@link ChannelToSocket} on a second
 * one) until the connection ends, then waits for the next connection, until stopped.
 *
 * <p>Each connection starts on {@link Probation} (unless the {@link PeerGuard} is off): until the
 * process at its other end has read or written a byte, the writer writes at most one message to
 * it and acknowledges nothing, so an idle socket that got the link consumes nothing.
 *
 * <p>State that outlives a connection: the inbound message in hand ({@link #pending()}), written
 * first on the next connection, and the link's {@link WrittenMark} (if the proxy has a state
 * folder), which stops a message written before a crash from being written again after it.
 */
final class LinkRunner implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkRunner.class);
    private static final int OUT_BUFFER = 64 * 1024;

    private final Link link;
    private final ProxyConfig config;
    private final Transport transport;
    private final PartyId peerId;
    private final AppConnector connector;
    private final PeerGuard guard;
    private final WrittenMark mark;
    private WrittenMark.Mark recovered;
    private boolean markFailing;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile long graceDeadline;
    private volatile Message pending;
    private volatile boolean connected;
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /**
     * @param guard gives each connection its probation
     * @param mark this link's mark, or {@code null} for none (non-durable transports, tests)
     */
    LinkRunner(Link link, ProxyConfig config, Transport transport, AppConnector connector, PeerGuard guard,
            WrittenMark mark) {
        this.link = link;
        this.config = config;
        this.transport = transport;
        this.peerId = PartyId.ofPid(link.peer());
        this.connector = connector;
        this.guard = guard;
        this.mark = mark;
        this.recovered = mark == null ? null : mark.recovered().orElse(null);
        if (recovered != null) {
            LOG.info("{}: the previous run wrote message {} from party {} to the application; if the channel"
                    + " delivers it again it is skipped", link.name(), recovered.sequence(), peerId);
        }
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                Socket socket = connector.next();
                if (socket == null) {
                    break;
                }
                serve(socket);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.error("{}: link stopped: {}", link.name(), e.toString(), e);
        }
    }

    private void serve(Socket socket) throws InterruptedException {
        Probation probation = guard.probation(socket, connector::othersWaiting);
        Connection connection = new Connection(socket, probation);
        Thread writer;
        SocketToChannel reader;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.max(1, config.poll().toMillis()));
            reader = new SocketToChannel(this, connection, socket.getInputStream());
            writer = new Thread(new ChannelToSocket(this, connection,
                    new BufferedOutputStream(socket.getOutputStream(), OUT_BUFFER)),
                    "formix-proxy-" + link.pid() + "-to-app-from-" + link.peer());
        } catch (IOException e) {
            LOG.info("{}: connection with the application failed at once ({})", link.name(), e.getMessage());
            connection.close();
            return;
        }
        connections.incrementAndGet();
        connected = true;
        LOG.info("{}: application connected ({})", link.name(), socket.getRemoteSocketAddress());
        writer.setDaemon(true);
        writer.start();
        SocketToChannel.End end = reader.run();
        if (end == SocketToChannel.End.STOPPED) {
            // Let the writer finish the message in hand, within the grace period.
            long left = graceDeadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(writer, left);
            }
        } else if (probation != null && !probation.proven() && !probation.abandoned()) {
            // The application may have read the message and left since the writer last looked.
            probation.probe(false);
        }
        connection.close();
        writer.join();
        connected = false;
        if (probation != null && probation.abandoned()) {
            abandoned.incrementAndGet();
            Message kept = pending;
            LOG.warn("{}: closed the connection from {}: it read nothing of the {} bytes written to it within {} ms"
                    + " while another connection was waiting{}", link.name(), socket.getRemoteSocketAddress(),
                    probation.handed(), config.probation().toMillis(), kept == null ? ""
                            : "; message " + kept.sequence() + " from party " + kept.from()
                                    + " was not acknowledged and is written first on the next connection");
            return;
        }
        switch (end) {
            case EOF -> LOG.info("{}: the application closed the connection{}; {}", link.name(), unread(probation),
                    nextStep());
            case BROKEN, BAD_FRAME -> LOG.info("{}: connection closed{}; {}", link.name(), unread(probation),
                    nextStep());
            case STOPPED -> LOG.debug("{}: connection closed for shutdown", link.name());
        }
    }

    /** A note for the log if the connection ended on probation with a message written to it but not read. */
    private String unread(Probation probation) {
        Message kept = pending;
        if (probation == null || probation.proven() || kept == null || probation.handed() == 0) {
            return "";
        }
        return " before reading message " + kept.sequence() + " from party " + kept.from()
                + " (it is kept, not acknowledged, and written first on the next connection)";
    }

    private String nextStep() {
        if (stopping) {
            return "stopping";
        }
        return link.role() == Link.Role.LISTEN
                ? "waiting for it to connect again on port " + link.port()
                : "connecting to it again on port " + link.port();
    }

    /** Asks the link to stop: no new connection; a frame in hand may finish until {@code graceDeadlineNanos}. */
    void stop(long graceDeadlineNanos) {
        this.graceDeadline = graceDeadlineNanos;
        this.stopping = true;
        stopSignal.countDown();
        connector.stop();
    }

    boolean stopping() {
        return stopping;
    }

    boolean pastGrace() {
        return stopping && System.nanoTime() - graceDeadline >= 0;
    }

    /** Waits up to {@code nanos} or until stop is requested; returns true if stopping. */
    boolean awaitStop(long nanos) throws InterruptedException {
        return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
    }

    Link link() {
        return link;
    }

    ProxyConfig config() {
        return config;
    }

    Transport transport() {
        return transport;
    }

    PartyId peerId() {
        return peerId;
    }

    Message pending() {
        return pending;
    }

    void hold(Message m) {
        pending = m;
    }

    /**
     * Whether {@code m}, the first message taken since the start, is the one the previous run
     * wrote to the application just before it died (the transport delivers it again). Only the
     * first message can be; the question is answered once.
     */
    boolean writtenBeforeRestart(Message m) {
        WrittenMark.Mark r = recovered;
        if (r == null) {
            return false;
        }
        recovered = null;
        if (r.matches(m)) {
            LOG.info("{}: skipping message {} from party {}: the previous run wrote it to the application",
                    link.name(), m.sequence(), m.from());
            return true;
        }
        LOG.debug("{}: message {} is new (the previous run's last message {} was acknowledged)", link.name(),
                m.sequence(), r.sequence());
        return false;
    }

    /** {@code m} was written whole to the application: it is no longer in hand, and it is marked. */
    void written(Message m) {
        pending = null;
        messagesIn.incrementAndGet();
        bytesIn.addAndGet(m.payload().length);
        if (mark != null) {
            try {
                mark.written(m);
                markFailing = false;
            } catch (IOException e) {
                markFailed(e);
            }
        }
    }

    /** A receive on this link's channel returned: the message written before is acknowledged. */
    void acknowledged() {
        if (mark != null) {
            try {
                mark.acknowledged();
            } catch (IOException e) {
                markFailed(e);
            }
        }
    }

    private void markFailed(IOException e) {
        if (!markFailing) {
            markFailing = true;
            LOG.warn("{}: cannot update {} ({}); if the proxy is killed, the message it wrote last may be"
                    + " written to the application again after the restart", link.name(), mark.file(),
                    e.getMessage());
        }
    }

    /**
     * Releases the mark at shutdown. If the transport was closed (so it acknowledged everything
     * returned), the mark is cleared first; otherwise it stays for the next run.
     */
    void closeMark(boolean transportClosed) {
        if (mark == null) {
            return;
        }
        if (transportClosed) {
            acknowledged();
        }
        try {
            mark.close();
        } catch (IOException e) {
            LOG.debug("{}: closing {}: {}", link.name(), mark.file(), e.getMessage());
        }
    }

    void countOut(int bytes) {
        messagesOut.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    LinkStats stats() {
        return new LinkStats(link, messagesOut.get(), bytesOut.get(), messagesIn.get(), bytesIn.get(),
                connections.get(), connector.refused(), abandoned.get(), connected);
    }

    /**
     * One TCP connection with the application; closing it ends both pumps. Its probation is null
     * when the connection is trusted at once (the {@link PeerGuard} is off).
     */
    static final class Connection {
        private final Socket socket;
        private final Probation probation;
        private volatile boolean alive = true;

        Connection(Socket socket, Probation probation) {
            this.socket = socket;
            this.probation = probation;
        }

        boolean alive() {
            return alive;
        }

        Probation probation() {
            return probation;
        }

        /** Closes the connection because it stayed unread on probation ({@link Probation.Verdict#ABANDON}). */
        void abandon() {
            if (probation != null) {
                probation.abandon();
            }
            close();
        }

        void close() {
            alive = false;
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            if (probation != null) {
                probation.release();
            }
        }
    }
}
