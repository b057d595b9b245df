package io.formix.transport.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One selector thread that does the socket I/O of many {@link TcpTransport}s: it accepts, finishes
 * non-blocking connects, reads every connection into one shared 128 KiB buffer, wakes senders
 * waiting for a socket to become writable, and runs short timers (hello timeouts, acknowledgement
 * delays, redial backoff). The loops are shared by all transports of a JVM ({@link #shared()}), so
 * a host with a thousand nodes runs a constant number of transport threads.
 *
 * <p>Everything that runs on the loop ({@link Handler#ready}, tasks, timers) must be short and
 * never block: no waiting for locks held across I/O, no blocking socket calls. A handler that
 * throws is logged and its key cancelled; the loop goes on.
 *
 * <p>How many loops: {@code -Dformix.tcp.ioThreads=N} (default 1); a transport is assigned to
 * one of them when it opens and keeps it.
 */
final class IoLoop {

    /** Reacts to the readiness of one registered channel; runs on the loop. */
    interface Handler {
        void ready(SelectionKey key) throws IOException;

        /** The handler threw: clean up (the key is already cancelled). */
        default void failed(Throwable t) {}
    }

    /** A scheduled task; {@link #cancel()} prevents it from running if it has not yet. */
    static final class Timer implements Comparable<Timer> {
        private final long due;
        private final long order;
        private final Runnable task;
        private volatile boolean cancelled;

        private Timer(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due - o.due, 0);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(IoLoop.class);
    /** Bytes read from one socket in one system call. */
    static final int READ_CHUNK = 128 * 1024;

    private static final IoLoop[] SHARED = new IoLoop[Math.max(1, Integer.getInteger("formix.tcp.ioThreads", 1))];
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerOrder;
    /** The one buffer every read on this loop goes through (only the loop thread touches it). */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_CHUNK);

    private IoLoop(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(null, this::run, name, 512 * 1024);
        thread.setDaemon(true);
        thread.start();
    }

    /** One of the JVM's shared loops (started on first use; they run as daemon threads for the life of the JVM). */
    static IoLoop shared() {
        int i = Math.floorMod(NEXT.getAndIncrement(), SHARED.length);
        synchronized (SHARED) {
            if (SHARED[i] == null) {
                try {
                    SHARED[i] = new IoLoop("formix-tcp-io-" + i);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open a selector: " + e.getMessage(), e);
                }
            }
            return SHARED[i];
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop, after the tasks queued before it. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    /** Runs {@code task} on the loop after {@code delayNanos}. Callable from any thread. */
    Timer schedule(long delayNanos, Runnable task) {
        Timer t = new Timer(System.nanoTime() + Math.max(0, delayNanos), 0, task);
        execute(() -> timers.add(new Timer(t.due, timerOrder++, () -> {
            if (!t.cancelled) {
                task.run();
            }
        })));
        return t;
    }

    /** Registers {@code channel} for {@code ops} with {@code handler}; must run on the loop. */
    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        return channel.register(selector, ops, handler);
    }

    /**
     * Runs {@code task} on the loop and waits for it (bounded by {@code timeoutMs}); runs it
     * directly when called on the loop.
     */
    void runAndWait(Runnable task, long timeoutMs) {
        if (inLoop()) {
            task.run();
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        execute(() -> {
            try {
                task.run();
            } finally {
                done.countDown();
            }
        });
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes a listening channel so that its port is free when this returns: a channel registered
     * with a selector keeps its socket until the selector has processed the cancelled key, which
     * the {@code selectNow} on the loop does.
     */
    void closeListening(SelectableChannel channel) {
        runAndWait(
                () -> {
                    try {
                        channel.close();
                        selector.selectNow(this::dispatch);
                    } catch (IOException e) {
                        LOG.debug("closing a listening channel: {}", e.toString());
                    }
                },
                2_000);
    }

    private void run() {
        while (true) {
            try {
                runTasks();
                long waitMs = runTimers();
                if (!tasks.isEmpty()) {
                    selector.selectNow(this::dispatch);
                } else {
                    selector.select(this::dispatch, waitMs);
                }
            } catch (Throwable t) {
                LOG.error("TCP I/O loop: unexpected error, continuing: {}", t.toString(), t);
            }
        }
    }

    private void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("TCP I/O loop: a task failed: {}", e.toString(), e);
            }
        }
    }

    /** Runs due timers; returns how long select may wait (0 = no timer, wait for I/O or a task). */
    private long runTimers() {
        while (true) {
            Timer t = timers.peek();
            if (t == null) {
                return 0;
            }
            long left = t.due - System.nanoTime();
            if (left > 0) {
                return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999));
            }
            timers.poll();
            try {
                t.task.run();
            } catch (RuntimeException e) {
                LOG.error("TCP I/O loop: a timer failed: {}", e.toString(), e);
            }
            runTasks();
        }
    }

    private void dispatch(SelectionKey key) {
        Handler h = (Handler) key.attachment();
        if (h == null || !key.isValid()) {
            return;
        }
        try {
            h.ready(key);
        } catch (java.nio.channels.CancelledKeyException e) {
            // closed by another thread meanwhile; its close reports the end
        } catch (Throwable t) {
            key.cancel();
            if (!(t instanceof IOException)) {
                LOG.error("TCP I/O loop: a handler failed: {}", t.toString(), t);
            }
            h.failed(t);
        }
    }
}
