package io.formix.mpc;

/**
 * One additive component of a shared vector, as a party receives it: either the values themselves
 * ({@link ExplicitComponent}) or a 32-byte seed they expand from ({@link SeededComponent}).
 * Immutable. {@code toString} never shows values or seeds.
 *
 * <p>A component lies in one ring, {@link #ringBits()}: Z/2^32 (elements are {@code int}s, read with
 * {@link #toArray()} and {@link #addTo(int[])}) or Z/2^64 (elements are {@code long}s, read with
 * {@link #toLongArray()} and {@link #addTo(long[])}). The methods of the other ring throw
 * {@link IllegalStateException} naming the ring.
 */
public sealed interface ShareComponent permits ExplicitComponent, SeededComponent {

    /** Which component of the secret this is ({@code 0 .. componentCount-1} of the scheme). */
    int index();

    /** Number of elements (of {@link #ringBits()} bits each). */
    int length();

    /** The ring of the elements: 32 for Z/2^32 ({@code int}), 64 for Z/2^64 ({@code long}). */
    int ringBits();

    /**
     * The elements of a Z/2^32 component, expanded if seeded. Fresh array owned by the caller.
     *
     * @throws IllegalStateException if the component is over Z/2^64
     */
    int[] toArray();

    /**
     * {@code sum[j] += this[j]} (mod 2^32) for every element of a Z/2^32 component, without
     * materialising a seeded component.
     *
     * @throws IllegalArgumentException if {@code sum.length != length()}
     * @throws IllegalStateException if the component is over Z/2^64
     */
    void addTo(int[] sum);

    /**
     * The elements of a Z/2^64 component, expanded if seeded. Fresh array owned by the caller.
     *
     * @throws IllegalStateException if the component is over Z/2^32
     */
    long[] toLongArray();

    /**
     * {@code sum[j] += this[j]} (mod 2^64) for every element of a Z/2^64 component, without
     * materialising a seeded component.
     *
     * @throws IllegalArgumentException if {@code sum.length != length()}
     * @throws IllegalStateException if the component is over Z/2^32
     */
    void addTo(long[] sum);
}
