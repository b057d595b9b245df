package io.formix.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.BadFrameException;
import io.formix.transport.FrameCodec;
import io.formix.transport.MessageTooLargeException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frame reassembly of the I/O loop, without sockets or threads: any cut, bounded allocation, truncation. */
class FrameAssemblerTest {

    @Test
    void framesCutAnywhereReassembleByteForByte() throws Exception {
        Random random = new Random(13);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int size : new int[] {0, 1, 7, 8, 9, 64, 65_535, 65_536, 65_537, 300_000, 0, 3}) {
            byte[] p = new byte[size];
            random.nextBytes(p);
            sent.add(p);
            wire.write(FrameCodec.encode(p));
        }
        byte[] bytes = wire.toByteArray();
        for (int round = 0; round < 20; round++) {
            FrameAssembler a = new FrameAssembler(1 << 20);
            List<byte[]> got = new ArrayList<>();
            int off = 0;
            while (off < bytes.length) {
                int n = Math.min(bytes.length - off, 1 + random.nextInt(round < 10 ? 20 : 200_000));
                a.feed(ByteBuffer.wrap(bytes, off, n), p -> got.add(p));
                off += n;
            }
            assertEquals(sent.size(), got.size());
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i), "frame " + i + " in round " + round);
            }
            assertFalse(a.midFrame());
            assertNull(a.truncation());
        }
    }

    @Test
    void aLargeAnnouncedFrameAllocatesOnlyAsBytesArrive() throws Exception {
        FrameAssembler a = new FrameAssembler(64 << 20);
        a.feed(ByteBuffer.wrap(FrameCodec.header(64 << 20)), p -> true);
        assertTrue(a.bufferedCapacity() <= FrameCodec.INITIAL_READ_BYTES, "allocated " + a.bufferedCapacity());
        a.feed(ByteBuffer.wrap(new byte[200_000]), p -> true);
        assertTrue(a.bufferedCapacity() <= 2 * 200_000, "allocated " + a.bufferedCapacity() + " for 200,000 bytes");
        assertEquals("stream ended inside a frame (200000 of 67108864 bytes)", a.truncation());
        a.discard();
        assertFalse(a.midFrame());
    }

    @Test
    void lengthsAreCheckedBeforeAllocation() {
        FrameAssembler a = new FrameAssembler(100);
        assertThrows(MessageTooLargeException.class, () -> a.feed(ByteBuffer.wrap(FrameCodec.header(101)), p -> true));
        assertEquals(0, a.bufferedCapacity());
        FrameAssembler b = new FrameAssembler(100);
        assertThrows(BadFrameException.class, () -> b.feed(ByteBuffer.wrap(FrameCodec.header(-1)), p -> true));
        assertEquals(0, b.bufferedCapacity());
    }

    @Test
    void theLimitAppliesFromTheNextHeaderAndASinkCanStopTheFeed() throws Exception {
        FrameAssembler a = new FrameAssembler(160); // a hello, then messages
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(FrameCodec.encode(new byte[10]));
        wire.write(FrameCodec.encode(new byte[1000]));
        wire.write(FrameCodec.encode(new byte[5]));
        ByteBuffer buf = ByteBuffer.wrap(wire.toByteArray());
        List<Integer> sizes = new ArrayList<>();
        a.feed(buf, p -> {
            sizes.add(p.length);
            a.setLimit(1 << 20);
            return sizes.size() < 2;
        });
        assertEquals(List.of(10, 1000), sizes);
        assertEquals(FrameCodec.HEADER_BYTES + 5, buf.remaining(), "the feed stopped after the second frame");
        assertEquals("stream ended inside a frame header (3 of 8 bytes)", cutHeader());
    }

    private static String cutHeader() throws Exception {
        FrameAssembler a = new FrameAssembler(10);
        a.feed(ByteBuffer.wrap(new byte[3]), p -> true);
        assertTrue(a.midFrame());
        return a.truncation();
    }
}
