package io.formix.mpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link AesCtrPrg} expansion of one seed, consumed sequentially in chunks of at most
 * {@link #CHUNK_INTS} elements. Each {@link #next(int)} fills {@link #chunk()} with the next elements,
 * so callers combine them with plain {@code int[]} loops the JIT vectorises. Not thread-safe.
 */
final class KeyStream {

    /** Elements per chunk: 32 KiB of key stream, large enough to amortise a cipher call, small enough for L1/L2. */
    static final int CHUNK_INTS = 8192;

    private static final int CHUNK_BYTES = CHUNK_INTS * Integer.BYTES;
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];

    private final Cipher cipher;
    private final byte[] bytes = new byte[CHUNK_BYTES];
    private final IntBuffer bytesAsInts = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    private final int[] ints = new int[CHUNK_INTS];
    private final int[] scratch = new int[CHUNK_INTS];

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
            throw new IllegalArgumentException("a seed is " + AesCtrPrg.SEED_BYTES + " bytes, got "
                    + (seed == null ? "null" : seed.length));
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK must provide AES/CTR/NoPadding with 256-bit keys", e);
        }
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

    private void nextBytes(int count) {
        try {
            int n = cipher.update(ZEROS, 0, count * Integer.BYTES, bytes, 0);
            if (n != count * Integer.BYTES) {
                throw new IllegalStateException("AES/CTR returned " + n + " bytes, expected " + count * 4);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR key stream failed", e);
        }
    }

    /*
     * The combining loops below index every array with the same i: C2 then vectorises them (it
     * cannot when a chunk buffer at 0 meets a destination at off, as they might alias). So the
     * destination slice is copied into a scratch chunk, combined there and copied back; the copies
     * are memcpy-fast and stay in L1/L2.
     */

    /** {@code dst[off .. off+count) += next count elements}. */
    void add(int[] dst, int off, int count) {
        int[] k = next(count);
        int[] t = scratch;
        System.arraycopy(dst, off, t, 0, count);
        for (int i = 0; i < count; i++) {
            t[i] += k[i];
        }
        System.arraycopy(t, 0, dst, off, count);
    }

    /** {@code dst[off .. off+count) -= next count elements}. */
    void subtract(int[] dst, int off, int count) {
        int[] k = next(count);
        int[] t = scratch;
        System.arraycopy(dst, off, t, 0, count);
        for (int i = 0; i < count; i++) {
            t[i] -= k[i];
        }
        System.arraycopy(t, 0, dst, off, count);
    }
}
