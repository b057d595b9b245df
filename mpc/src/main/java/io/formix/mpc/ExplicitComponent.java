package io.formix.mpc;

import java.util.Arrays;

/** A component carried at full size: {@code length} elements of Z/2^32. Immutable. */
public final class ExplicitComponent implements ShareComponent {

    private final int index;
    private final int[] values;

    /**
     * Copies {@code values}.
     *
     * @throws IllegalArgumentException if the index is negative or there are more than
     *     {@link VectorShare#MAX_LENGTH} values
     */
    public ExplicitComponent(int index, int[] values) {
        this(values.clone(), index);
    }

    /** Takes ownership of {@code owned}. */
    private ExplicitComponent(int[] owned, int index) {
        int[] values = owned;
        if (index < 0) {
            throw new IllegalArgumentException("component index must be >= 0, got " + index);
        }
        if (values.length > VectorShare.MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "component of " + values.length + " elements exceeds " + VectorShare.MAX_LENGTH);
        }
        this.index = index;
        this.values = values;
    }

    /** Takes ownership of {@code values} without copying; the caller must never touch it again. */
    static ExplicitComponent wrap(int index, int[] values) {
        return new ExplicitComponent(values, index);
    }

    /** The backing array: read it, never modify it. */
    int[] values() {
        return values;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int length() {
        return values.length;
    }

    @Override
    public int[] toArray() {
        return values.clone();
    }

    @Override
    public void addTo(int[] sum) {
        if (sum.length != values.length) {
            throw new IllegalArgumentException("sum has " + sum.length + " elements, component " + values.length);
        }
        int[] v = values;
        for (int j = 0; j < v.length; j++) {
            sum[j] += v[j];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExplicitComponent other && other.index == index && Arrays.equals(other.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * index + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ExplicitComponent[index=" + index + ", length=" + values.length + "]";
    }
}
