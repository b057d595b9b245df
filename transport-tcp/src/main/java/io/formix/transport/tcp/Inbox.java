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
 * A queue entry is either a {@link Message} or a {@link TransportException} that the next
 * {@code receive} from that sender throws (a corrupt or truncated frame). Readers block in
 * {@link #put} while their sender's queue is full, which stops them reading the socket so TCP
 * flow control pushes back on the sender.
 */
final class Inbox {

    private final String owner;
    private final long bytesPerPeer;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<PartyId, Queue> bySender = new HashMap<>();
    private final List<PartyId> senders = new ArrayList<>();
    private int rotation;
    private boolean closed;

    Inbox(String owner, long bytesPerPeer) {
        this.owner = owner;
        this.bytesPerPeer = bytesPerPeer;
    }

    /** Queues a message, blocking while the sender's queue is full. */
    void put(Message m) throws InterruptedException, TransportClosedException {
        lock.lockInterruptibly();
        try {
            Queue q = queue(m.from());
            while (!q.entries.isEmpty() && q.bytes + m.payload().length > bytesPerPeer) {
                checkOpen();
                changed.await();
            }
            checkOpen();
            q.entries.addLast(m);
            q.bytes += m.payload().length;
            changed.signalAll();
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
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes the next entry from {@code from}, or from any sender in turn if {@code from} is null. */
    Optional<Message> take(PartyId from, long timeoutNanos) throws TransportException, InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        lock.lockInterruptibly();
        try {
            while (true) {
                checkOpen();
                Object e = from != null ? poll(bySender.get(from)) : pollAny();
                if (e != null) {
                    changed.signalAll();
                    if (e instanceof TransportException error) {
                        throw error;
                    }
                    return Optional.of((Message) e);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter with {@link TransportClosedException}; later calls throw it too. */
    void close() {
        lock.lock();
        try {
            closed = true;
            bySender.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
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
        if (e instanceof Message m) {
            q.bytes -= m.payload().length;
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
        long bytes;
    }
}
