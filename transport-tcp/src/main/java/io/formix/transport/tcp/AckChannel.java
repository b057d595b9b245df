package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import java.util.concurrent.TimeUnit;

/**
 * Receiver side of directory-mode acknowledgements for one inbound connection. When the
 * application takes message {@code n} from this connection, the count {@code n + 1} becomes due;
 * it is sent back as an 8-byte little-endian frame at once after {@link #EVERY} messages, otherwise
 * within {@link #DELAY_MS} ms (a timer of the I/O loop), and on {@link #flush()} at close. An
 * acknowledgement therefore means "handed to the receiving application", not merely "reached its
 * socket". Writing one never blocks: if the socket does not take it at once (a sender that does not
 * read its acknowledgements), the loop finishes it and the newest count follows, so at most one
 * acknowledgement is ever waiting.
 */
final class AckChannel {

    /** Acknowledge at once when this many messages are unacknowledged. */
    static final int EVERY = 64;
    /** Otherwise acknowledge within this delay. */
    static final long DELAY_MS = 20;

    private final FramedConnection connection;
    private final IoLoop timer;
    private long delivered;
    private long acked;
    private boolean scheduled;
    private boolean closed;

    AckChannel(FramedConnection connection, IoLoop timer) {
        this.connection = connection;
        this.timer = timer;
    }

    /** Encodes a cumulative count as an acknowledgement frame payload. */
    static byte[] encode(long count) {
        return FrameCodec.header(count);
    }

    /** Decodes an acknowledgement payload, or returns -1 if it is not one. */
    static long decode(byte[] payload) {
        if (payload.length != FrameCodec.HEADER_BYTES) {
            return -1;
        }
        long v = FrameCodec.getLength(payload, 0);
        return v < 0 ? -1 : v;
    }

    /** The application took the message with this per-connection sequence number. */
    void delivered(long sequence) {
        boolean now;
        synchronized (this) {
            if (sequence + 1 <= delivered) {
                return;
            }
            delivered = sequence + 1;
            now = delivered - acked >= EVERY;
            if (!now && !scheduled && !closed) {
                scheduled = true; // one timer at a time per connection, however many flushes meanwhile
                timer.schedule(TimeUnit.MILLISECONDS.toNanos(DELAY_MS), this::timerFlush);
            }
        }
        if (now) {
            flush();
        }
    }

    private void timerFlush() {
        synchronized (this) {
            scheduled = false;
        }
        flush();
    }

    /**
     * Sends the current count if it was not sent yet. Never blocks or throws: a dead connection
     * simply stays unacknowledged (the sender reports those messages as unconfirmed, the truth).
     */
    void flush() {
        long value;
        synchronized (this) {
            if (delivered == acked || connection.controlPending()) {
                return; // nothing new, or the previous one is still going out: it flushes again when done
            }
            value = delivered;
            acked = value;
        }
        connection.writeControl(encode(value), this::flush);
    }

    /** Flushes what is due and stops scheduling (the transport is closing). */
    void close() {
        synchronized (this) {
            closed = true;
        }
        flush();
    }
}
