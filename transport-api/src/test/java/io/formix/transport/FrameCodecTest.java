package io.formix.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void headerIsLittleEndian() {
        byte[] h = FrameCodec.header(0x0102030405060708L);
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, h);
        assertEquals(0x0102030405060708L, FrameCodec.getLength(h, 0));
        assertEquals(-1L, FrameCodec.getLength(FrameCodec.header(-1), 0));
    }

    @Test
    void encodeThenReadRoundTrips() throws Exception {
        byte[] payload = {1, 2, 3, (byte) 0xff};
        byte[] frame = FrameCodec.encode(payload);
        assertEquals(12, frame.length);
        assertArrayEquals(new byte[] {4, 0, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(frame, 8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec.write(out, payload);
        FrameCodec.write(out, new byte[0]);
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        assertArrayEquals(payload, FrameCodec.read(in, 10));
        assertArrayEquals(new byte[0], FrameCodec.read(in, 10));
        assertNull(FrameCodec.read(in, 10), "clean end of stream");
    }

    @Test
    void rejectsNegativeAndOversizedLengthsBeforeAllocating() {
        InputStream negative = new ByteArrayInputStream(FrameCodec.header(-5));
        assertThrows(BadFrameException.class, () -> FrameCodec.read(negative, 100));
        // A length of 2^62 would be an OutOfMemoryError if it were allocated.
        InputStream huge = new ByteArrayInputStream(FrameCodec.header(1L << 62));
        MessageTooLargeException e = assertThrows(MessageTooLargeException.class, () -> FrameCodec.read(huge, 100));
        assertEquals(1L << 62, e.length());
        assertEquals(100, e.max());
    }

    @Test
    void truncatedFramesAreEofErrors() {
        assertThrows(EOFException.class, () -> FrameCodec.read(new ByteArrayInputStream(new byte[] {1, 0, 0}), 10));
        byte[] partial = java.util.Arrays.copyOf(FrameCodec.encode(new byte[] {1, 2, 3}), 10);
        assertThrows(EOFException.class, () -> FrameCodec.read(new ByteArrayInputStream(partial), 10));
    }

    @Test
    void aHeaderAnnouncingTheMaximumThenEofDoesNotAllocateIt() {
        byte[] stalled = java.util.Arrays.copyOf(FrameCodec.header(FrameCodec.DEFAULT_MAX_MESSAGE_BYTES), 8 + 10);
        BufferWatchingStream in = new BufferWatchingStream(stalled, 4);
        EOFException e =
                assertThrows(EOFException.class, () -> FrameCodec.read(in, FrameCodec.DEFAULT_MAX_MESSAGE_BYTES));
        assertTrue(e.getMessage().contains("10 of " + FrameCodec.DEFAULT_MAX_MESSAGE_BYTES), e.getMessage());
        assertTrue(
                in.largestBuffer <= FrameCodec.INITIAL_READ_BYTES,
                "allocated " + in.largestBuffer + " bytes for a peer that sent 10");
    }

    @Test
    void theBufferGrowsOnlyAsBytesArrive() {
        int sent = 100 * 1024;
        byte[] stalled = java.util.Arrays.copyOf(FrameCodec.header(FrameCodec.DEFAULT_MAX_MESSAGE_BYTES), 8 + sent);
        BufferWatchingStream in = new BufferWatchingStream(stalled, 1000);
        assertThrows(EOFException.class, () -> FrameCodec.read(in, FrameCodec.DEFAULT_MAX_MESSAGE_BYTES));
        assertTrue(in.largestBuffer <= 2 * sent, "allocated " + in.largestBuffer + " bytes for " + sent + " received");
    }

    @Test
    void growingReadsReturnExactlyThePayload() throws Exception {
        for (int size : new int[] {
            FrameCodec.INITIAL_READ_BYTES - 1,
            FrameCodec.INITIAL_READ_BYTES,
            FrameCodec.INITIAL_READ_BYTES + 1,
            3 * FrameCodec.INITIAL_READ_BYTES + 17
        }) {
            byte[] payload = new byte[size];
            new java.util.Random(size).nextBytes(payload);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            FrameCodec.write(out, payload);
            FrameCodec.write(out, new byte[] {42});
            BufferWatchingStream in = new BufferWatchingStream(out.toByteArray(), 7_000);
            byte[] read = FrameCodec.read(in, size);
            assertEquals(size, read.length);
            assertArrayEquals(payload, read);
            assertArrayEquals(new byte[] {42}, FrameCodec.read(in, size), "the next frame starts where it should");
            assertNull(FrameCodec.read(in, size));
        }
    }

    /** Serves {@code data} at most {@code chunk} bytes per read and records the largest buffer it was asked to fill. */
    private static final class BufferWatchingStream extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int pos;
        int largestBuffer;

        BufferWatchingStream(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            largestBuffer = Math.max(largestBuffer, b.length);
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
