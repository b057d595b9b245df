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
 * vector       := n:int32 element:int32{n}                         (4 + 4n bytes)
 * vector share := 'F' 'X' 'S' version=1:u8 party:int32 length:int32 k:u8 component{k}
 * component    := kind:u8 index:int32 ( kind=0: element:int32{length} | kind=1: seed:u8{32} )
 * </pre>
 *
 * <p>Decoders take the largest vector length the caller accepts, check every length against it and
 * against the bytes actually present <em>before</em> allocating, and reject trailing bytes: anything
 * else is a {@link MalformedEncodingException}. A 3-party compressed share of a 1M-element vector
 * costs 4 000 018 bytes for the full component's holder and 50 bytes for each seed holder.
 * Stateless and thread-safe.
 */
public final class ShareCodec {

    /** Default largest vector length: 2^24 elements, a 64 MiB payload, the file transport's default. */
    public static final int DEFAULT_MAX_LENGTH = 1 << 24;

    private static final byte[] MAGIC = {'F', 'X', 'S', 1};
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

    // ---------------------------------------------------------------- VectorShare

    /** Encodes a share for the wire; seeded components cost 37 bytes whatever the length. */
    public static byte[] encode(VectorShare share) {
        long size = MAGIC.length + 4 + 4 + 1;
        for (ShareComponent c : share.components()) {
            size += 1 + 4 + (c instanceof SeededComponent ? AesCtrPrg.SEED_BYTES : 4L * c.length());
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("share of " + size + " bytes does not fit one byte array");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(share.party()).putInt(share.length()).put((byte)
                share.components().size());
        for (ShareComponent c : share.components()) {
            if (c instanceof SeededComponent s) {
                b.put(KIND_SEED).putInt(s.index()).put(s.seedBytes());
            } else {
                ExplicitComponent e = (ExplicitComponent) c;
                b.put(KIND_VALUES).putInt(e.index());
                putInts(b, e.values());
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
     * Decodes one share occupying all of {@code bytes}.
     *
     * @throws MalformedEncodingException on a wrong header, unknown kind, bad counts or indices,
     *     truncation, a length above {@code maxLength}, or trailing bytes
     */
    public static VectorShare decodeShare(byte[] bytes, int maxLength) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (byte m : MAGIC) {
                if (b.get() != m) {
                    throw new MalformedEncodingException("not a version-1 vector share (bad header)");
                }
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
                    components.add(ExplicitComponent.wrap(index, readInts(b, length, "component " + index)));
                } else if (kind == KIND_SEED) {
                    byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
                    b.get(seed);
                    components.add(new SeededComponent(index, length, seed));
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
