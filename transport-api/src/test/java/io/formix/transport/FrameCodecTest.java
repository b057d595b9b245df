package io.formix.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
