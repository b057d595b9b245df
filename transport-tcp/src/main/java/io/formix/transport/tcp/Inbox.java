package io.formix.transport.tcp;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.TransportClosedException;
import io.formix.transport.TransportException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Received messages waiting for {@code receive}: one FIFO per sender, bounded in bytes, one lock.
 * A queue entry is either a {@link Message} (with where to acknowledge it) or a {@link TransportException} that the next
 * {@code receive} from that sender throws (a corrupt or truncated frame). {@link #offer} refuses a
 * message while its sender's queue is full; the connection then stops reading its socket until
 * the receiver takes from that sender, so TCP flow control pushes back on the sender.
 */
final class Inbox {

    private final String owner;
    private final long bytesPerPeer;
    /** Fair, so a reader waiting to queue a message is not overtaken by receivers and other readers in tight loops. */
    private final ReentrantLock lock = new ReentrantLock(true);

    private final Condition changed = lock.newCondition();
    private final Map<PartyId, Queue> bySender = new HashMap<>();
    private final List<PartyId> senders = new ArrayList<>();
    /** How long {@link #take} watches for an arrival before it parks. */
    static final long SPIN_NANOS = 50_000;

    private int rotation;
    /** The queue the last successful poll took from (under the lock). */
    private Queue lastPolled;

    private PartyId lastAny;
    /** Bumped on every change a taker may wait for; read without the lock while spinning. */
    private volatile long arrivals;

    private boolean closed;
    /** Inbound connections being read; see {@link #take}. */
    private final java.util.concurrent.atomic.AtomicInteger liveReaders =
            new java.util.concurrent.atomic.AtomicInteger();

    Inbox(String owner, long bytesPerPeer) {
        this.owner = owner;
        this.bytesPerPeer = bytesPerPeer;
    }

    /** A queued message and where to report that the application took it (null: nowhere). */
    private record Entry(Message message, AckChannel ack) {}

    /**
     * Queues a message unless its sender's queue is full. Never blocks (the I/O loop calls it).
     * When the queue is full it returns false and runs {@code onRoom} after the receiver next takes
     * from that sender (or the inbox closes); the caller then offers again. When the application
     * takes the message, {@code ack} (if not null) is told its sequence number. After
     * {@link #close()} messages are dropped (true).
     */
    boolean offer(Message m, AckChannel ack, Runnable onRoom) {
        lock.lock();
        try {
            if (closed) {
                return true;
            }
            Queue q = queue(m.from());
            if (!q.entries.isEmpty() && q.bytes + m.payload().length > bytesPerPeer) {
                q.waiters.add(onRoom);
                return false;
            }
            q.entries.addLast(new Entry(m, ack));
            q.bytes += m.payload().length;
            arrivals++;
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues an error for the next receive from {@code from}; never blocks on the byte bound. */
    void putError(PartyId from, TransportException error) {
        lock.lock();
        try {
            if (!closed) {
                queue(from).entries.addLast(error);
                arrivals++;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the next entry from {@code from}, or from any sender in turn if {@code from} is null,
     * waiting until {@code deadline} ({@link System#nanoTime()}).
     * When nothing is queued it first spins (yielding) for up to {@link #SPIN_NANOS} watching for an
     * arrival, then parks: a reply that comes within a network round trip is taken without the
     * cost of parking and unparking the receiving thread.
     */
    Optional<Message> take(PartyId from, long deadline) throws TransportException, InterruptedException {
        Object e = null;
        List<Runnable> wake = null;
        boolean sameAsLast = false;
        boolean spun = false;
        while (e == null) {
            long seen = arrivals;
            long left;
            lock.lockInterruptibly();
            try {
                checkOpen();
                e = from != null ? poll(bySender.get(from)) : pollAny();
                if (e != null) {
                    changed.signalAll();
                    if (!lastPolled.waiters.isEmpty()) {
                        wake = new ArrayList<>(lastPolled.waiters);
                        lastPolled.waiters.clear();
                    }
                    if (from == null) {
                        PartyId sender = e instanceof Entry en ? en.message().from() : null;
                        sameAsLast = sender != null && sender.equals(lastAny);
                        lastAny = sender;
                    }
                    break;
                }
                left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                if (spun) {
                    changed.awaitNanos(left);
                    continue;
                }
            } finally {
                lock.unlock();
            }
            spun = true;
            long spinEnd = System.nanoTime() + Math.min(left, SPIN_NANOS);
            while (arrivals == seen && System.nanoTime() < spinEnd) {
                Thread.yield();
            }
        }
        if (wake != null) {
            wake.forEach(Runnable::run);
        }
        if (sameAsLast && liveReaders.get() > 1) {
            // One sender is being served back to back while other connections are open: let the
            // I/O loop run, so a message that already reached their socket is queued and
            // served in turn instead of waiting behind this sender's whole backlog.
            Thread.yield();
        }
        if (e instanceof TransportException error) {
            throw error;
        }
        Entry entry = (Entry) e;
        if (entry.ack() != null) {
            entry.ack().delivered(entry.message().sequence());
        }
        return Optional.of(entry.message());
    }

    /** An inbound connection started ({@code +1}) or ended ({@code -1}). */
    void readers(int delta) {
        liveReaders.addAndGet(delta);
    }

    /** Wakes every waiter with {@link TransportClosedException}; later calls throw it too. */
    void close() {
        List<Runnable> wake = new ArrayList<>();
        lock.lock();
        try {
            closed = true;
            arrivals++;
            for (Queue q : bySender.values()) {
                wake.addAll(q.waiters);
            }
            bySender.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        wake.forEach(Runnable::run); // connections waiting for room drop what they hold and end
    }

    private Queue queue(PartyId from) {
        return bySender.computeIfAbsent(from, f -> {
            senders.add(f);
            return new Queue();
        });
    }

    private Object poll(Queue q) {
        if (q == null || q.entries.isEmpty()) {
            return null;
        }
        Object e = q.entries.pollFirst();
        lastPolled = q;
        if (e instanceof Entry m) {
            q.bytes -= m.message().payload().length;
        }
        return e;
    }

    private Object pollAny() {
        int n = senders.size();
        for (int i = 0; i < n; i++) {
            Object e = poll(bySender.get(senders.get((rotation + i) % n)));
            if (e != null) {
                rotation = (rotation + i + 1) % n;
                return e;
            }
        }
        return null;
    }

    private void checkOpen() throws TransportClosedException {
        if (closed) {
            throw new TransportClosedException("TCP transport of " + owner + " is closed");
        }
    }

    private static final class Queue {
        final ArrayDeque<Object> entries = new ArrayDeque<>();
        /** What to run when the receiver takes from this queue: connections waiting for room. */
        final List<Runnable> waiters = new ArrayList<>(1);

        long bytes;
    }
}
