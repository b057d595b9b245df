package io.formix.mpc;

/**
 * Shares vectors into arrays the caller supplies and reuses, so that sharing many vectors allocates
 * nothing per vector: for a 1M-element vector, the allocating {@link SharingScheme#share(int[])} and
 * {@link SharingScheme#shareCompressed(int[])} spend a third or more of their time obtaining fresh
 * 4 MB arrays from the JVM. Obtain one from {@link SharingScheme#vectorSharer()}.
 *
 * <p>Writes <em>components</em>, not party messages: party {@code p} receives the components
 * {@link SharingScheme#componentsHeldBy(int) scheme().componentsHeldBy(p)}. The results are exactly
 * what the allocating methods would produce from the same randomness: component {@code c < m-1} is the
 * {@link SeededComponent} expansion of a fresh seed from the scheme's {@link java.security.SecureRandom}
 * (drawn in component order, {@value SeededComponent#SEED_BYTES} bytes each), and the last component
 * {@code m-1} is the secret minus all of them, mod 2^32.
 *
 * <p>Ownership: the sharer keeps no reference to any argument after a call returns. The output for the
 * last component may be the {@code secret} array itself (sharing in place); no other output may, and
 * outputs must be distinct arrays. Arguments are checked before anything is drawn or written, so a
 * refused call changes nothing.
 *
 * <p>Z/2^32 only: a scheme over Z/2^64 has no vector sharer ({@link SharingScheme#vectorSharer()} throws
 * {@link IllegalStateException}); share {@code long[]} vectors with {@link SharingScheme#share(long[])}
 * and {@link SharingScheme#shareCompressed(long[])}.
 *
 * <p>Not thread-safe: it holds cipher state and chunk buffers (about 100 KiB per random component);
 * use one per thread.
 */
public interface VectorSharer {

    /** The scheme whose components this sharer writes. */
    SharingScheme scheme();

    /**
     * Shares {@code secret} with every component at full size: {@code components[c][j]} becomes
     * element {@code j} of component {@code c}.
     *
     * @param components {@link SharingScheme#componentCount()} distinct arrays, each of
     *     {@code secret.length} elements; overwritten. Only the last may be {@code secret} itself
     * @throws IllegalArgumentException if the arrays do not have these shapes, or {@code secret} is
     *     longer than {@link VectorShare#MAX_LENGTH}
     */
    void shareInto(int[] secret, int[][] components);

    /**
     * Shares {@code secret} with seed compression: {@code seeds[c]} receives the seed component
     * {@code c} expands from (as in {@link SeededComponent}), for every {@code c < m-1}, and {@code last}
     * receives the last component, the only one that travels at full size.
     *
     * @param seeds {@link SharingScheme#componentCount()}{@code  - 1} distinct arrays of
     *     {@value SeededComponent#SEED_BYTES} bytes; overwritten with secret seeds the caller must guard
     * @param last {@code secret.length} elements; overwritten (may be {@code secret} itself)
     * @throws IllegalArgumentException if the arrays do not have these shapes, or {@code secret} is
     *     longer than {@link VectorShare#MAX_LENGTH}
     */
    void shareCompressedInto(int[] secret, byte[][] seeds, int[] last);

    /**
     * As {@link #shareInto(int[], int[][])}, but every component is written in the element layout of the
     * binary encodings: element {@code j} of component {@code c} is the little-endian {@code int32} at
     * bytes {@code [offset + 4j, offset + 4j + 4)} of {@code components[c]} — the body of a full component
     * in {@link ShareCodec}'s share encoding, so that a node can write the message header in front (see
     * {@link ShareCodec#writeSingleComponentHeader}) and send the array as it is. Bytes outside that range
     * are left untouched. The random components are written by the cipher directly; with the SIMD kernel
     * this, plus the encoding pass it saves, makes it the fastest way to produce full-size shares for
     * sending (see {@code docs/mpc.md}).
     *
     * @param components {@link SharingScheme#componentCount()} distinct arrays of at least
     *     {@code offset + 4 * secret.length} bytes
     * @param offset the byte index of element 0 in every array, {@code >= 0}
     * @throws IllegalArgumentException if the arrays do not have these shapes, {@code offset < 0}, or
     *     {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     * @throws NullPointerException if {@code secret} or {@code components} is null
     */
    void shareInto(int[] secret, byte[][] components, int offset);

    /**
     * As {@link #shareCompressedInto(int[], byte[][], int[])}, with the last component written in the
     * element layout of the binary encodings at {@code offset} of {@code last}, as in
     * {@link #shareInto(int[], byte[][], int)}: bytes of {@code last} outside
     * {@code [offset, offset + 4 * secret.length)} are left untouched.
     *
     * @param last at least {@code offset + 4 * secret.length} bytes; a different array from every seed array
     * @param offset the byte index of element 0 in {@code last}, {@code >= 0}
     * @throws IllegalArgumentException if the arrays do not have these shapes, {@code offset < 0}, or
     *     {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     * @throws NullPointerException if {@code secret} or {@code seeds} is null
     */
    void shareCompressedInto(int[] secret, byte[][] seeds, byte[] last, int offset);
}
