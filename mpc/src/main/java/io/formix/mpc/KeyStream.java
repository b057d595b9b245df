package io.formix.mpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link AesCtrPrg} expansion of one seed, consumed sequentially in chunks of at most
 * {@link #CHUNK_INTS} elements: as little-endian bytes in a chunk buffer ({@link #nextBytes(int)}) or
 * written by the cipher into the caller's byte array ({@link #writeBytes}), as {@code int}s in a chunk
 * buffer ({@link #next(int)}) or copied into the caller's array ({@link #write}). A
 * {@link ChunkKernel} combines the chunks with the caller's arrays. The Z/2^64 expansion is the same
 * byte stream read as little-endian {@code long}s ({@link #nextLongs(int)}, {@link #writeLongs}): a
 * {@code long} element is two consecutive {@code int} elements, the first one the low half. Not
 * thread-safe.
 */
final class KeyStream {

    /** Elements per chunk: 32 KiB of key stream, large enough to amortise a cipher call, small enough for L1/L2. */
    static final int CHUNK_INTS = 8192;

    private static final int CHUNK_BYTES = CHUNK_INTS * Integer.BYTES;
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];
    private static final byte[] DUMMY_KEY = new byte[AesCtrPrg.SEED_BYTES];

    private final Cipher cipher;
    private final byte[] bytes = new byte[CHUNK_BYTES];
    private final IntBuffer bytesAsInts =
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    private final int[] ints = new int[CHUNK_INTS];
    /** Z/2^64 chunk buffers, allocated on first use (streams of Z/2^32 never need them). */
    private LongBuffer bytesAsLongs;

    private long[] longs;

    /** Z/2^64 elements per chunk: the same 32 KiB of key stream. */
    static final int CHUNK_LONGS = CHUNK_INTS / 2;

    /** An unkeyed stream: call {@link #reseed(byte[])} before generating. */
    KeyStream() {
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK must provide AES/CTR/NoPadding", e);
        }
    }

    KeyStream(byte[] seed) {
        this();
        reseed(seed);
    }

    /**
     * Restarts this stream at element 0 of the expansion of {@code seed}, reusing the cipher and the
     * buffers. The cipher keeps its own copy of the key; the caller may wipe {@code seed} afterwards.
     */
    void reseed(byte[] seed) {
        if (seed == null || seed.length != AesCtrPrg.SEED_BYTES) {
            throw new IllegalArgumentException(
                    "a seed is " + AesCtrPrg.SEED_BYTES + " bytes, got " + (seed == null ? "null" : seed.length));
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK must provide AES/CTR/NoPadding with 256-bit keys", e);
        }
    }

    /**
     * Zeroes the chunk buffers and re-keys the cipher with an all-zero dummy key, so that nothing derived
     * from the last seed stays behind (the JDK cipher keeps its key schedule until re-keyed). The stream
     * must be {@link #reseed reseeded} before it is used again.
     */
    void wipe() {
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(ints, 0);
        if (longs != null) {
            Arrays.fill(longs, 0L);
        }
        reseed(DUMMY_KEY);
    }

    /** Generates the next {@code count <= CHUNK_INTS} elements into the chunk buffer and returns it. */
    int[] next(int count) {
        nextBytes(count);
        bytesAsInts.get(0, ints, 0, count);
        return ints;
    }

    /** {@code dst[off .. off+count) = next count elements}, {@code count <= CHUNK_INTS}. */
    void write(int[] dst, int off, int count) {
        nextBytes(count);
        bytesAsInts.get(0, dst, off, count);
    }

    /**
     * Generates the next {@code count <= CHUNK_LONGS} Z/2^64 elements (8 bytes of key stream each) into the
     * chunk buffer of {@code long}s and returns it.
     */
    long[] nextLongs(int count) {
        nextBytes(2 * count);
        if (longs == null) {
            longs = new long[CHUNK_LONGS];
            bytesAsLongs = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
        }
        bytesAsLongs.get(0, longs, 0, count);
        return longs;
    }

    /** {@code dst[off .. off+count) = next count Z/2^64 elements}, {@code count <= CHUNK_LONGS}. */
    void writeLongs(long[] dst, int off, int count) {
        nextBytes(2 * count);
        ByteBuffer.wrap(bytes, 0, 8 * count)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asLongBuffer()
                .get(dst, off, count);
    }

    /**
     * {@code dst[dstOff .. dstOff + 4*count)} = the next {@code count <= CHUNK_INTS} elements as little-endian
     * bytes, written by the cipher itself.
     */
    void writeBytes(byte[] dst, int dstOff, int count) {
        crypt(dst, dstOff, count);
    }

    /**
     * Generates the next {@code count <= CHUNK_INTS} elements as {@code 4 * count} little-endian bytes at
     * the start of the returned buffer, which is overwritten by the next call.
     */
    byte[] nextBytes(int count) {
        crypt(bytes, 0, count);
        return bytes;
    }

    private void crypt(byte[] dst, int dstOff, int count) {
        try {
            int n = cipher.update(ZEROS, 0, count * Integer.BYTES, dst, dstOff);
            if (n != count * Integer.BYTES) {
                throw new IllegalStateException("AES/CTR returned " + n + " bytes, expected " + count * 4);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR key stream failed", e);
        }
    }
}
