package io.formix.proxy;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the links of one proxy take inbound messages from the shared transport, so that no
 * message taken from a channel is lost when the proxy dies before writing it to its application.
 *
 * <p>A transport acknowledges (deletes) the messages it returned when the next receive starts, on
 * any channel (that is how {@code FileTransport} behaves). With several links, one link's receive
 * would thus acknowledge another link's message while it is still being written to the socket. So
 * every receive happens under one fair lock, in slices of at most {@link #slice}, and a message
 * is copied to the {@link Spool} before the lock is released: by the time anything can
 * acknowledge it, it is safe on disk. With a single link no other receive can acknowledge its
 * message early, and nothing is copied.
 *
 * <p>After a restart the copy is the link's first message ({@link #recovered}); if the transport
 * delivers that message again (it was not acknowledged before the crash), {@link #take} drops it
 * by its sequence number.
 */
final class InboundGate {
    private static final Logger LOG = LoggerFactory.getLogger(InboundGate.class);

    private final Transport transport;
    private final Spool spool;
    private final boolean copyEachMessage;
    private final Duration slice;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<PartyId, Long> recoveredSequence = new ConcurrentHashMap<>();
    private final Map<PartyId, Boolean> hasCopy = new ConcurrentHashMap<>();

    /**
     * @param spool where copies go, or {@code null} for none (non-durable transports, tests)
     * @param links how many links share the transport
     * @param poll the longest single wait
     */
    InboundGate(Transport transport, Spool spool, int links, Duration poll) {
        this.transport = transport;
        this.spool = spool;
        this.copyEachMessage = spool != null && links > 1;
        this.slice = links > 1 ? min(poll, Duration.ofMillis(5)) : poll;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The message a previous run had taken for {@code peer} but not written, to be written first. */
    Optional<Message> recovered(PartyId peer) throws IOException {
        if (spool == null) {
            return Optional.empty();
        }
        Optional<Message> m = spool.load(peer);
        m.ifPresent(x -> {
            recoveredSequence.put(peer, x.sequence());
            hasCopy.put(peer, true);
            LOG.info("message {} from party {} was taken but not written by the previous run; writing it first",
                    x.sequence(), peer);
        });
        return m;
    }

    /**
     * Takes the next message from {@code peer}, waiting at most one slice.
     *
     * @return the message (already copied when several links share the transport), or empty
     */
    Optional<Message> take(PartyId peer) throws IOException, InterruptedException {
        lock.lockInterruptibly();
        try {
            Optional<Message> m = transport.receive(peer, slice);
            if (m.isEmpty()) {
                return m;
            }
            Long old = recoveredSequence.get(peer);
            if (old != null && m.get().sequence() <= old) {
                LOG.debug("dropping message {} from party {}: already written from the in-hand copy",
                        m.get().sequence(), peer);
                return Optional.empty();
            }
            if (copyEachMessage) {
                spool.save(m.get());
                hasCopy.put(peer, true);
            }
            return m;
        } finally {
            lock.unlock();
        }
    }

    /** The message was written whole to the application: its copy, if any, goes. */
    void written(Message m) throws IOException {
        if (hasCopy.remove(m.from()) != null) {
            spool.clear(m.from());
        }
    }

    /**
     * At shutdown: makes sure an unwritten message survives the acknowledgement that closing the
     * transport performs. Returns false if there is nowhere to keep it.
     */
    boolean keep(Message m) throws IOException {
        if (spool == null) {
            return false;
        }
        if (hasCopy.get(m.from()) == null) {
            spool.save(m);
            hasCopy.put(m.from(), true);
        }
        return true;
    }
}
