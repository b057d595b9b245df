package io.formix.node;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.Message;
import io.formix.transport.TransportClosedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The receive path of a host's light nodes: a fixed number of worker threads and one dispatcher
 * thread serve every node whose transport says when a message may have arrived ({@link
 * TransportFactory.Arrivals}), however many nodes the host runs, instead of a receiver thread per
 * node (ten thousand threads waking together, every garbage collection walking their stacks).
 *
 * <ul>
 *   <li><b>Signals.</b> The transport's arrival listener (on the shared file watcher's thread), the
 *       periodic sweep and the end of a failure wait mark a node pending and put it on the ready
 *       queue unless it is already there: a node is queued at most once, so the queue never holds
 *       more entries than nodes, and a node is never served by two threads at once.
 *   <li><b>Turns.</b> A worker takes the next ready node and, under the node's serving lock,
 *       receives without waiting ({@code receiveAny(ZERO)}) and hands each message to the node
 *       (which handles it under its own lock), at most {@link #BATCH} per turn. A node with more
 *       goes to the back of the queue: no node waits for more than one batch per node ahead of it.
 *   <li><b>No lost wake-up.</b> A turn clears the node's pending flag before its first receive, and
 *       after the turn the node queues again if the flag was set meanwhile: a signal during a turn
 *       is either seen by that turn's receives or gives the node another turn.
 *   <li><b>Back-pressure.</b> A message is read only when a worker is free: it waits in its file.
 *   <li><b>Failures.</b> A receive that fails (a folder where a message file belongs, a vanished
 *       data dir) is logged once per distinct reason and the node is not served again until its
 *       wait is over ({@link FailureBackoff}, 50 ms doubling to 5 s); then the dispatcher signals it.
 *   <li><b>Safety net.</b> Every {@code sweep} every node is signalled: one non-blocking receive
 *       each, in which the file transport runs its periodic rescan, so a message whose event was
 *       lost is still read (one cheap receive per node per sweep).
 * </ul>
 *
 * <p>Thread-safe. With {@code workers} 0 no thread is started: a test drives the turns with {@link
 * #serveNext()} and the dispatcher's work with {@link #dispatch(long)}.
 */
final class SharedReceivers implements AutoCloseable {

    /** Messages one node may take per turn before the next ready node gets a turn. */
    static final int BATCH = 16;

    /** How often the dispatcher looks for failure waits that are over, in ms. */
    private static final long RETRY_CHECK_MS = 50;

    /** Worker threads of a host unless {@code -Dformix.host.receivers=N} says otherwise. */
    static final int DEFAULT_WORKERS = 16;

    private final int workers;
    private final Clock clock;
    private final long sweepMillis;
    private final ThreadFactory threads;
    private final LinkedBlockingQueue<Member> ready = new LinkedBlockingQueue<>();
    private final Set<Member> members = ConcurrentHashMap.newKeySet();
    private final Set<Member> backingOff = ConcurrentHashMap.newKeySet();
    private final List<Thread> running = new ArrayList<>();
    private final Object wake = new Object();
    private volatile boolean closed;
    private long nextSweep = Long.MIN_VALUE;

    SharedReceivers(int workers, Clock clock, Duration sweep, ThreadFactory threads) {
        this.workers = workers;
        this.clock = clock;
        this.sweepMillis = Math.max(1, sweep.toMillis());
        this.threads = threads;
    }

    /** The number of workers configured for this process ({@code -Dformix.host.receivers}, default 16). */
    static int configuredWorkers() {
        return Math.max(1, Integer.getInteger("formix.host.receivers", DEFAULT_WORKERS));
    }

    /**
     * A receiver for {@code node}, served once {@link NodeReceiver#start() started}: {@code arrivals}
     * is told where to signal, {@code dispatch} handles one message, {@code warn} takes a log line.
     */
    Member member(Node node, TransportFactory.Arrivals arrivals, Consumer<Message> dispatch, Consumer<String> warn) {
        return new Member(node, arrivals, dispatch, warn);
    }

    /** Nodes being served now. */
    int size() {
        return members.size();
    }

    /** Marks {@code m} pending and queues it unless it is queued already. Never blocks. */
    void signal(Member m) {
        m.pending.set(true);
        queueIfPending(m);
    }

    private void queueIfPending(Member m) {
        if (m.pending.get() && !m.removed && m.queued.compareAndSet(false, true)) {
            ready.add(m); // removed meanwhile: its turn sees it and does nothing
        }
    }

    /** Serves the next ready node on the calling thread; false if none was ready (tests). */
    boolean serveNext() {
        Member m = ready.poll();
        if (m == null) {
            return false;
        }
        serve(m);
        return true;
    }

    /** One turn of {@code m} (see the class comment). */
    void serve(Member m) {
        boolean again = false;
        m.serving.lock();
        try {
            again = turn(m);
        } catch (RuntimeException e) {
            m.warn.accept("receive failed: " + e);
        } finally {
            m.serving.unlock();
            m.queued.set(false);
        }
        if (again) {
            queueIfPending(m);
        }
    }

    /** Receives and hands over up to {@link #BATCH} messages; false if the node must not queue again now. */
    private boolean turn(Member m) {
        if (m.removed || m.node.stopping) {
            return false;
        }
        long now = clock.millis();
        if (now < m.retryAt) {
            return false; // waiting out a failure: the dispatcher signals it when the wait is over
        }
        m.pending.set(false);
        for (int i = 0; i < BATCH; i++) {
            Optional<Message> msg;
            try {
                msg = m.node.transport.receiveAny(Duration.ZERO);
                m.failures.succeeded();
            } catch (TransportClosedException e) {
                return false;
            } catch (CorruptMessageException e) {
                // Moved aside by the transport, which goes on with the next message: not a repeat.
                m.warn.accept("rejected a corrupt message: " + e.getMessage());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                m.pending.set(true);
                return false;
            } catch (IOException | RuntimeException e) {
                long wait = m.failures.failed(
                        e instanceof IOException ? String.valueOf(e.getMessage()) : e.toString(), now);
                m.retryAt = now + wait;
                m.pending.set(true);
                backingOff.add(m);
                return false;
            }
            if (msg.isEmpty()) {
                return true;
            }
            m.dispatch.accept(msg.get());
            if (m.removed || m.node.stopping) {
                return false;
            }
        }
        m.pending.set(true); // a full batch: more may be waiting, after the other ready nodes
        return true;
    }

    /** The dispatcher's periodic work at {@code now}: failure waits that are over, and the sweep. */
    void dispatch(long now) {
        for (Member m : backingOff) {
            if (now >= m.retryAt && backingOff.remove(m)) {
                signal(m);
            }
        }
        if (now >= nextSweep || nextSweep - now > sweepMillis) {
            nextSweep = now + sweepMillis;
            for (Member m : members) {
                signal(m);
            }
        }
    }

    private synchronized void startThreads() {
        if (workers == 0 || closed || !running.isEmpty()) {
            return;
        }
        for (int i = 0; i < workers; i++) {
            running.add(threads.newThread(this::work));
        }
        running.add(threads.newThread(this::dispatchLoop));
        running.forEach(Thread::start);
    }

    /** A worker: never ends before {@link #close()} (a dead worker would leave the others to do its share). */
    private void work() {
        while (!closed) {
            try {
                Member m = ready.poll(100, TimeUnit.MILLISECONDS);
                if (m != null) {
                    serve(m);
                }
            } catch (InterruptedException e) {
                // never interrupted on purpose: close() ends the loop
            } catch (RuntimeException | Error e) {
                System.err.println("formix host: a shared receiver's turn failed: " + e);
            }
        }
    }

    private void dispatchLoop() {
        while (!closed) {
            dispatch(clock.millis());
            synchronized (wake) {
                if (!closed) {
                    try {
                        wake.wait(RETRY_CHECK_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Ends the threads once their turn in hand is over (never interrupted: a turn may be in the
     * middle of file I/O). The host joins every member before.
     */
    @Override
    public void close() {
        closed = true;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** One node as the shared receivers serve it. */
    final class Member implements NodeReceiver {
        final Node node;
        private final TransportFactory.Arrivals arrivals;
        private final Consumer<Message> dispatch;
        private final Consumer<String> warn;
        private final FailureBackoff failures;
        final AtomicBoolean pending = new AtomicBoolean();
        final AtomicBoolean queued = new AtomicBoolean();
        /** Held for a whole turn; {@link #join} takes it to wait for the turn in hand. */
        private final ReentrantLock serving = new ReentrantLock();

        private volatile boolean removed;
        private volatile long retryAt = Long.MIN_VALUE;

        private Member(
                Node node, TransportFactory.Arrivals arrivals, Consumer<Message> dispatch, Consumer<String> warn) {
            this.node = node;
            this.arrivals = arrivals;
            this.dispatch = dispatch;
            this.warn = warn;
            this.failures = new FailureBackoff("receive", warn);
        }

        /** Listens to the transport and takes a first turn (what arrived before the listener is read then). */
        @Override
        public void start() {
            members.add(this);
            arrivals.listen(() -> signal(this));
            startThreads();
            signal(this);
        }

        /** No turn starts after this; waits up to {@code millis} for the one in hand. */
        @Override
        public boolean join(long millis) throws InterruptedException {
            removed = true;
            members.remove(this);
            backingOff.remove(this);
            arrivals.listen(null);
            if (serving.tryLock(millis, TimeUnit.MILLISECONDS)) {
                serving.unlock();
                return true;
            }
            return false;
        }
    }
}
