package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.formix.mpc.MpcException.MalformedEncodingException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ShareCodecTest {

    static java.util.stream.Stream<SharingScheme> schemes() {
        return Schemes.all();
    }

    @Test
    void vectorIsLengthThenLittleEndianInt32s() {
        byte[] bytes = ShareCodec.encodeVector(new int[] {1, -1, 0x01020304});
        assertEquals(
                "03000000" + "01000000" + "ffffffff" + "04030201",
                HexFormat.of().formatHex(bytes));
        assertArrayEquals(new int[] {1, -1, 0x01020304}, ShareCodec.decodeVector(bytes, 3));
        assertArrayEquals(new int[0], ShareCodec.decodeVector(ShareCodec.encodeVector(new int[0]), 0));
    }

    @Test
    void vectorsDecodeFromAnyByteBufferAndLeaveThePositionAfterThem() {
        int[] v = new Random(1).ints(1000).toArray();
        byte[] one = ShareCodec.encodeVector(v);
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            ByteBuffer b = ByteBuffer.allocate(3 + 2 * one.length).order(order);
            b.put(new byte[3]).put(one).put(one).flip().position(3);
            assertArrayEquals(v, ShareCodec.decodeVector(b, 1000));
            assertEquals(3 + one.length, b.position());
            assertArrayEquals(v, ShareCodec.decodeVector(b, 1000));
            assertEquals(0, b.remaining());
        }
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void sharesRoundTripAndStillReconstruct(SharingScheme scheme) {
        int[] secret = new Random(2).ints(5000).toArray();
        for (VectorShare[] shares : List.of(scheme.share(secret), scheme.shareCompressed(secret))) {
            List<VectorShare> decoded = new ArrayList<>();
            for (VectorShare s : shares) {
                VectorShare d = ShareCodec.decodeShare(ShareCodec.encode(s), 5000);
                assertEquals(s, d);
                decoded.add(d);
            }
            assertArrayEquals(secret, scheme.reconstruct(decoded));
        }
    }

    @Test
    void compressedMillionElementShareSizes() {
        VectorShare[] shares = SharingSchemes.additive(3).shareCompressed(new int[1_000_000]);
        assertEquals(50, ShareCodec.encode(shares[0]).length);
        assertEquals(50, ShareCodec.encode(shares[1]).length);
        assertEquals(4_000_018, ShareCodec.encode(shares[2]).length);
    }

    @Test
    void everyTruncationAndTrailingByteIsRejected() {
        SharingScheme scheme = SharingSchemes.replicated2of3();
        for (VectorShare s : scheme.shareCompressed(new int[] {1, 2, 3})) {
            byte[] full = ShareCodec.encode(s);
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(cut, 16), "prefix " + n);
            }
            byte[] longer = Arrays.copyOf(full, full.length + 1);
            assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(longer, 16));
        }
        byte[] v = ShareCodec.encodeVector(new int[] {5, 6});
        for (int n = 0; n < v.length; n++) {
            byte[] cut = Arrays.copyOf(v, n);
            assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeVector(cut, 16));
        }
        assertThrows(
                MalformedEncodingException.class, () -> ShareCodec.decodeVector(Arrays.copyOf(v, v.length + 4), 16));
    }

    @Test
    void hugeAnnouncedLengthsAreRefusedBeforeAllocation() {
        byte[] huge = le(Integer.MAX_VALUE);
        assertThrows(
                MalformedEncodingException.class, () -> ShareCodec.decodeVector(huge, ShareCodec.DEFAULT_MAX_LENGTH));
        byte[] negative = le(-1);
        assertThrows(
                MalformedEncodingException.class,
                () -> ShareCodec.decodeVector(negative, ShareCodec.DEFAULT_MAX_LENGTH));
        // within the limit, but more elements announced than bytes present
        byte[] lying = ByteBuffer.allocate(12)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1 << 24)
                .array();
        assertThrows(
                MalformedEncodingException.class, () -> ShareCodec.decodeVector(lying, ShareCodec.DEFAULT_MAX_LENGTH));
        byte[] share = header(0, Integer.MAX_VALUE, 1);
        assertThrows(
                MalformedEncodingException.class, () -> ShareCodec.decodeShare(share, ShareCodec.DEFAULT_MAX_LENGTH));
        byte[] above = ShareCodec.encode(SharingSchemes.additive(2).share(new int[17])[0]);
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(above, 16));
    }

    @Test
    void malformedHeadersAndComponentsAreRejected() {
        byte[] seedPart = new byte[1 + 4 + 32];
        seedPart[0] = 1;
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(concat(badMagic(), seedPart), 16));
        assertThrows(
                MalformedEncodingException.class, () -> ShareCodec.decodeShare(concat(header(-1, 4, 1), seedPart), 16));
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(header(0, 4, 0), 16));
        assertThrows(MalformedEncodingException.class, () -> ShareCodec.decodeShare(header(0, 4, 65), 16));
        byte[] unknownKind = seedPart.clone();
        unknownKind[0] = 7;
        assertThrows(
                MalformedEncodingException.class,
                () -> ShareCodec.decodeShare(concat(header(0, 4, 1), unknownKind), 16));
        assertThrows(
                MalformedEncodingException.class,
                () -> ShareCodec.decodeShare(concat(header(0, 4, 2), seedPart, seedPart), 16)); // index 0 twice
        byte[] badIndex = seedPart.clone();
        badIndex[4] = (byte) 0x80; // index negative
        assertThrows(
                MalformedEncodingException.class, () -> ShareCodec.decodeShare(concat(header(0, 4, 1), badIndex), 16));
        ShareCodec.decodeShare(concat(header(0, 4, 1), seedPart), 16); // the well-formed baseline
    }

    @Test
    void randomMutationsEitherDecodeOrFailTyped() {
        Random r = new Random(3);
        byte[] valid = ShareCodec.encode(SharingSchemes.replicated2of3().shareCompressed(new int[] {1, 2, 3, 4})[1]);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = valid.clone();
            for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                m[r.nextInt(m.length)] = (byte) r.nextInt(256);
            }
            try {
                ShareCodec.decodeShare(m, 64);
            } catch (MalformedEncodingException expected) {
                // typed rejection is the only acceptable failure
            }
        }
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] header(int party, int length, int k) {
        return ByteBuffer.allocate(13)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {'F', 'X', 'S', 1})
                .putInt(party)
                .putInt(length)
                .put((byte) k)
                .array();
    }

    private static byte[] badMagic() {
        byte[] h = header(0, 4, 1);
        h[3] = 2;
        return h;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b =
                ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
