package io.formix.transport.tcp;

import io.formix.transport.FrameCodec;
import io.formix.transport.TransportException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reassembles frames ({@link FrameCodec}: 8-byte little-endian length, then the payload) from the
 * pieces a non-blocking socket delivers, however they are cut. No I/O and no threads: the I/O loop
 * feeds it what each read returned.
 *
 * <p>Each length is checked against the current limit before anything is allocated, and the
 * payload buffer grows only as bytes arrive, as in {@link FrameCodec#read}: it starts at
 * {@code min(length, }{@link FrameCodec#INITIAL_READ_BYTES}{@code )} and doubles only once it is
 * full, so a peer that announces a large frame and stalls pins at most about twice what it sent.
 * Not thread-safe.
 */
final class FrameAssembler {

    /** Takes each complete frame; returns false to stop consuming (the rest stays in the buffer). */
    interface Sink {
        boolean frame(byte[] payload);
    }

    private final byte[] header = new byte[FrameCodec.HEADER_BYTES];
    private int limit;
    private int headerGot;
    private byte[] payload;
    private int payloadGot;
    private int length;

    /** @param limit the largest payload accepted, until {@link #setLimit} changes it */
    FrameAssembler(int limit) {
        setLimit(limit);
    }

    /** The largest payload accepted from the next length prefix on. */
    void setLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0");
        }
        this.limit = limit;
    }

    /**
     * Consumes {@code bytes}, handing every frame it completes to {@code sink}, until the buffer is
     * empty or the sink returns false.
     *
     * @throws io.formix.transport.BadFrameException if a length prefix is negative
     * @throws io.formix.transport.MessageTooLargeException if one exceeds the limit; nothing was
     *     allocated for it, and the assembler must not be fed again
     */
    void feed(ByteBuffer bytes, Sink sink) throws TransportException {
        while (bytes.hasRemaining()) {
            if (payload == null) {
                int take = Math.min(FrameCodec.HEADER_BYTES - headerGot, bytes.remaining());
                bytes.get(header, headerGot, take);
                headerGot += take;
                if (headerGot < FrameCodec.HEADER_BYTES) {
                    return;
                }
                length = FrameCodec.checkLength(FrameCodec.getLength(header, 0), limit);
                payload = new byte[Math.min(length, FrameCodec.INITIAL_READ_BYTES)];
                payloadGot = 0;
            }
            if (payloadGot == payload.length && payloadGot < length) {
                payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
            }
            int take = Math.min(payload.length - payloadGot, bytes.remaining());
            bytes.get(payload, payloadGot, take);
            payloadGot += take;
            if (payloadGot == length) {
                byte[] done = payload;
                payload = null;
                headerGot = 0;
                if (!sink.frame(done)) {
                    return;
                }
            }
        }
    }

    /** Whether a frame has begun but is not complete. */
    boolean midFrame() {
        return headerGot > 0 || payload != null;
    }

    /**
     * What an end of the stream here would cut: null between frames, else a one-line description
     * ("stream ended inside a frame (10 of 100 bytes)").
     */
    String truncation() {
        if (payload != null) {
            return "stream ended inside a frame (" + payloadGot + " of " + length + " bytes)";
        }
        if (headerGot > 0) {
            return "stream ended inside a frame header (" + headerGot + " of 8 bytes)";
        }
        return null;
    }

    /** Bytes currently allocated for the frame being assembled (what a stalled peer pins). */
    int bufferedCapacity() {
        return payload == null ? 0 : payload.length;
    }

    /** Drops a partial frame (the connection ended). */
    void discard() {
        payload = null;
        headerGot = 0;
    }
}
