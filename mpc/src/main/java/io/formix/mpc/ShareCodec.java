package io.formix.mpc;

import io.formix.mpc.MpcException.MalformedEncodingException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact binary encodings, all little-endian.
 *
 * <pre>
 * vector       := n:int32 element:int32{n}                         (4 + 4n bytes; Z/2^32)
 * long vector  := n:int32 element:int64{n}                         (4 + 8n bytes; Z/2^64)
 * vector share := 'F' 'X' 'S' ring:u8 party:int32 length:int32 k:u8 component{k}
 * component    := kind:u8 index:int32 ( kind=0: element{length} | kind=1: seed:u8{32} )
 * </pre>
 *
 * <p>The {@code ring} byte of a share says its ring and so the width of its elements: {@code 0x01}
 * (version 1, the original encoding) for Z/2^32 with {@code int32} elements, {@code 0x40} (64) for
 * Z/2^64 with {@code int64} elements. Lengths count elements of the share's ring, never bytes.
 *
 * <p>Decoders take the largest vector length the caller accepts, check every length against it and
 * against the bytes actually present <em>before</em> allocating, and reject trailing bytes: anything
 * else is a {@link MalformedEncodingException}. A 3-party compressed share of a 1M-element vector
 * costs 4 000 018 bytes (8 000 018 over Z/2^64) for the full component's holder and 50 bytes for each
 * seed holder. Stateless and thread-safe.
 */
public final class ShareCodec {

    /** Default largest vector length: 2^24 elements, a 64 MiB payload, the file transport's default. */
    public static final int DEFAULT_MAX_LENGTH = 1 << 24;

    private static final byte[] MAGIC = {'F', 'X', 'S', 1};
    /** The ring byte of a share over Z/2^64, in place of {@code MAGIC[3]}. */
    private static final byte RING_64 = 0x40;

    private static final int MAGIC_BYTES = 4;
    private static final byte KIND_VALUES = 0;
    private static final byte KIND_SEED = 1;
    private static final int MAX_COMPONENTS = 64;

    private ShareCodec() {}

    // ---------------------------------------------------------------- int[]

