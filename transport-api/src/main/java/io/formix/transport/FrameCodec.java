package io.formix.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * The length-prefixed frame shared by the file channel, TCP and the proxy: an 8-byte
 * <b>little-endian</b> signed length {@code L}, then exactly {@code L} payload bytes.
 *
 * <p>The length is checked against a caller-supplied bound <em>before</em> any payload buffer is
 * allocated: a negative length is a {@link BadFrameException}, one above the bound a
 * {@link MessageTooLargeException}. Even an accepted length is not trusted with memory:
 * {@link #read} allocates at most {@link #INITIAL_READ_BYTES} up front and grows the buffer (by
 * doubling) only as payload bytes actually arrive, so a peer that announces a large frame and then
 * stalls or disconnects pins at most about twice what it really sent. Nothing here keeps state; all
 * methods are thread-safe.
 */
public final class FrameCodec {

    /** Bytes in the length prefix. */
    public static final int HEADER_BYTES = 8;

    /** Default maximum payload: 64 MiB, as in DESIGN.md. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    /** The most {@link #read} allocates for a payload before any of its bytes arrived: 64 KiB. */
    public static final int INITIAL_READ_BYTES = 64 * 1024;

    private FrameCodec() {}

    /** Writes {@code length} as 8 little-endian bytes into {@code dst} at {@code offset}. */
    public static void putLength(long length, byte[] dst, int offset) {
        for (int i = 0; i < HEADER_BYTES; i++) {
            dst[offset + i] = (byte) (length >>> (8 * i));
        }
    }

    /** Reads an 8-byte little-endian length from {@code src} at {@code offset}. */
    public static long getLength(byte[] src, int offset) {
        long v = 0;
        for (int i = HEADER_BYTES - 1; i >= 0; i--) {
            v = (v << 8) | (src[offset + i] & 0xffL);
        }
        return v;
    }

    /** Returns the 8-byte header for a payload of {@code length} bytes. */
    public static byte[] header(long length) {
        byte[] h = new byte[HEADER_BYTES];
        putLength(length, h, 0);
        return h;
    }

    /** Returns header and payload in one new array. */
    public static byte[] encode(byte[] payload) {
        byte[] frame = new byte[HEADER_BYTES + payload.length];
        putLength(payload.length, frame, 0);
        System.arraycopy(payload, 0, frame, HEADER_BYTES, payload.length);
        return frame;
    }

    /**
     * Validates a decoded length against {@code maxPayload}.
     *
     * @return {@code length} as an int, safe to allocate
     * @throws BadFrameException if negative
     * @throws MessageTooLargeException if above {@code maxPayload}
     */
    public static int checkLength(long length, int maxPayload) throws TransportException {
        if (length < 0) {
            throw new BadFrameException("negative frame length " + length);
        }
        if (length > maxPayload) {
            throw new MessageTooLargeException(length, maxPayload);
        }
        return (int) length;
    }

    /** Writes one frame (header, then payload) to {@code out}. Does not flush. */
    public static void write(OutputStream out, byte[] payload) throws IOException {
        out.write(header(payload.length));
        out.write(payload);
    }

    /**
     * Reads one frame from {@code in}.
     *
     * <p>The payload buffer starts at {@code min(length, INITIAL_READ_BYTES)} and doubles only
     * once it is full of received bytes; the array returned has exactly {@code length} bytes.
     *
     * @return the payload, or {@code null} if the stream ended cleanly before a header began
     * @throws EOFException if the stream ends inside a frame
     * @throws BadFrameException if the length is negative
     * @throws MessageTooLargeException if the length exceeds {@code maxPayload}; nothing allocated
     */
    public static byte[] read(InputStream in, int maxPayload) throws IOException {
        byte[] h = new byte[HEADER_BYTES];
        int n = in.readNBytes(h, 0, HEADER_BYTES);
        if (n == 0) {
            return null;
        }
        if (n < HEADER_BYTES) {
            throw new EOFException("stream ended inside a frame header (" + n + " of 8 bytes)");
        }
        int length = checkLength(getLength(h, 0), maxPayload);
        byte[] payload = new byte[Math.min(length, INITIAL_READ_BYTES)];
        int got = 0;
        while (true) {
            got += in.readNBytes(payload, got, payload.length - got);
            if (got == length) {
                return payload;
            }
            if (got < payload.length) {
                throw new EOFException("stream ended inside a frame (" + got + " of " + length + " bytes)");
            }
            payload = Arrays.copyOf(payload, (int) Math.min(length, 2L * payload.length));
        }
    }
}
