package io.formix.mpc;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The message one party receives for one shared vector: the components it holds, all of the same
 * length and in the same ring, {@link #ringBits()} (Z/2^32 or Z/2^64). Immutable.
 */
public final class VectorShare {

    /**
     * Largest vector length accepted anywhere in this module, in elements of either ring: 2^26 elements,
     * 256 MiB over Z/2^32, 512 MiB over Z/2^64.
     */
    public static final int MAX_LENGTH = 1 << 26;

    private final int party;
    private final int length;
    private final List<ShareComponent> components;

    /**
     * @param party the receiving party, {@code >= 0}
     * @param length the vector length, {@code 0..MAX_LENGTH}
     * @param components at least one, distinct indices, each of {@code length} elements, all over the same ring
     * @throws IllegalArgumentException if any of the above does not hold
     */
    public VectorShare(int party, int length, List<ShareComponent> components) {
        if (party < 0) {
            throw new IllegalArgumentException("party must be >= 0, got " + party);
        }
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("length must be in 0.." + MAX_LENGTH + ", got " + length);
        }
        if (components.isEmpty()) {
            throw new IllegalArgumentException("a share holds at least one component");
        }
        BitSet seen = new BitSet();
        int ring = components.get(0).ringBits();
        for (ShareComponent c : components) {
            if (c.ringBits() != ring) {
                throw new IllegalArgumentException(
                        "components over " + Rings.name(ring) + " and " + Rings.name(c.ringBits()) + " in one share");
            }
            if (c.length() != length) {
                throw new IllegalArgumentException(
                        "component " + c.index() + " has " + c.length() + " elements, the share " + length);
            }
            if (seen.get(c.index())) {
                throw new IllegalArgumentException("component " + c.index() + " appears twice");
            }
            seen.set(c.index());
        }
        this.party = party;
        this.length = length;
        this.components = List.copyOf(new ArrayList<>(components));
    }

    /** The receiving party. */
    public int party() {
        return party;
    }

    /** Elements per component (of {@link #ringBits()} bits each). */
    public int length() {
        return length;
    }

    /** The ring of every component: 32 for Z/2^32, 64 for Z/2^64. */
    public int ringBits() {
        return components.get(0).ringBits();
    }

    /** The components, in the order the scheme lists them for this party. Unmodifiable. */
    public List<ShareComponent> components() {
        return components;
    }

    /** The component indices, in order. Fresh array. */
    public int[] componentIndices() {
        int[] idx = new int[components.size()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = components.get(k).index();
        }
        return idx;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VectorShare other
                && other.party == party
                && other.length == length
                && other.components.equals(components);
    }

    @Override
    public int hashCode() {
        return (31 * party + length) * 31 + components.hashCode();
    }

    @Override
    public String toString() {
        return "VectorShare[party=" + party + ", length=" + length + ", components=" + components + "]";
    }
}
