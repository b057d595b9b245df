package io.formix.mpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@link AesCtrPrg} expansion of one seed, consumed sequentially in chunks of at most
 * {@link #CHUNK_INTS} elements. Not thread-safe.
 */
final class KeyStream {

    /** Elements per chunk: 16 KiB of key stream, small enough to stay in L1/L2 while combined. */
    static final int CHUNK_INTS = 4096;

    private static final int CHUNK_BYTES = CHUNK_INTS * Integer.BYTES;
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];
    private static final VarHandle LE_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final Cipher cipher;
    private final byte[] buffer = new byte[CHUNK_BYTES];

    KeyStream(byte[] seed) {
        if (seed == null || seed.length != AesCtrPrg.SEED_BYTES) {
            throw new IllegalArgumentException("a seed is " + AesCtrPrg.SEED_BYTES + " bytes, got "
                    + (seed == null ? "null" : seed.length));
        }
        try {
            cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK must provide AES/CTR/NoPadding with 256-bit keys", e);
        }
    }

    private void next(int count) {
        try {
            int n = cipher.update(ZEROS, 0, count * Integer.BYTES, buffer, 0);
            if (n != count * Integer.BYTES) {
                throw new IllegalStateException("AES/CTR returned " + n + " bytes, expected " + count * 4);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR key stream failed", e);
        }
    }

    /** {@code dst[off .. off+count) = next count elements}. */
    void write(int[] dst, int off, int count) {
        next(count);
        byte[] b = buffer;
        for (int i = 0; i < count; i++) {
            dst[off + i] = (int) LE_INT.get(b, i << 2);
        }
    }

    /** {@code dst[off .. off+count) += next count elements}. */
    void add(int[] dst, int off, int count) {
        next(count);
        byte[] b = buffer;
        for (int i = 0; i < count; i++) {
            dst[off + i] += (int) LE_INT.get(b, i << 2);
        }
    }

    /** {@code dst[off .. off+count) -= next count elements}. */
    void subtract(int[] dst, int off, int count) {
        next(count);
        byte[] b = buffer;
        for (int i = 0; i < count; i++) {
            dst[off + i] -= (int) LE_INT.get(b, i << 2);
        }
    }

    /** {@code dst[off+i] = next element; minuend[off+i] -= it}, for {@code i < count}. */
    void writeSubtracting(int[] dst, int[] minuend, int off, int count) {
        next(count);
        byte[] b = buffer;
        for (int i = 0; i < count; i++) {
            int v = (int) LE_INT.get(b, i << 2);
            dst[off + i] = v;
            minuend[off + i] -= v;
        }
    }
}
