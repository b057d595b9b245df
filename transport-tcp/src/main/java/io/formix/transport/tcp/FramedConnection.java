package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import io.formix.transport.TransportException;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connected, non-blocking socket that carries frames: an 8-byte little-endian length, then the
 * payload ({@link FrameCodec}), the same bytes as a {@code .msg} file. This is the messaging half of
 * the TCP transport, free of any connection policy; its reading is driven by an {@link IoLoop}.
 *
 * <p><b>Writing data</b> ({@link #writeFrame}) happens in the caller's thread, straight into the
 * socket: no copy is queued. It is thread-safe and whole-frame: concurrent writers are serialised,
 * and a write either puts the whole frame into the socket or throws, in which case the connection
 * is closed (a half-written frame must never be followed by another). While the socket's send
 * buffer is full the writer waits in its own thread (in a selector borrowed from a small pool)
 * until the socket drains: that is the backpressure. It is released by the peer reading, by the
 * connection failing, or by {@link #close()}; {@link Thread#interrupt()} does not release it,
 * because stopping in the middle of a frame would corrupt the stream.
 *
 * <p><b>Writing control frames</b> ({@link #writeControl}: hello answers, acknowledgements) never
 * blocks, so the loop may do it; what the socket does not take at once is finished by the loop. A
 * connection carries either data or control frames in its outbound direction, never both.
 *
 * <p><b>Reading</b> runs on the loop, one chunk (up to 128 KiB) at a time into the loop's shared
 * buffer, reassembled by a {@link FrameAssembler}: each length is checked against the current limit
 * ({@link #setFrameLimit}) before anything is allocated, and the payload buffer grows only as bytes
 * arrive.
 * Whole frames go to the {@link Receiver}; one it cannot take yet is kept, with the frames after it
 * in the same chunk, and reading stops until the receiver calls {@link #resume()}. So a connection
 * holds at most one chunk of frames plus the frame being read beyond what its receiver accepted.
 *
 * <p>{@code TCP_NODELAY} (frames are written whole, so Nagle only adds latency) and
 * {@code SO_KEEPALIVE} are enabled.
 */
final class FramedConnection implements Closeable {

    /** Receives the frames of one connection, on the loop. */
    interface Receiver {
        /**
         * A whole frame arrived. Returns false if it cannot be taken now: the connection keeps it,
         * stops reading, and offers it again after the receiver calls {@link #resume()}.
         */
        boolean onFrame(FramedConnection c, byte[] payload);

        /** The stream ended (called once, after every frame before the end was taken). */
        void onEnd(FramedConnection c, End end);
    }

    /** How a stream ended. */
    enum Ending {
        /** The peer closed its sending side between two frames. */
        CLEAN,
        /** The stream ended inside a frame, or carried a bad length: the partial frame is discarded. */
        CORRUPT,
        /** The connection failed (reset, for instance); {@link End#detail} says how. */
        FAILED,
        /** {@link #close()} was called here. */
        CLOSED
    }

    /** An end and its reason ({@code detail}: a one-line explanation, or null for CLEAN and CLOSED). */
    record End(Ending ending, String detail, boolean insideFrame) {}

    private static final Logger LOG = LoggerFactory.getLogger(FramedConnection.class);
    /** Payload bytes handed to one system call when writing (as the JDK's socket streams do). */
    private static final int WRITE_SLICE = 128 * 1024;
    /** Idle selectors kept for writers waiting for a socket to drain (each holds two file descriptors). */
    private static final int MAX_WAIT_SELECTORS = 16;

    private static final ConcurrentLinkedQueue<Selector> WAIT_SELECTORS = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger WAIT_SELECTOR_COUNT = new AtomicInteger();
    /** Chunks read from one connection in one turn of the loop before others get theirs (1 MiB). */
    private static final int CHUNKS_PER_TURN = 8;

    private final IoLoop loop;
    private final SocketChannel channel;
    private final SocketAddress remote;
    private volatile Receiver receiver;
    private volatile boolean closed;

    // ---- loop thread only ----
    private SelectionKey key;
    private final FrameAssembler assembler;
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private boolean paused;
    private End end;
    private boolean endReported;

    // ---- writing ----
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The selector a writer waits in for this socket to drain, or null. */
    private volatile Selector waitSelector;
    /** Control bytes not yet written (guarded by {@code this}). */
    private ByteBuffer control;

    private Runnable controlDrained;
    private boolean closeWhenDrained;

    /**
     * Wraps a connected channel (switching it to non-blocking mode); the connection owns it from
     * now on. Nothing is read until {@link #start}.
     *
     * @param frameLimit the largest payload accepted, until {@link #setFrameLimit} changes it
     */
    FramedConnection(IoLoop loop, SocketChannel channel, int frameLimit) throws IOException {
        if (frameLimit < 0) {
            throw new IllegalArgumentException("frameLimit must be >= 0");
        }
        this.loop = loop;
        this.channel = channel;
        this.assembler = new FrameAssembler(frameLimit);
        this.remote = channel.getRemoteAddress();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
    }

    /** Registers with the loop and starts reading into {@code r}. */
    void start(Receiver r) {
        receiver = r;
        onLoop(() -> {
            if (closed || end != null) {
                finish(new End(Ending.CLOSED, null, false)); // closed before it started
                if (held.isEmpty()) {
                    reportEnd();
                }
                return;
            }
            try {
                key = loop.register(channel, SelectionKey.OP_READ, new IoLoop.Handler() {
                    @Override
                    public void ready(SelectionKey k) {
                        FramedConnection.this.ready(k);
                    }

                    @Override
                    public void failed(Throwable t) {
                        finish(new End(Ending.FAILED, t.toString(), assembler.midFrame()));
                    }
                });
            } catch (IOException e) {
                finish(new End(Ending.FAILED, e.toString(), false));
            }
        });
    }

    /** Who gets the following frames (a handshake hands over to the message reader). */
    void setReceiver(Receiver r) {
        receiver = r;
    }

    /** The largest payload accepted from the next length prefix on (call it from the receiver, on the loop). */
    void setFrameLimit(int limit) {
        assembler.setLimit(limit);
    }

    /**
     * Writes one data frame from the caller's thread, waiting while the send buffer is full. On any
     * failure the connection is closed and the exception rethrown; the peer then sees the stream
     * end, inside this frame if part of it was written.
     */
    public void writeFrame(byte[] data) throws IOException {
        writeLock.lock();
        Waiter waiter = null;
        try {
            if (closed) {
                throw new IOException("connection to " + remote + " is closed");
            }
            if (data.length <= WRITE_SLICE) {
                ByteBuffer frame = ByteBuffer.wrap(FrameCodec.encode(data)); // one system call, usually
                while (true) {
                    channel.write(frame);
                    if (!frame.hasRemaining()) {
                        break;
                    }
                    waiter = awaitWritable(waiter);
                }
            } else {
                ByteBuffer h = ByteBuffer.wrap(FrameCodec.header(data.length));
                ByteBuffer[] pair = {h, null};
                int off = 0;
                while (h.hasRemaining() || off < data.length) {
                    ByteBuffer slice = ByteBuffer.wrap(data, off, Math.min(WRITE_SLICE, data.length - off));
                    pair[1] = slice;
                    channel.write(pair);
                    off = slice.position();
                    if (h.hasRemaining() || slice.hasRemaining()) {
                        waiter = awaitWritable(waiter);
                    }
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        } finally {
            if (waiter != null) {
                waiter.release();
            }
            writeLock.unlock();
        }
    }

    /**
     * A selector borrowed for the writes of one frame, with this socket registered for OP_WRITE; or,
     * when no selector can be opened (file descriptors exhausted), none: the writer then retries
     * every millisecond.
     */
    private final class Waiter {
        final Selector selector;
        final SelectionKey key;
        boolean interrupted;

        Waiter(Selector selector) throws IOException {
            this.selector = selector;
            SelectionKey k = null;
            if (selector != null) {
                try {
                    k = channel.register(selector, SelectionKey.OP_WRITE);
                } catch (IOException | RuntimeException e) {
                    giveBack(selector);
                    throw e;
                }
            }
            this.key = k;
        }

        void release() {
            waitSelector = null;
            if (selector != null) {
                key.cancel();
                giveBack(selector);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits, in the writer's own thread, until the socket is writable or the connection closes. An
     * interrupt is remembered and restored after the frame, not acted on: a frame is never cut. The
     * wait uses a selector borrowed from a small pool for the rest of the frame, so the kernel wakes
     * the writer directly, as a blocking write would be woken.
     */
    private Waiter awaitWritable(Waiter w) throws IOException {
        if (w == null) {
            Selector sel = WAIT_SELECTORS.poll();
            if (sel != null) {
                WAIT_SELECTOR_COUNT.decrementAndGet();
            } else {
                try {
                    sel = Selector.open();
                } catch (IOException e) {
                    LOG.warn(
                            "cannot open a selector to wait for the socket to {} to drain ({}); polling instead",
                            remote,
                            e.toString());
                }
            }
            w = new Waiter(sel);
            waitSelector = sel;
        }
        if (w.selector == null) {
            LockSupport.parkNanos(1_000_000);
            w.interrupted |= Thread.interrupted();
        } else {
            while (!closed) {
                if (w.selector.select() > 0) {
                    w.selector.selectedKeys().clear();
                    break;
                }
                w.interrupted |= Thread.interrupted(); // select returns at once while the flag is set
            }
        }
        if (closed) {
            throw new IOException("connection to " + remote + " closed while writing");
        }
        return w;
    }

    /** Returns a wait selector to the pool, its keys deregistered (or closes it if the pool is full). */
    private static void giveBack(Selector sel) {
        try {
            sel.selectNow();
            sel.selectedKeys().clear();
        } catch (IOException e) {
            closeQuietly(sel);
            return;
        }
        if (WAIT_SELECTOR_COUNT.incrementAndGet() <= MAX_WAIT_SELECTORS) {
            WAIT_SELECTORS.add(sel);
        } else {
            WAIT_SELECTOR_COUNT.decrementAndGet();
            closeQuietly(sel);
        }
    }

    private static void closeQuietly(Selector sel) {
        try {
            sel.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    /**
     * Queues a small control frame and writes what the socket takes now; the loop writes the rest.
     * Never blocks. {@code drained}, if not null, runs (on the loop) once everything queued is
     * written, if that did not happen at once.
     *
     * @return true if everything queued is written
     */
    synchronized boolean writeControl(byte[] data, Runnable drained) {
        if (closed) {
            return false;
        }
        byte[] frame = FrameCodec.encode(data);
        if (control == null) {
            control = ByteBuffer.wrap(frame);
        } else {
            ByteBuffer more = ByteBuffer.allocate(control.remaining() + frame.length);
            more.put(control).put(frame).flip();
            control = more;
        }
        if (drained != null) {
            controlDrained = drained;
        }
        return flushControl();
    }

    /** Whether control bytes are still waiting for the socket. */
    synchronized boolean controlPending() {
        return control != null;
    }

    /** Closes once the queued control bytes are written (at once if there are none). */
    synchronized void closeAfterControl() {
        if (control == null) {
            close();
        } else {
            closeWhenDrained = true;
        }
    }

    private synchronized boolean flushControl() {
        if (control == null) {
            return true;
        }
        try {
            channel.write(control);
        } catch (IOException e) {
            control = null;
            close();
            return false;
        }
        if (control.hasRemaining()) {
            onLoop(() -> interest(SelectionKey.OP_WRITE, true));
            return false;
        }
        control = null;
        if (closeWhenDrained) {
            close();
        }
        return true;
    }

    /** Offers the kept frames again and, once they are all taken, reads on. Callable from any thread. */
    void resume() {
        loop.execute(this::drainHeld);
    }

    private void drainHeld() {
        while (!held.isEmpty()) {
            if (!receiver.onFrame(this, held.peekFirst())) {
                return;
            }
            held.pollFirst();
        }
        if (end != null) {
            reportEnd();
        } else if (paused) {
            paused = false;
            interest(SelectionKey.OP_READ, true);
        }
    }

    /** Whether {@link #close()} was called or the connection failed. */
    public boolean isClosed() {
        return closed;
    }

    /** The peer's address, for messages. */
    public SocketAddress remoteAddress() {
        return remote;
    }

    /**
     * Closes the socket (the peer reads the end after what was written), wakes a parked writer
     * with an {@link IOException}, and reports the end to the receiver. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
        wakeWriter();
        onLoop(() -> finish(new End(Ending.CLOSED, null, false)));
    }

    private void wakeWriter() {
        Selector sel = waitSelector;
        if (sel != null) {
            sel.wakeup();
        }
    }

    @Override
    public String toString() {
        return "FramedConnection[" + remote + (closed ? ", closed]" : "]");
    }

    // ---- on the loop ----

    private void onLoop(Runnable r) {
        if (loop.inLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
    }

    private void interest(int op, boolean on) {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        try {
            if (on) {
                k.interestOpsOr(op);
            } else {
                k.interestOpsAnd(~op);
            }
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed meanwhile; close() reports the end
        }
    }

    private void ready(SelectionKey k) {
        int ops = k.readyOps();
        if ((ops & SelectionKey.OP_WRITE) != 0) {
            interest(SelectionKey.OP_WRITE, false);
            Runnable drained = null;
            synchronized (this) {
                if (control != null && flushControl()) {
                    drained = controlDrained;
                    controlDrained = null;
                }
            }
            if (drained != null) {
                drained.run();
            }
        }
        if ((ops & SelectionKey.OP_READ) != 0 && k.isValid()) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = loop.readBuffer;
        for (int chunk = 0; chunk < CHUNKS_PER_TURN && held.isEmpty() && end == null; chunk++) {
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (IOException e) {
                finish(new End(closed ? Ending.CLOSED : Ending.FAILED, e.toString(), assembler.midFrame()));
                return;
            }
            if (n < 0) {
                eof();
                return;
            }
            if (n == 0) {
                return;
            }
            buf.flip();
            parse(buf);
            if (n < buf.capacity()) {
                break; // the socket had no more for now
            }
        }
        if (!held.isEmpty() && !paused && end == null) {
            paused = true;
            interest(SelectionKey.OP_READ, false);
        }
    }

    private void parse(ByteBuffer buf) {
        try {
            assembler.feed(buf, p -> {
                deliver(p);
                return end == null && !closed; // the receiver may have closed the connection
            });
        } catch (TransportException e) {
            finish(new End(Ending.CORRUPT, "bad length prefix: " + e.getMessage() + "; connection closed", true));
        }
    }

    private void deliver(byte[] p) {
        if (held.isEmpty() && receiver.onFrame(this, p)) {
            return;
        }
        held.addLast(p);
    }

    private void eof() {
        String cut = assembler.truncation();
        if (cut == null) {
            finish(new End(Ending.CLEAN, null, false));
        } else {
            finish(new End(Ending.CORRUPT, cut + "; the partial message was discarded", true));
        }
    }

    /** Records the end (the first one wins), stops reading, closes, and reports once the kept frames are taken. */
    private void finish(End e) {
        if (end != null) {
            return;
        }
        end = e;
        assembler.discard();
        if (!closed) {
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
            wakeWriter();
        }
        if (held.isEmpty()) {
            reportEnd();
        }
    }

    private void reportEnd() {
        Receiver r = receiver;
        if (endReported || r == null) {
            return; // a connection closed before start() reports its end when it starts
        }
        endReported = true;
        r.onEnd(this, end);
    }
}
