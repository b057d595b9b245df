package io.formix.transport.seal;

import java.util.Arrays;

/**
 * The id of one Formix network: 16 random bytes, written as 32 lower-case hex digits. It is bound
 * into every signed document and every sealed message, so nothing moves from one network to
 * another. Immutable; compares by value.
 */
public final class NetworkId {

    /** Length of the id in bytes. */
    public static final int BYTES = 16;

    private final byte[] bytes;

    private NetworkId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh id from {@code SecureRandom}. */
    public static NetworkId random() {
        return new NetworkId(Bytes.random(BYTES));
    }

    /**
     * Parses 32 lower-case hex digits.
     *
     * @throws IllegalArgumentException if {@code hex} is not exactly that
     */
    public static NetworkId fromHex(String hex) {
        if (hex == null || hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("a network id is 32 lower-case hex digits");
        }
        try {
            return new NetworkId(Bytes.unhex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a network id is 32 lower-case hex digits");
        }
    }

    static NetworkId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a network id is " + BYTES + " bytes");
        }
        return new NetworkId(bytes.clone());
    }

    /** The raw 16 bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] raw() {
        return bytes;
    }

    /** The 32 hex digits. */
    public String hex() {
        return Bytes.hex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
