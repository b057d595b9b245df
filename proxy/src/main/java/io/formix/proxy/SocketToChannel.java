package io.formix.proxy;

import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import io.formix.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
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
        STOPPED
    }

    private final LinkRunner runner;
    private final InputStream in;
    private final Transport transport;
    private final PartyId peer;
    private final String name;
    private boolean atBoundary = true;

    SocketToChannel(LinkRunner runner, InputStream in) {
        this.runner = runner;
        this.in = in;
        this.transport = runner.transport();
        this.peer = runner.peerId();
        this.name = runner.link().name();
    }

    End run() throws InterruptedException {
        try {
            return runner.config().framing() == Framing.RAW ? pumpRaw() : pumpFrames();
        } catch (Stopped s) {
            if (!atBoundary) {
                LOG.info("{}: stopping inside a frame from the application; the partial frame is dropped,"
                        + " nothing of it was written", name);
            }
            return End.STOPPED;
        } catch (IOException e) {
            if (runner.stopping()) {
                return End.STOPPED;
            }
            LOG.info("{}: connection with the application failed ({}){}", name, e.getMessage(),
                    atBoundary ? "" : "; the partial frame is dropped, nothing of it was written");
            return End.BROKEN;
        }
    }

    private End pumpFrames() throws IOException, InterruptedException {
        int max = transport.maxMessageBytes();
        byte[] header = new byte[FrameCodec.HEADER_BYTES];
        while (true) {
            atBoundary = true;
            int got = readFully(header, 0, header.length);
            if (got == 0) {
                return End.EOF;
            }
            if (got < header.length) {
                LOG.warn("{}: the application closed the connection inside a frame header ({} of 8 bytes);"
                        + " nothing of that frame was written", name, got);
                return End.BROKEN;
            }
            long length = FrameCodec.getLength(header, 0);
            int size;
            try {
                size = FrameCodec.checkLength(length, max);
            } catch (TransportException e) {
                LOG.error("{}: bad frame from the application: length prefix {} is {}; closing this connection,"
                        + " nothing of the frame was written", name, length,
                        length < 0 ? "negative" : "above the maximum of " + max + " bytes");
                return End.BAD_FRAME;
            }
            byte[] payload = new byte[size];
            int read = readFully(payload, 0, size);
            if (read < size) {
                LOG.warn("{}: the application closed the connection inside a frame ({} of {} payload bytes);"
                        + " nothing of that frame was written", name, read, size);
                return End.BROKEN;
            }
            if (!deliver(payload)) {
                return End.STOPPED;
            }
        }
    }

    private End pumpRaw() throws IOException, InterruptedException {
        byte[] buf = new byte[runner.config().rawChunkBytes()];
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

    /** Reads until {@code len} bytes or end of stream; returns how many were read. */
    private int readFully(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = readSome(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
            atBoundary = false;
        }
        return total;
    }

    /** One read that survives read timeouts, giving up only when the proxy stops. */
    private int readSome(byte[] b, int off, int len) throws IOException {
        while (true) {
            try {
                return in.read(b, off, len);
            } catch (SocketTimeoutException e) {
                if (runner.stopping() && (atBoundary || runner.pastGrace())) {
                    throw new Stopped();
                }
            }
        }
    }

    /**
     * Hands a complete message to the transport, retrying while the file side fails (disk full,
     * permissions): the socket is not read meanwhile. Returns false if the proxy stops first.
     */
    private boolean deliver(byte[] payload) throws InterruptedException {
        Backoff backoff = new Backoff(runner.config().backoffMin(), runner.config().backoffMax());
        boolean complained = false;
        while (true) {
            try {
                transport.send(peer, payload);
                runner.countOut(payload.length);
                if (complained) {
                    LOG.info("{}: channel {}_to_{} is writable again", name, runner.link().pid(), peer);
                }
                return true;
            } catch (TransportClosedException e) {
                return false;
            } catch (IOException e) {
                if (!complained) {
                    LOG.error("{}: cannot write a message to channel {}_to_{} ({}); retrying, and not reading"
                            + " from the application meanwhile", name, runner.link().pid(), peer, e.getMessage());
                    complained = true;
                }
                if (runner.stopping() && runner.pastGrace()) {
                    LOG.warn("{}: stopping; the message that could not be written is dropped", name);
                    return false;
                }
                runner.awaitStop(backoff.nextNanos());
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
