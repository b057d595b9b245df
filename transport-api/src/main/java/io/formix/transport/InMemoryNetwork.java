package io.formix.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A set of parties in one JVM, connected by bounded in-memory queues. Open one
 * {@link InMemoryTransport} per party with {@link #open(PartyId)}. Mailboxes live in the network,
 * so a party may close and reopen its endpoint without losing queued messages (as long as the JVM
 * lives). For tests, examples and single-process simulations.
 */
public final class InMemoryNetwork {

    /** Default number of undelivered messages per direction before {@code send} blocks. */
    public static final int DEFAULT_CHANNEL_CAPACITY = 65_536;

    private final int maxMessageBytes;
    private final int channelCapacity;
    private final Map<PartyId, Mailbox> mailboxes = new HashMap<>();
    private final Map<PartyId, InMemoryTransport> open = new HashMap<>();

    public InMemoryNetwork() {
        this(FrameCodec.DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_CHANNEL_CAPACITY);
    }

    public InMemoryNetwork(int maxMessageBytes, int channelCapacity) {
        if (maxMessageBytes < 0 || channelCapacity < 1) {
            throw new IllegalArgumentException("maxMessageBytes >= 0 and channelCapacity >= 1 required");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.channelCapacity = channelCapacity;
    }

    /**
     * Opens the endpoint of {@code self}.
     *
     * @throws ChannelLockedException if an endpoint for {@code self} is already open
     */
    public synchronized InMemoryTransport open(PartyId self) throws ChannelLockedException {
        if (open.containsKey(self)) {
            throw new ChannelLockedException("party " + self + " is already open in this in-memory network");
        }
        InMemoryTransport t = new InMemoryTransport(this, self, mailbox(self));
        open.put(self, t);
        return t;
    }

    int maxMessageBytes() {
        return maxMessageBytes;
    }

    synchronized Mailbox mailbox(PartyId party) {
        return mailboxes.computeIfAbsent(party, p -> new Mailbox(channelCapacity));
    }

    synchronized void closed(InMemoryTransport t) {
        open.remove(t.self(), t);
    }

    /** The inbound queues of one party: one FIFO per sender, one lock. */
    static final class Mailbox {
        private final int capacity;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private final Map<PartyId, ArrayDeque<byte[]>> bySender = new HashMap<>();
        private final Map<PartyId, Long> nextSequence = new HashMap<>();
        private final List<PartyId> senders = new ArrayList<>();
        private int rotation;
        private int epoch;

        Mailbox(int capacity) {
            this.capacity = capacity;
        }

        void put(PartyId from, byte[] payload, InMemoryTransport sender)
                throws InterruptedException, TransportClosedException {
            lock.lockInterruptibly();
            try {
                ArrayDeque<byte[]> q = bySender.computeIfAbsent(from, f -> {
                    senders.add(f);
                    return new ArrayDeque<>();
                });
                while (q.size() >= capacity) {
                    sender.checkOpen();
                    changed.await(50, TimeUnit.MILLISECONDS);
                }
                q.addLast(payload);
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        Optional<Message> take(PartyId from, long timeoutNanos, InMemoryTransport receiver)
                throws InterruptedException, TransportClosedException {
            long deadline = System.nanoTime() + timeoutNanos;
            lock.lockInterruptibly();
            try {
                while (true) {
                    receiver.checkOpen();
                    Message m = from != null ? poll(from) : pollAny();
                    if (m != null) {
                        changed.signalAll();
                        return Optional.of(m);
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

        void wakeAll() {
            lock.lock();
            try {
                epoch++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        private Message poll(PartyId from) {
            ArrayDeque<byte[]> q = bySender.get(from);
            if (q == null || q.isEmpty()) {
                return null;
            }
            long seq = nextSequence.merge(from, 1L, Long::sum) - 1;
            return new Message(from, seq, q.pollFirst());
        }

        private Message pollAny() {
            int n = senders.size();
            for (int i = 0; i < n; i++) {
                PartyId candidate = senders.get((rotation + i) % n);
                Message m = poll(candidate);
                if (m != null) {
                    rotation = (rotation + i + 1) % n;
                    return m;
                }
            }
            return null;
        }
    }
}
