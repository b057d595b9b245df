package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Receiver side of directory-mode acknowledgements for one inbound connection. When the
 * application takes message {@code n} from this connection, the count {@code n + 1} becomes due;
 * it is sent back as an 8-byte little-endian frame at once after {@link #EVERY} messages, otherwise
 * within {@link #DELAY_MS} ms, and on {@link #flush()} at close. An acknowledgement therefore means
 * "handed to the receiving application", not merely "reached its socket".
 */
final class AckChannel {

    /** Acknowledge at once when this many messages are unacknowledged. */
    static final int EVERY = 64;
    /** Otherwise acknowledge within this delay. */
    static final long DELAY_MS = 20;

    private final FramedConnection connection;
    private final ScheduledExecutorService timer;
    private long delivered;
    private long acked;
    private boolean scheduled;

    AckChannel(FramedConnection connection, ScheduledExecutorService timer) {
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
            if (!now && !scheduled) {
                scheduled = true;
                try {
                    timer.schedule(this::flush, DELAY_MS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException e) {
                    scheduled = false; // closing: close() flushes
                }
            }
        }
        if (now) {
            flush();
        }
    }

    /** Sends the current count if it was not sent yet. Never throws: a dead connection simply stays unacknowledged. */
    void flush() {
        long value;
        synchronized (this) {
            scheduled = false;
            if (delivered == acked) {
                return;
            }
            value = delivered;
            acked = value;
        }
        try {
            connection.writeFrame(encode(value));
        } catch (IOException e) {
            // The sender will report these messages as unconfirmed, which is the truth.
        }
    }
}
