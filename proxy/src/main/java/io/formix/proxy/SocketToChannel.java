package io.formix.proxy;

import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import io.formix.transport.TransportException;
import io.formix.transport.spi.Backoff;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the application's bytes from one connection and sends them as messages on channel
 * {@code <pid>_to_<peer>}, one frame (or one raw chunk) at a time.
 *
 * <p>Memory is bounded by one message: the next read starts only after the previous message was
 * handed to the transport, so a slow file side stops the reading and TCP flow control slows the
 * application. A frame is sent only when complete: a connection that ends inside a frame, a length
 * that is negative or above {@link Transport#maxMessageBytes()}, or a stop while a frame is
 * incomplete writes nothing of it. The socket must have a read timeout (the poll interval) so a
 * stop request is noticed.
 *
 * <p>On a connection on {@link Probation}, the first bytes read prove it, and while the writer is
 * blocked writing to it, each read timeout probes it (the writer cannot); a probe that abandons
 * the connection closes it and ends the reading ({@link End#ABANDONED}).
 */
final class SocketToChannel {
    private static final Logger LOG = LoggerFactory.getLogger(SocketToChannel.class);

    /** Why reading ended. */
    enum End {
        /** The application closed the connection at a message boundary. */
        EOF,
        /** The connection failed or ended inside a frame; the partial frame was dropped. */
        BROKEN,
        /** A frame length was impossible; the connection must be closed. */
        BAD_FRAME,
        /** The proxy is stopping; nothing partial was sent. */
        STOPPED,
        /** The connection stayed unread on probation and was closed; nothing partial was sent. */
        ABANDONED
    }

    private final Link link;
    private final ProxyConfig config;
    private final Transport transport;
    private final PartyId peer;
    private final String name;
    private final AppConnection connection;
    private final Probation probation;
    private final InputStream in;
    private final StopSignal stop;
    private final LinkCounters counters;
    private boolean atBoundary = true;

    /**
     * @param link the link whose outbound channel {@code <pid>_to_<peer>} receives the messages
     * @param config framing, raw chunk size and the backoff of failed sends
     * @param transport the proxy's transport, speaking for {@code link.pid()}
     * @param connection the connection {@code in} belongs to (probation, abandoning)
     * @param in the connection's input stream; the socket must have a read timeout
     * @param stop the link's stop request, checked at every read timeout
     * @param counters counts every message sent
     */
    SocketToChannel(
            Link link,
            ProxyConfig config,
            Transport transport,
            AppConnection connection,
            InputStream in,
            StopSignal stop,
            LinkCounters counters) {
        this.link = link;
        this.config = config;
        this.transport = transport;
        this.peer = PartyId.ofPid(link.peer());
        this.name = link.name();
        this.connection = connection;
        this.probation = connection.probation();
        this.in = in;
        this.stop = stop;
        this.counters = counters;
    }

    End run() throws InterruptedException {
        try {
            return config.framing() == Framing.RAW ? pumpRaw() : pumpFrames();
        } catch (Stopped s) {
            if (!atBoundary) {
                LOG.info(
                        "{}: stopping inside a frame from the application; the partial frame is dropped,"
                                + " nothing of it was written",
                        name);
            }
            return End.STOPPED;
        } catch (IOException e) {
            if (stop.stopping()) {
                return End.STOPPED;
            }
            if (probation != null && probation.abandoned()) {
                return End.ABANDONED;
            }
            LOG.info(
                    "{}: connection with the application failed ({}){}",
                    name,
                    e.getMessage(),
                    atBoundary ? "" : "; the partial frame is dropped, nothing of it was written");
            return End.BROKEN;
        }
    }

    /**
     * Reads frames with the shared {@link FrameCodec#read} (bound checked before allocating, the
     * buffer growing only as bytes arrive) over a view of the socket that survives read timeouts.
     */
    private End pumpFrames() throws IOException, InterruptedException {
        int max = transport.maxMessageBytes();
        InputStream frames = new PatientStream();
        while (true) {
            atBoundary = true;
            byte[] payload;
            try {
                payload = FrameCodec.read(frames, max);
            } catch (EOFException e) {
                LOG.warn(
                        "{}: the application closed the connection inside a frame ({}); nothing of that frame"
                                + " was written",
                        name,
                        e.getMessage());
                return End.BROKEN;
            } catch (TransportException e) {
                LOG.error(
                        "{}: bad frame from the application ({}); closing this connection, nothing of the frame"
                                + " was written",
                        name,
                        e.getMessage());
                return End.BAD_FRAME;
            }
            if (payload == null) {
                return End.EOF;
            }
            if (!deliver(payload)) {
                return End.STOPPED;
            }
        }
    }

    private End pumpRaw() throws IOException, InterruptedException {
        byte[] buf = new byte[config.rawChunkBytes()];
        while (true) {
            atBoundary = true;
            int n = readSome(buf, 0, buf.length);
            if (n < 0) {
                return End.EOF;
            }
            int avail;
            while (n < buf.length && (avail = in.available()) > 0) {
                int m = in.read(buf, n, Math.min(avail, buf.length - n));
                if (m < 0) {
                    break;
                }
                n += m;
            }
            // A full chunk goes as is: send does not keep the array, so the buffer is reused.
            if (!deliver(n == buf.length ? buf : Arrays.copyOf(buf, n))) {
                return End.STOPPED;
            }
        }
    }

    /** The socket's stream as seen by the frame reader: reads survive timeouts and clear {@link #atBoundary}. */
    private final class PatientStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int n = readSome(b, off, len);
            if (n > 0) {
                atBoundary = false;
            }
            return n;
        }
    }

    /**
     * One read that survives read timeouts, giving up only when the proxy stops or the connection
     * is abandoned on probation.
     */
    private int readSome(byte[] b, int off, int len) throws IOException {
        while (true) {
            try {
                int n = in.read(b, off, len);
                if (n > 0 && probation != null) {
                    probation.heard();
                }
                return n;
            } catch (SocketTimeoutException e) {
                if (stop.stopping() && (atBoundary || stop.pastGrace())) {
                    throw new Stopped();
                }
                if (probation != null
                        && !probation.proven()
                        && probation.writing()
                        && probation.probe(!stop.stopping()) == Probation.Verdict.ABANDON) {
                    connection.abandon();
                    throw new SocketException("abandoned on probation");
                }
            }
        }
    }

    /**
     * Hands a complete message to the transport, retrying while the file side fails (disk full,
     * permissions): the socket is not read meanwhile. Returns false if the proxy stops first.
     */
    private boolean deliver(byte[] payload) throws InterruptedException {
        Backoff backoff = new Backoff(config.backoffMin(), config.backoffMax());
        boolean complained = false;
        while (true) {
            try {
                transport.send(peer, payload);
                counters.sent(payload.length);
                if (complained) {
                    LOG.info("{}: channel {}_to_{} is writable again", name, link.pid(), peer);
                }
                return true;
            } catch (TransportClosedException e) {
                return false;
            } catch (IOException e) {
                if (!complained) {
                    LOG.error(
                            "{}: cannot write a message to channel {}_to_{} ({}); retrying, and not reading"
                                    + " from the application meanwhile",
                            name,
                            link.pid(),
                            peer,
                            e.getMessage());
                    complained = true;
                }
                if (stop.pastGrace()) {
                    LOG.warn("{}: stopping; the message that could not be written is dropped", name);
                    return false;
                }
                stop.await(backoff.nextNanos());
            }
        }
    }

    /** Unwinds a read when the proxy stops. */
    private static final class Stopped extends IOException {
        Stopped() {
            super("stopping");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
