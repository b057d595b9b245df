package io.formix.mpc;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One party's sum of the components it holds over an exact set of contributors, tied to that set by
 * {@link #contributorDigest()}: two parties that summed the same set report the same digest, so
 * {@link SharingScheme#reveal} refuses partial sums over different sets. Immutable.
 */
public final class PartialSum {

    private final int party;
    private final int[] componentIndices;
    private final int[][] sums;
    private final SortedSet<String> contributors;
    private final String digest;

    /**
     * Builds a partial sum received from another party; copies everything.
     *
     * @param componentIndices the components summed, in the scheme's order for {@code party}
     * @param sums {@code sums[k]} is the sum of component {@code componentIndices[k]}; all the same length
     * @param contributors the contributors summed; ids as {@link ShareAccumulator} accepts them, no duplicates
     * @throws IllegalArgumentException if shapes disagree, an id is invalid or appears twice
     */
    public PartialSum(int party, int[] componentIndices, int[][] sums, Collection<String> contributors) {
        this(sortedDistinct(contributors), party, componentIndices.clone(), deepCopy(sums));
    }

    /** Takes ownership of the arrays and the set (already validated ids) without copying. */
    static PartialSum owned(int party, int[] componentIndices, int[][] sums, SortedSet<String> contributors) {
        return new PartialSum(contributors, party, componentIndices, sums);
    }

    private PartialSum(SortedSet<String> contributors, int party, int[] componentIndices, int[][] sums) {
        if (party < 0) {
            throw new IllegalArgumentException("party must be >= 0, got " + party);
        }
        if (componentIndices.length == 0 || componentIndices.length != sums.length) {
            throw new IllegalArgumentException(
                    componentIndices.length + " component indices for " + sums.length + " sums");
        }
        for (int[] s : sums) {
            if (s.length != sums[0].length) {
                throw new IllegalArgumentException(
                        "component sums of different lengths: " + s.length + " and " + sums[0].length);
            }
        }
        this.party = party;
        this.componentIndices = componentIndices;
        this.sums = sums;
        this.contributors = Collections.unmodifiableSortedSet(contributors);
        this.digest = ContributorIds.hex(ContributorIds.digest(contributors));
    }

    private static int[][] deepCopy(int[][] sums) {
        int[][] copy = new int[sums.length][];
        for (int k = 0; k < sums.length; k++) {
            copy[k] = sums[k].clone();
        }
        return copy;
    }

    private static SortedSet<String> sortedDistinct(Collection<String> ids) {
        TreeSet<String> set = new TreeSet<>();
        for (String id : ids) {
            if (!set.add(ContributorIds.validate(id))) {
                throw new IllegalArgumentException("contributor " + id + " listed twice");
            }
        }
        return set;
    }

    /** The party that computed this sum. */
    public int party() {
        return party;
    }

    /** The components summed, in order. Fresh array. */
    public int[] componentIndices() {
        return componentIndices.clone();
    }

    /** Elements per component. */
    public int length() {
        return sums[0].length;
    }

    /** The sum of the {@code k}-th held component (not component index {@code k}). Fresh array. */
    public int[] sum(int k) {
        return sums[k].clone();
    }

    /** Backing arrays, read only. */
    int[][] sums() {
        return sums;
    }

    /** The contributors this sum covers, sorted. Unmodifiable. */
    public SortedSet<String> contributors() {
        return contributors;
    }

    /**
     * Lowercase hex SHA-256 naming the contributor set (see the package docs for the exact input), so
     * parties can compare sets without exchanging them.
     */
    public String contributorDigest() {
        return digest;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartialSum other
                && other.party == party
                && Arrays.equals(other.componentIndices, componentIndices)
                && Arrays.deepEquals(other.sums, sums)
                && other.contributors.equals(contributors);
    }

    @Override
    public int hashCode() {
        return 31 * party + digest.hashCode();
    }

    @Override
    public String toString() {
        return "PartialSum[party=" + party + ", components=" + Arrays.toString(componentIndices) + ", length="
                + length() + ", contributors=" + contributors.size() + ", digest=" + digest + "]";
    }
}
