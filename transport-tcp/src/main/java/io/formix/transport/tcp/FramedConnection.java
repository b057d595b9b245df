package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;

/**
 * One connected socket that carries frames: an 8-byte little-endian length, then the payload
 * ({@link FrameCodec}), the same bytes as a {@code .msg} file. This is the messaging half of the
 * TCP transport, free of any connection policy.
 *
 * <p><b>Writing</b> ({@link #writeFrame}) is thread-safe and whole-frame: concurrent writers are
 * serialised, and a write either puts the whole frame into the socket or throws, in which case the
 * connection is closed (a half-written frame must never be followed by another). A write blocks
 * while the socket's send buffer is full: that is the backpressure. It is released by the peer
 * reading, by the connection failing, or by {@link #close()}; {@link Thread#interrupt()} does not
 * release it, because stopping in the middle of a frame would corrupt the stream.
 *
 * <p><b>Reading</b> ({@link #readFrame}) checks the length against {@code maxPayload} before
 * allocating. It is meant for one reader thread; concurrent readers are serialised.
 *
 * <p>The constructor enables {@code TCP_NODELAY} (frames are written whole, so Nagle only adds
 * latency) and {@code SO_KEEPALIVE}.
 */
final class FramedConnection implements Closeable {

    /** Frames up to this size are written with one system call (header and payload copied together). */
    private static final int COALESCE_LIMIT = 64 * 1024;

    private final Socket socket;
    private final int maxPayload;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    private volatile boolean closed;

    /**
     * Wraps a connected socket; the connection owns it from now on.
     *
     * @param maxPayload the largest payload {@link #readFrame} accepts
     */
    FramedConnection(Socket socket, int maxPayload) throws IOException {
        if (maxPayload < 0) {
            throw new IllegalArgumentException("maxPayload must be >= 0");
        }
        this.socket = socket;
        this.maxPayload = maxPayload;
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    /**
     * Writes one frame. On any failure the connection is closed and the exception rethrown; the
     * peer then sees the stream end, inside this frame if part of it was written.
     */
    public void writeFrame(byte[] payload) throws IOException {
        synchronized (writeLock) {
            if (closed) {
                throw new IOException("connection to " + remoteAddress() + " is closed");
            }
            try {
                if (payload.length <= COALESCE_LIMIT) {
                    out.write(FrameCodec.encode(payload));
                } else {
                    out.write(FrameCodec.header(payload.length));
                    out.write(payload);
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }
    }

    /**
     * Reads the next frame.
     *
     * @return the payload (a fresh array), or {@code null} if the peer closed its sending side
     *     cleanly between two frames
     * @throws EOFException if the stream ended inside a frame
     * @throws io.formix.transport.BadFrameException if the length prefix is negative
     * @throws io.formix.transport.MessageTooLargeException if it exceeds {@code maxPayload};
     *     nothing was allocated
     * @throws IOException if the connection failed (for example reset by the peer) or was closed
     */
    public byte[] readFrame() throws IOException {
        return readFrame(maxPayload);
    }

    /** As {@link #readFrame()}, with a tighter bound for this one frame (a handshake, say). */
    public byte[] readFrame(int maxPayload) throws IOException {
        synchronized (readLock) {
            return FrameCodec.read(in, Math.min(maxPayload, this.maxPayload));
        }
    }

    /** Sets the read timeout of the socket (0 = none); a read that times out throws. */
    public void setReadTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** Sends FIN after what was written (the peer reads the remaining frames, then a clean end). */
    public void shutdownOutput() {
        synchronized (writeLock) {
            try {
                if (!closed && !socket.isOutputShutdown()) {
                    socket.shutdownOutput();
                }
            } catch (IOException e) {
                // The socket is already unusable; close() below or by the owner releases it.
            }
        }
    }

    /** Whether {@link #close()} was called or a write failed. */
    public boolean isClosed() {
        return closed;
    }

    /** The peer's address, for messages. */
    public SocketAddress remoteAddress() {
        return socket.getRemoteSocketAddress();
    }

    /** Closes the socket, waking a blocked writer or reader with an {@link IOException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
    }

    @Override
    public String toString() {
        return "FramedConnection[" + remoteAddress() + (closed ? ", closed]" : "]");
    }
}
