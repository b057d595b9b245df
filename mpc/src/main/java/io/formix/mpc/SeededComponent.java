package io.formix.mpc;

import java.util.Arrays;

/**
 * A component compressed to the 32-byte seed it expands from, the AES-256-CTR key stream keyed with
 * the seed, counter block starting at 16 zero bytes ({@code docs/mpc.md} pins it with known answers).
 * Over Z/2^32 element j is the little-endian {@code int32} at key-stream bytes {@code [4j, 4j+4)}; over
 * Z/2^64 it is the little-endian {@code int64} at bytes {@code [8j, 8j+8)} (two consecutive 32-bit
 * elements, the first one the low half). Immutable.
 */
public final class SeededComponent implements ShareComponent {

    /** Length of a seed in bytes. */
    public static final int SEED_BYTES = 32;

    private final int index;
    private final int length;
    private final byte[] seed;
    private final int ringBits;

    /**
     * A Z/2^32 component; copies {@code seed}.
     *
     * @throws IllegalArgumentException if the index is negative, the length outside
     *     0..{@link VectorShare#MAX_LENGTH} or the seed not {@value #SEED_BYTES} bytes
     */
    public SeededComponent(int index, int length, byte[] seed) {
        this(index, length, seed, 32);
    }

    /**
     * A component over Z/2^{@code ringBits} ({@code ringBits} 32 or 64) of {@code length} elements of
     * that ring; copies {@code seed}.
     *
     * @throws IllegalArgumentException if the index is negative, the length outside
     *     0..{@link VectorShare#MAX_LENGTH}, the seed not {@value #SEED_BYTES} bytes or {@code ringBits}
     *     neither 32 nor 64
     */
    public SeededComponent(int index, int length, byte[] seed, int ringBits) {
        Rings.check(ringBits);
        if (index < 0) {
            throw new IllegalArgumentException("component index must be >= 0, got " + index);
        }
        if (length < 0 || length > VectorShare.MAX_LENGTH) {
            throw new IllegalArgumentException("length must be in 0.." + VectorShare.MAX_LENGTH + ", got " + length);
        }
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a seed is " + SEED_BYTES + " bytes, got " + seed.length);
        }
        this.index = index;
        this.length = length;
        this.seed = seed.clone();
        this.ringBits = ringBits;
    }

    /** The seed. Fresh copy: it is secret, handle it like the share it stands for. */
    public byte[] seed() {
        return seed.clone();
    }

    /** The backing seed: read it, never modify it. */
    byte[] seedBytes() {
        return seed;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public int ringBits() {
        return ringBits;
    }

    @Override
    public int[] toArray() {
        Rings.require(ringBits, 32, toString());
        return AesCtrPrg.expand(seed, length);
    }

    @Override
    public void addTo(int[] sum) {
        Rings.require(ringBits, 32, toString());
        if (sum.length != length) {
            throw new IllegalArgumentException("sum has " + sum.length + " elements, component " + length);
        }
        AesCtrPrg.addTo(seed, sum);
    }

    @Override
    public long[] toLongArray() {
        Rings.require(ringBits, 64, toString());
        return AesCtrPrg.expandLongs(seed, length);
    }

    @Override
    public void addTo(long[] sum) {
        Rings.require(ringBits, 64, toString());
        if (sum.length != length) {
            throw new IllegalArgumentException("sum has " + sum.length + " elements, component " + length);
        }
        AesCtrPrg.addTo(seed, sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeededComponent other
                && other.index == index
                && other.length == length
                && other.ringBits == ringBits
                && Arrays.equals(other.seed, seed);
    }

    @Override
    public int hashCode() {
        int h = (31 * index + length) * 31 + Arrays.hashCode(seed);
        return ringBits == 32 ? h : 31 * h + 1;
    }

    @Override
    public String toString() {
        return "SeededComponent[index=" + index + ", length=" + length + (ringBits == 32 ? "" : ", ring=Z/2^64") + "]";
    }
}
