package io.formix.mpc;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One party's sum of the components it holds over an exact set of contributors, tied to that set by
 * {@link #contributorDigest()}: two parties that summed the same set report the same digest, so
 * {@link SharingScheme#reveal} and {@link SharingScheme#revealLongs} refuse partial sums over different
 * sets. The sums are in the ring of the scheme, {@link #ringBits()}: {@code int}s mod 2^32 (read with
 * {@link #sum(int)}) or {@code long}s mod 2^64 (read with {@link #sumLongs(int)}). Immutable.
 */
public final class PartialSum {

    private final int party;
    private final int[] componentIndices;
    private final int[][] sums; // Z/2^32, or null
    private final long[][] longSums; // Z/2^64, or null
    private final SortedSet<String> contributors;
    private final String digest;

    /**
     * Builds a partial sum over Z/2^32 received from another party; copies everything.
     *
     * @param componentIndices the components summed, in the scheme's order for {@code party}
     * @param sums {@code sums[k]} is the sum of component {@code componentIndices[k]}; all the same length
     * @param contributors the contributors summed; ids as {@link ShareAccumulator} accepts them, no duplicates
     * @throws IllegalArgumentException if shapes disagree, an id is invalid or appears twice
     */
    public PartialSum(int party, int[] componentIndices, int[][] sums, Collection<String> contributors) {
        this(sortedDistinct(contributors), party, componentIndices.clone(), deepCopy(sums), null);
    }

    /**
     * Builds a partial sum over Z/2^64 received from another party; copies everything.
     *
     * @param componentIndices the components summed, in the scheme's order for {@code party}
     * @param sums {@code sums[k]} is the sum mod 2^64 of component {@code componentIndices[k]}; all the
     *     same length
     * @param contributors the contributors summed; ids as {@link ShareAccumulator} accepts them, no duplicates
     * @throws IllegalArgumentException if shapes disagree, an id is invalid or appears twice
     */
    public PartialSum(int party, int[] componentIndices, long[][] sums, Collection<String> contributors) {
        this(sortedDistinct(contributors), party, componentIndices.clone(), null, deepCopy(sums));
    }

    /** Takes ownership of the arrays and the set (already validated ids) without copying. */
    static PartialSum owned(int party, int[] componentIndices, int[][] sums, SortedSet<String> contributors) {
        return new PartialSum(contributors, party, componentIndices, sums, null);
    }

    /** Takes ownership of the Z/2^64 arrays and the set (already validated ids) without copying. */
    static PartialSum owned(int party, int[] componentIndices, long[][] sums, SortedSet<String> contributors) {
        return new PartialSum(contributors, party, componentIndices, null, sums);
    }

    private PartialSum(
            SortedSet<String> contributors, int party, int[] componentIndices, int[][] sums, long[][] longSums) {
        if (party < 0) {
            throw new IllegalArgumentException("party must be >= 0, got " + party);
        }
        int rows = sums != null ? sums.length : longSums.length;
        if (componentIndices.length == 0 || componentIndices.length != rows) {
            throw new IllegalArgumentException(componentIndices.length + " component indices for " + rows + " sums");
        }
        for (int k = 0; k < rows; k++) {
            int length = sums != null ? sums[k].length : longSums[k].length;
            int first = sums != null ? sums[0].length : longSums[0].length;
            if (length != first) {
                throw new IllegalArgumentException("component sums of different lengths: " + length + " and " + first);
            }
        }
        this.party = party;
        this.componentIndices = componentIndices;
        this.sums = sums;
        this.longSums = longSums;
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

    private static long[][] deepCopy(long[][] sums) {
        long[][] copy = new long[sums.length][];
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

    /** Elements per component (of {@link #ringBits()} bits each). */
    public int length() {
        return sums != null ? sums[0].length : longSums[0].length;
    }

    /** The ring of the sums: 32 for Z/2^32 ({@link #sum(int)}), 64 for Z/2^64 ({@link #sumLongs(int)}). */
    public int ringBits() {
        return sums != null ? 32 : 64;
    }

    /**
     * The sum mod 2^32 of the {@code k}-th held component (not component index {@code k}). Fresh array.
     *
     * @throws IllegalStateException if the sum is over Z/2^64
     */
    public int[] sum(int k) {
        return sums()[k].clone();
    }

    /**
     * The sum mod 2^64 of the {@code k}-th held component (not component index {@code k}). Fresh array.
     *
     * @throws IllegalStateException if the sum is over Z/2^32
     */
    public long[] sumLongs(int k) {
        return longSums()[k].clone();
    }

    /** Backing arrays of a Z/2^32 sum, read only. */
    int[][] sums() {
        Rings.require(ringBits(), 32, "the partial sum of party " + party);
        return sums;
    }

    /** Backing arrays of a Z/2^64 sum, read only. */
    long[][] longSums() {
        Rings.require(ringBits(), 64, "the partial sum of party " + party);
        return longSums;
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
                && Arrays.deepEquals(other.longSums, longSums)
                && other.contributors.equals(contributors);
    }

    @Override
    public int hashCode() {
        return 31 * party + digest.hashCode();
    }

    @Override
    public String toString() {
        return "PartialSum[party=" + party + ", components=" + Arrays.toString(componentIndices) + ", length="
                + length() + (sums != null ? "" : ", ring=Z/2^64") + ", contributors=" + contributors.size()
                + ", digest=" + digest + "]";
    }
}