    /** Encodes a vector (or a party's scalar values) as {@code n} then the elements. */
    public static byte[] encodeVector(int[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(v.length);
        putInts(b, v);
        return b.array();
    }

    /**
     * Decodes exactly one vector occupying all of {@code bytes}.
     *
     * @throws MalformedEncodingException if truncated, longer than {@code maxLength}, or followed by bytes
     */
    public static int[] decodeVector(byte[] bytes, int maxLength) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] v = decodeVector(b, maxLength);
        requireEnd(b, "vector");
        return v;
    }

    /**
     * Decodes one vector from {@code buffer}'s position, leaving the position after it. On failure
     * the position is unspecified.
     *
     * @throws MalformedEncodingException if truncated or longer than {@code maxLength}
     */
    public static int[] decodeVector(ByteBuffer buffer, int maxLength) {
        ByteBuffer b = buffer.order() == ByteOrder.LITTLE_ENDIAN
                ? buffer
                : buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        int n = readLength(b, maxLength, "vector");
        int[] v = readInts(b, n, "vector");
        if (b != buffer) {
            buffer.position(buffer.position() + b.position());
        }
        return v;
    }

    // ---------------------------------------------------------------- long[]

    /** Encodes a vector of Z/2^64 as {@code n} then the elements as {@code int64}s. */
    public static byte[] encodeVector(long[] v) {
        long size = 4 + 8L * v.length;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("vector of " + v.length + " longs does not fit one byte array");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(v.length);
        putLongs(b, v);
        return b.array();
    }

    /**
     * Decodes exactly one vector of Z/2^64 ({@link #encodeVector(long[])}) occupying all of {@code bytes}.
     *
     * @throws MalformedEncodingException if truncated, longer than {@code maxLength} elements, or followed
     *     by bytes
     */
    public static long[] decodeLongVector(byte[] bytes, int maxLength) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int n = readLength(b, maxLength, "long vector");
        long[] v = readLongs(b, n, "long vector");
        requireEnd(b, "long vector");
        return v;
    }

    // ---------------------------------------------------------------- VectorShare

    /**
     * Encodes a share for the wire, in its ring ({@link VectorShare#ringBits()}: {@code int32} or
     * {@code int64} elements, said by the header); seeded components cost 37 bytes whatever the length.
     */
    public static byte[] encode(VectorShare share) {
        int elementBytes = share.ringBits() / 8;
        long size = MAGIC.length + 4 + 4 + 1;
        for (ShareComponent c : share.components()) {
            size += 1 + 4 + (c instanceof SeededComponent ? AesCtrPrg.SEED_BYTES : (long) elementBytes * c.length());
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("share of " + size + " bytes does not fit one byte array");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC, 0, 3).put(share.ringBits() == 64 ? RING_64 : MAGIC[3]);
        b.putInt(share.party()).putInt(share.length()).put((byte)
                share.components().size());
        for (ShareComponent c : share.components()) {
            if (c instanceof SeededComponent s) {
                b.put(KIND_SEED).putInt(s.index()).put(s.seedBytes());
            } else {
                ExplicitComponent e = (ExplicitComponent) c;
                b.put(KIND_VALUES).putInt(e.index());
                if (elementBytes == 8) {
                    putLongs(b, e.longValues());
                } else {
                    putInts(b, e.values());
                }
            }
        }
        return b.array();
    }

    /**
     * Bytes before the elements in the encoding of a share made of one full component: the share header
     * (magic, party, length, component count) and the component header (kind, index).
     */
    public static final int SINGLE_COMPONENT_HEADER_BYTES = MAGIC_BYTES + 4 + 4 + 1 + 1 + 4;

    /**
     * Writes, at the start of {@code message}, the header of a share of party {@code party} made of the
     * single full component {@code componentIndex} of {@code length} elements, whose elements follow at
     * {@link #SINGLE_COMPONENT_HEADER_BYTES} — where {@link VectorSharer#shareInto(int[], byte[][], int)}
     * and {@link VectorSharer#shareCompressedInto(int[], byte[][], byte[], int)} put them with that offset.
     * The result is exactly {@link #encode} of that share when {@code message} has
     * {@code SINGLE_COMPONENT_HEADER_BYTES + 4 * length} bytes. That covers every party's message in
     * additive sharing and the last party's in additive compressed sharing; replicated parties hold two
     * components, so their messages are not single-component shares.
     *
     * @throws IllegalArgumentException if {@code party} or {@code componentIndex} is negative or above the
     *     encoding's bounds, {@code length} is negative or above {@link VectorShare#MAX_LENGTH}, or
     *     {@code message} is not exactly that size
     * @throws NullPointerException if {@code message} is null
     */
    public static void writeSingleComponentHeader(byte[] message, int party, int length, int componentIndex) {
        if (party < 0
                || length < 0
                || length > VectorShare.MAX_LENGTH
                || componentIndex < 0
                || componentIndex >= MAX_COMPONENTS) {
            throw new IllegalArgumentException("party " + party + ", length " + length + ", component "
                    + componentIndex + ": party must be >= 0, length in 0.." + VectorShare.MAX_LENGTH
                    + ", the component in 0.." + (MAX_COMPONENTS - 1));
        }
        long size = SINGLE_COMPONENT_HEADER_BYTES + 4L * length;
        if (message.length != size) {
            throw new IllegalArgumentException("a share of one " + length + "-element component is " + size
                    + " bytes, the array has " + message.length);
        }
        ByteBuffer.wrap(message)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC)
                .putInt(party)
                .putInt(length)
                .put((byte) 1)
                .put(KIND_VALUES)
                .putInt(componentIndex);
    }

    /**
     * Decodes one share occupying all of {@code bytes}, over the ring its header says (Z/2^32 or
     * Z/2^64: see {@link VectorShare#ringBits()}); {@code maxLength} counts elements of that ring.
     *
     * @throws MalformedEncodingException on a wrong header, unknown kind, bad counts or indices,
     *     truncation, a length above {@code maxLength}, or trailing bytes
     */
    public static VectorShare decodeShare(byte[] bytes, int maxLength) {
        return decodeShareOfRing(bytes, maxLength, 0);
    }

    /**
     * As {@link #decodeShare(byte[], int)}, accepting only a share over Z/2^{@code ringBits} (32 or 64,
     * the ring of the scheme the caller expects): a share of the other ring is refused from its header,
     * before anything is allocated.
     *
     * @throws MalformedEncodingException as {@link #decodeShare(byte[], int)}, or if the share is over the
     *     other ring
     * @throws IllegalArgumentException if {@code ringBits} is neither 32 nor 64
     */
    public static VectorShare decodeShare(byte[] bytes, int maxLength, int ringBits) {
        return decodeShareOfRing(bytes, maxLength, Rings.check(ringBits));
    }

    /** {@code ringBits} 0: either ring. */
    private static VectorShare decodeShareOfRing(byte[] bytes, int maxLength, int expectedRing) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (int i = 0; i < 3; i++) {
                if (b.get() != MAGIC[i]) {
                    throw new MalformedEncodingException("not a vector share (bad header)");
                }
            }
            byte ringByte = b.get();
            int ring = ringByte == MAGIC[3] ? 32 : ringByte == RING_64 ? 64 : 0;
            if (ring == 0) {
                throw new MalformedEncodingException("not a vector share over Z/2^32 or Z/2^64 (bad header)");
            }
            if (expectedRing != 0 && ring != expectedRing) {
                throw new MalformedEncodingException("a share over " + Rings.name(ring) + " where one over "
                        + Rings.name(expectedRing) + " is expected");
            }
            int party = b.getInt();
            if (party < 0) {
                throw new MalformedEncodingException("negative party " + party);
            }
            int length = readLength(b, maxLength, "share");
            int k = Byte.toUnsignedInt(b.get());
            if (k < 1 || k > MAX_COMPONENTS) {
                throw new MalformedEncodingException("share with " + k + " components, expected 1.." + MAX_COMPONENTS);
            }
            List<ShareComponent> components = new ArrayList<>(k);
            boolean[] seen = new boolean[MAX_COMPONENTS];
            for (int i = 0; i < k; i++) {
                byte kind = b.get();
                int index = b.getInt();
                if (index < 0 || index >= MAX_COMPONENTS || seen[index]) {
                    throw new MalformedEncodingException("bad or repeated component index " + index);
                }
                seen[index] = true;
                if (kind == KIND_VALUES) {
                    components.add(
                            ring == 32
                                    ? ExplicitComponent.wrap(index, readInts(b, length, "component " + index))
                                    : ExplicitComponent.wrap(index, readLongs(b, length, "component " + index)));
                } else if (kind == KIND_SEED) {
                    byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
                    b.get(seed);
                    components.add(new SeededComponent(index, length, seed, ring));
                } else {
                    throw new MalformedEncodingException("unknown component kind " + kind);
                }
            }
            requireEnd(b, "share");
            return new VectorShare(party, length, components);
        } catch (BufferUnderflowException e) {
            throw new MalformedEncodingException("truncated share (" + bytes.length + " bytes)", e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static int readLength(ByteBuffer b, int maxLength, String what) {
        if (b.remaining() < 4) {
            throw new MalformedEncodingException("truncated " + what + ": no length");
        }
        int n = b.getInt();
        if (n < 0 || n > maxLength) {
            throw new MalformedEncodingException(
                    what + " length " + Integer.toUnsignedString(n) + " is outside 0.." + maxLength);
        }
        return n;
    }

    private static int[] readInts(ByteBuffer b, int n, String what) {
        if (b.remaining() / 4 < n) {
            throw new MalformedEncodingException(
                    "truncated " + what + ": " + n + " elements announced, " + b.remaining() + " bytes left");
        }
        int[] v = new int[n];
        b.asIntBuffer().get(v);
        b.position(b.position() + 4 * n);
        return v;
    }

    private static long[] readLongs(ByteBuffer b, int n, String what) {
        if (b.remaining() / 8 < n) {
            throw new MalformedEncodingException(
                    "truncated " + what + ": " + n + " elements announced, " + b.remaining() + " bytes left");
        }
        long[] v = new long[n];
        b.asLongBuffer().get(v);
        b.position(b.position() + 8 * n);
        return v;
    }

    private static void putLongs(ByteBuffer b, long[] v) {
        b.asLongBuffer().put(v);
        b.position(b.position() + 8 * v.length);
    }

    private static void putInts(ByteBuffer b, int[] v) {
        b.asIntBuffer().put(v);
        b.position(b.position() + 4 * v.length);
    }

    private static void requireEnd(ByteBuffer b, String what) {
        if (b.hasRemaining()) {
            throw new MalformedEncodingException(b.remaining() + " trailing bytes after the " + what);
        }
    }
}
