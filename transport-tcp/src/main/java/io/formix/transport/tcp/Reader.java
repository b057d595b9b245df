package io.formix.transport.tcp;

import io.formix.transport.BadFrameException;
import io.formix.transport.CorruptMessageException;
import io.formix.transport.Message;
import io.formix.transport.MessageTooLargeException;
import io.formix.transport.TransportClosedException;
import java.io.EOFException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one inbound connection from one peer into the {@link Inbox}, numbering its messages
 * 0, 1, 2 ... (per connection). It first waits for the reader of the peer's previous connection,
 * so what the peer sent before a reconnect is queued before what it sent after.
 *
 * <p>The end of the stream between two frames is a clean close. The end inside a frame, a
 * negative length or one above the bound close the connection and queue a
 * {@link CorruptMessageException} for the receiver, so the loss is never silent; a reset is
 * logged. Either way the transport stays usable and the peer may connect again.
 */
final class Reader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Reader.class);
    /** How long a new connection's reader lets the previous one drain before closing it. */
    private static final long PREVIOUS_GRACE_MS = 2_000;

    private final TcpTransport owner;
    private final Link link;
    private final FramedConnection connection;
    private final AckChannel ack;
    private final Runnable onEnd;

    /** @param ack where to acknowledge taken messages, or null (pairwise mode: plain frames only) */
    Reader(TcpTransport owner, Link link, FramedConnection connection, AckChannel ack, Runnable onEnd) {
        this.owner = owner;
        this.link = link;
        this.connection = connection;
        this.ack = ack;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        long sequence = 0;
        owner.inbox().readers(1);
        try {
            awaitPrevious(link.swapReader(new Link.ReaderHandle(Thread.currentThread(), connection)));
            while (true) {
                byte[] payload = connection.readFrame();
                if (payload == null) {
                    LOG.debug("{}: {} closed its connection ({})", owner.self(), link.peer, connection.remoteAddress());
                    return;
                }
                owner.inbox().put(new Message(link.peer, sequence, payload), ack);
                sequence++;
            }
        } catch (BadFrameException | MessageTooLargeException e) {
            corrupt(sequence, "bad length prefix: " + e.getMessage() + "; connection closed");
        } catch (EOFException e) {
            corrupt(sequence, e.getMessage() + "; the partial message was discarded");
        } catch (TransportClosedException | InterruptedException e) {
            // The transport is closing.
        } catch (IOException e) {
            if (!owner.isClosed() && !connection.isClosed()) {
                LOG.warn("{}: connection from {} ({}) failed: {}; messages in flight may be lost", owner.self(),
                        link.peer, connection.remoteAddress(), e.toString());
            }
        } finally {
            owner.inbox().readers(-1);
            connection.close();
            owner.untrack(connection);
            onEnd.run();
        }
    }

    private void corrupt(long sequence, String reason) {
        if (owner.isClosed()) {
            return;
        }
        LOG.warn("{}: corrupt stream from {} ({}) at message {}: {}", owner.self(), link.peer,
                connection.remoteAddress(), sequence, reason);
        owner.inbox().putError(link.peer, new CorruptMessageException(link.peer, sequence, reason));
    }

    private void awaitPrevious(Link.ReaderHandle previous) throws InterruptedException {
        if (previous == null || previous.thread() == Thread.currentThread()) {
            return;
        }
        previous.thread().join(PREVIOUS_GRACE_MS);
        if (previous.thread().isAlive()) {
            LOG.info("{}: {} reconnected while its previous connection was still open; closing the old one",
                    owner.self(), link.peer);
            previous.connection().close();
            // Its socket is closed now; it ends as soon as a pending put into the inbox completes.
            previous.thread().join();
        }
    }
}
