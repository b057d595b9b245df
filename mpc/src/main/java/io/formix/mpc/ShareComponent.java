package io.formix.mpc;

/**
 * One additive component of a shared vector, as a party receives it: either the values themselves
 * ({@link ExplicitComponent}) or a 32-byte seed they expand from ({@link SeededComponent}).
 * Immutable. {@code toString} never shows values or seeds.
 */
public sealed interface ShareComponent permits ExplicitComponent, SeededComponent {

    /** Which component of the secret this is ({@code 0 .. componentCount-1} of the scheme). */
    int index();

    /** Number of elements. */
    int length();

    /** The elements, expanded if seeded. Fresh array owned by the caller. */
    int[] toArray();

    /**
     * {@code sum[j] += this[j]} for every element, without materialising a seeded component.
     *
     * @throws IllegalArgumentException if {@code sum.length != length()}
     */
    void addTo(int[] sum);
}
