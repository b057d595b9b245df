package io.formix.transport.tcp;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues the frames of one inbound connection from one peer into the {@link Inbox}, numbering its
 * messages 0, 1, 2 ... (per connection). Runs on the transport's {@link IoLoop}. A reader of the
 * peer's newer connection takes nothing until this one ended, so what the peer sent before a
 * reconnect is queued before what it sent after; after {@link #PREVIOUS_GRACE_MS} the older
 * connection is closed.
 *
 * <p>The end of the stream between two frames is a clean close. The end inside a frame, a
 * negative length or one above the bound close the connection and queue a
 * {@link CorruptMessageException} for the receiver, so the loss is never silent; a failure (a
 * reset) is logged, and reported like a cut frame when it happened inside one. Either way the
 * transport stays usable and the peer may connect again.
 */
final class Reader implements FramedConnection.Receiver {

    private static final Logger LOG = LoggerFactory.getLogger(Reader.class);
    /** How long a new connection's reader lets the previous one drain before closing it. */
    private static final long PREVIOUS_GRACE_MS = 2_000;

    private final TcpTransport owner;
    private final Link link;
    private final FramedConnection connection;
    private final AckChannel ack;
    private final Runnable onEnd;
    private final Runnable resume;
    // loop thread only
    private long sequence;
    private boolean waiting;
    private FramedConnection.End endWhileWaiting;
    private boolean ended;
    private final List<Reader> successors = new ArrayList<>(1);

    /** @param ack where to acknowledge taken messages, or null (pairwise mode: plain frames only) */
    Reader(TcpTransport owner, Link link, FramedConnection connection, AckChannel ack, Runnable onEnd) {
        this.owner = owner;
        this.link = link;
        this.connection = connection;
        this.ack = ack;
        this.onEnd = onEnd;
        this.resume = connection::resume;
    }

    /** Becomes the peer's newest reader; waits for the previous one if it still runs. On the loop. */
    void begin() {
        owner.inbox().readers(1);
        Reader previous = link.swapReader(this);
        if (previous != null && !previous.ended) {
            waiting = true;
            previous.successors.add(this);
            owner.loop().schedule(TimeUnit.MILLISECONDS.toNanos(PREVIOUS_GRACE_MS), () -> {
                if (!previous.ended) {
                    LOG.info(
                            "{}: {} reconnected while its previous connection was still open; closing the old one",
                            owner.self(),
                            link.peer);
                    previous.connection.close();
                }
            });
        }
    }

    @Override
    public boolean onFrame(FramedConnection c, byte[] payload) {
        if (waiting) {
            return false; // released by the previous reader's end
        }
        if (!owner.inbox().offer(new Message(link.peer, sequence, payload), ack, resume)) {
            return false; // the inbox calls resume when the receiver took something
        }
        sequence++;
        return true;
    }

    @Override
    public void onEnd(FramedConnection c, FramedConnection.End end) {
        if (waiting) {
            endWhileWaiting = end;
            return;
        }
        ended = true;
        try {
            report(end);
        } finally {
            owner.inbox().readers(-1);
            owner.untrack(connection);
            link.readerEnded(this);
            onEnd.run();
            for (Reader next : successors) {
                next.release();
            }
            successors.clear();
        }
    }

    private void release() {
        waiting = false;
        if (endWhileWaiting != null) {
            onEnd(connection, endWhileWaiting);
        } else {
            connection.resume();
        }
    }

    private void report(FramedConnection.End end) {
        if (owner.isClosed()) {
            return;
        }
        switch (end.ending()) {
            case CLEAN ->
                LOG.debug("{}: {} closed its connection ({})", owner.self(), link.peer, connection.remoteAddress());
            case CORRUPT -> corrupt(end.detail());
            case FAILED -> {
                LOG.warn(
                        "{}: connection from {} ({}) failed: {}; messages in flight may be lost",
                        owner.self(),
                        link.peer,
                        connection.remoteAddress(),
                        end.detail());
                if (end.insideFrame()) {
                    owner.inbox()
                            .putError(
                                    link.peer,
                                    new CorruptMessageException(
                                            link.peer,
                                            sequence,
                                            "connection failed inside a frame (" + end.detail()
                                                    + "); the partial message was discarded"));
                }
            }
            case CLOSED -> {
                // closed here: by the transport, or as an older connection of a reconnected peer
            }
        }
    }

    private void corrupt(String reason) {
        LOG.warn(
                "{}: corrupt stream from {} ({}) at message {}: {}",
                owner.self(),
                link.peer,
                connection.remoteAddress(),
                sequence,
                reason);
        owner.inbox().putError(link.peer, new CorruptMessageException(link.peer, sequence, reason));
    }
}
