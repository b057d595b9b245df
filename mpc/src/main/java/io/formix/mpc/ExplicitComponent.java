package io.formix.mpc;

import java.util.Arrays;

/**
 * A component carried at full size: {@code length} elements of Z/2^32 ({@code int}s, built from an
 * {@code int[]}) or of Z/2^64 ({@code long}s, built from a {@code long[]}). Immutable.
 */
public final class ExplicitComponent implements ShareComponent {

    private final int index;
    private final int[] values; // Z/2^32, or null
    private final long[] longValues; // Z/2^64, or null

    /**
     * A Z/2^32 component; copies {@code values}.
     *
     * @throws IllegalArgumentException if the index is negative or there are more than
     *     {@link VectorShare#MAX_LENGTH} values
     */
    public ExplicitComponent(int index, int[] values) {
        this(index, values.clone(), null);
    }

    /**
     * A Z/2^64 component; copies {@code values}.
     *
     * @throws IllegalArgumentException if the index is negative or there are more than
     *     {@link VectorShare#MAX_LENGTH} values
     */
    public ExplicitComponent(int index, long[] values) {
        this(index, null, values.clone());
    }

    /** Takes ownership of whichever array is not null. */
    private ExplicitComponent(int index, int[] values, long[] longValues) {
        if (index < 0) {
            throw new IllegalArgumentException("component index must be >= 0, got " + index);
        }
        int length = values != null ? values.length : longValues.length;
        if (length > VectorShare.MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "component of " + length + " elements exceeds " + VectorShare.MAX_LENGTH);
        }
        this.index = index;
        this.values = values;
        this.longValues = longValues;
    }

    /** Takes ownership of {@code values} without copying; the caller must never touch it again. */
    static ExplicitComponent wrap(int index, int[] values) {
        return new ExplicitComponent(index, values, null);
    }

    /** Takes ownership of {@code values} (Z/2^64) without copying; the caller must never touch it again. */
    static ExplicitComponent wrap(int index, long[] values) {
        return new ExplicitComponent(index, null, values);
    }

    /** The backing array of a Z/2^32 component: read it, never modify it. */
    int[] values() {
        Rings.require(ringBits(), 32, this.toString());
        return values;
    }

    /** The backing array of a Z/2^64 component: read it, never modify it. */
    long[] longValues() {
        Rings.require(ringBits(), 64, this.toString());
        return longValues;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int length() {
        return values != null ? values.length : longValues.length;
    }

    @Override
    public int ringBits() {
        return values != null ? 32 : 64;
    }

    @Override
    public int[] toArray() {
        return values().clone();
    }

    @Override
    public void addTo(int[] sum) {
        int[] v = values();
        if (sum.length != v.length) {
            throw new IllegalArgumentException("sum has " + sum.length + " elements, component " + v.length);
        }
        for (int j = 0; j < v.length; j++) {
            sum[j] += v[j];
        }
    }

    @Override
    public long[] toLongArray() {
        return longValues().clone();
    }

    @Override
    public void addTo(long[] sum) {
        long[] v = longValues();
        if (sum.length != v.length) {
            throw new IllegalArgumentException("sum has " + sum.length + " elements, component " + v.length);
        }
        for (int j = 0; j < v.length; j++) {
            sum[j] += v[j];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExplicitComponent other
                && other.index == index
                && Arrays.equals(other.values, values)
                && Arrays.equals(other.longValues, longValues);
    }

    @Override
    public int hashCode() {
        return 31 * index + (values != null ? Arrays.hashCode(values) : 17 * Arrays.hashCode(longValues));
    }

    @Override
    public String toString() {
        return "ExplicitComponent[index=" + index + ", length=" + length() + (values != null ? "" : ", ring=Z/2^64")
                + "]";
    }
}
