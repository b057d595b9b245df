package io.formix.proxy;

import io.formix.transport.Message;
import io.formix.transport.Transport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One link for as long as the proxy runs: obtains a connection with the application from its
 * {@link AppConnector}, runs the two pumps on it ({@link SocketToChannel} on this thread,
 * {@link ChannelToSocket} on a second one) until the connection ends, then waits for the next
 * connection, until stopped.
 *
 * <p>The session owns what outlives a connection and hands it to the pumps: the stop request
 * ({@link StopSignal}), the inbound message in hand and the written mark ({@link InHand}) and the
 * counters ({@link LinkCounters}). The pumps know nothing of the session.
 *
 * <p>Each connection starts on {@link Probation} (unless the {@link PeerGuard} is off): until the
 * process at its other end has read or written a byte, the writer writes at most one message to
 * it and acknowledges nothing, so an idle socket that got the link consumes nothing.
 */
final class LinkSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkSession.class);
    private static final int OUT_BUFFER = 64 * 1024;

    private final Link link;
    private final ProxyConfig config;
    private final Transport transport;
    private final AppConnector connector;
    private final PeerGuard guard;
    private final StopSignal stop = new StopSignal();
    private final LinkCounters counters = new LinkCounters();
    private final InHand inHand;
    private volatile boolean connected;

    /**
     * @param guard gives each connection its probation
     * @param mark this link's mark, or {@code null} for none (non-durable transports, tests)
     */
    LinkSession(
            Link link,
            ProxyConfig config,
            Transport transport,
            AppConnector connector,
            PeerGuard guard,
            WrittenMark mark) {
        this.link = link;
        this.config = config;
        this.transport = transport;
        this.connector = connector;
        this.guard = guard;
        this.inHand = new InHand(link, mark, counters);
    }

    @Override
    public void run() {
        try {
            while (!stop.stopping()) {
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
        AppConnection connection = new AppConnection(socket, probation);
        Thread writer;
        SocketToChannel reader;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) Math.max(1, config.poll().toMillis()));
            reader = new SocketToChannel(link, config, transport, connection, socket.getInputStream(), stop, counters);
            writer = new Thread(
                    new ChannelToSocket(
                            link,
                            config,
                            transport,
                            connection,
                            new BufferedOutputStream(socket.getOutputStream(), OUT_BUFFER),
                            stop,
                            inHand),
                    "formix-proxy-" + link.pid() + "-to-app-from-" + link.peer());
        } catch (IOException e) {
            LOG.info("{}: connection with the application failed at once ({})", link.name(), e.getMessage());
            connection.close();
            return;
        }
        counters.connected();
        connected = true;
        LOG.info("{}: application connected ({})", link.name(), socket.getRemoteSocketAddress());
        writer.setDaemon(true);
        writer.start();
        SocketToChannel.End end = reader.run();
        if (end == SocketToChannel.End.STOPPED) {
            // Let the writer finish the message in hand, within the grace period.
            long left = stop.graceLeftNanos();
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
            counters.abandoned();
            Message kept = inHand.message();
            LOG.warn(
                    "{}: closed the connection from {}: it read nothing of the {} bytes written to it within {} ms"
                            + " while another connection was waiting{}",
                    link.name(),
                    socket.getRemoteSocketAddress(),
                    probation.handed(),
                    config.probation().toMillis(),
                    kept == null
                            ? ""
                            : "; message " + kept.sequence() + " from party " + kept.from()
                                    + " was not acknowledged and is written first on the next connection");
            return;
        }
        switch (end) {
            case EOF ->
                LOG.info("{}: the application closed the connection{}; {}", link.name(), unread(probation), nextStep());
            case BROKEN, BAD_FRAME ->
                LOG.info("{}: connection closed{}; {}", link.name(), unread(probation), nextStep());
            case STOPPED -> LOG.debug("{}: connection closed for shutdown", link.name());
            case ABANDONED -> {}
        }
    }

    /** A note for the log if the connection ended on probation with a message written to it but not read. */
    private String unread(Probation probation) {
        Message kept = inHand.message();
        if (probation == null || probation.proven() || kept == null || probation.handed() == 0) {
            return "";
        }
        return " before reading message " + kept.sequence() + " from party " + kept.from()
                + " (it is kept, not acknowledged, and written first on the next connection)";
    }

    private String nextStep() {
        if (stop.stopping()) {
            return "stopping";
        }
        return link.role() == Link.Role.LISTEN
                ? "waiting for it to connect again on port " + link.port()
                : "connecting to it again on port " + link.port();
    }

    /** Asks the link to stop: no new connection; a frame in hand may finish until {@code graceDeadlineNanos}. */
    void stop(long graceDeadlineNanos) {
        stop.stop(graceDeadlineNanos);
        connector.stop();
    }

    Link link() {
        return link;
    }

    /** The inbound message taken from the channel but not written whole to the application, or null. */
    Message pending() {
        return inHand.message();
    }

    /** Releases the written mark at shutdown ({@link InHand#closeMark}). */
    void closeMark(boolean transportClosed) {
        inHand.closeMark(transportClosed);
    }

    LinkStats stats() {
        return counters.snapshot(link, connector.refused(), connected);
    }
}
