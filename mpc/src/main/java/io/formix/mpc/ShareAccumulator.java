package io.formix.mpc;

import io.formix.mpc.MpcException.DuplicateContributionException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A party's running sum of the shares it receives, over an explicit set of contributors, in the ring of
 * its scheme ({@link SharingScheme#ringBits()}): mod 2^32 in {@code int}s or mod 2^64 in {@code long}s.
 * A share of the other ring ({@link VectorShare#ringBits()}) is refused where it is added; the
 * {@code int[]} adds ({@link #add(String, int[][])}, {@link #addScalar}) are for Z/2^32 schemes only.
 *
 * <p>Memory is O(held components × length) plus the contributor ids, never O(contributors × length):
 * each share is added into the sum as it arrives (seeded components are expanded chunk by chunk).
 * A contributor may add at most once ({@link DuplicateContributionException}); a contributor outside
 * the set given at construction is refused. Any refused {@code add} leaves the sum unchanged.
 * {@link #partialSum()} names the exact set summed, so parties can check they summed the same one.
 *
 * <p>Not thread-safe: confine an accumulator to one thread or lock around it.
 */
public final class ShareAccumulator {

    private final SharingScheme scheme;
    private final int party;
    private final int[] heldComponents;
    private final int ringBits;
    private final int length;
    private final int[][] sums; // Z/2^32, or null
    private final long[][] longSums; // Z/2^64, or null
    private final Set<String> allowed;
    private final SortedSet<String> added = new TreeSet<>();

    private ShareAccumulator(SharingScheme scheme, int party, int length, Set<String> allowed) {
        if (length < 0 || length > VectorShare.MAX_LENGTH) {
            throw new IllegalArgumentException("length must be in 0.." + VectorShare.MAX_LENGTH + ", got " + length);
        }
        this.scheme = scheme;
        this.party = party;
        this.heldComponents = scheme.componentsHeldBy(party);
        this.ringBits = scheme.ringBits();
        this.length = length;
        this.sums = ringBits == 32 ? new int[heldComponents.length][length] : null;
        this.longSums = ringBits == 64 ? new long[heldComponents.length][length] : null;
        this.allowed = allowed;
    }

    /**
     * An accumulator for party {@code party} of {@code scheme} over vectors of {@code length} elements
     * (1 for scalars) of the scheme's ring (Z/2^32 or Z/2^64) that accepts exactly the contributors in {@code contributors};
     * {@link #partialSum()} is available once all of them have been added.
     *
     * @throws IllegalArgumentException if the party is not in the scheme, the length is out of range,
     *     or an id is invalid (1..256 chars, no control characters)
     */
    public static ShareAccumulator forContributors(
            SharingScheme scheme, int party, int length, Set<String> contributors) {
        Set<String> allowed = new HashSet<>();
        for (String id : contributors) {
            allowed.add(ContributorIds.validate(id));
        }
        return new ShareAccumulator(scheme, party, length, Collections.unmodifiableSet(allowed));
    }

    /**
     * An accumulator that accepts any valid contributor id once; {@link #partialSum()} covers whoever
     * has been added. Sums in the ring of {@code scheme}, as {@link #forContributors}.
     */
    public static ShareAccumulator open(SharingScheme scheme, int party, int length) {
        return new ShareAccumulator(scheme, party, length, null);
    }

    /**
     * An open accumulator that carries on from {@code saved} (for instance a partial sum persisted
     * before a restart): same party, length, sums and contributors.
     *
     * @throws IllegalArgumentException if {@code saved} does not fit {@code scheme} (party, components,
     *     ring)
     */
    public static ShareAccumulator resumeOpen(SharingScheme scheme, PartialSum saved) {
        return resume(ShareAccumulator.open(scheme, saved.party(), saved.length()), saved);
    }

    /**
     * An accumulator over {@code contributors} that carries on from {@code saved}, whose
     * contributors must all belong to that set.
     *
     * @throws IllegalArgumentException if {@code saved} does not fit {@code scheme} (party, components,
     *     ring) or names a contributor outside the set
     */
    public static ShareAccumulator resumeForContributors(
            SharingScheme scheme, PartialSum saved, Set<String> contributors) {
        return resume(forContributors(scheme, saved.party(), saved.length(), contributors), saved);
    }

    private static ShareAccumulator resume(ShareAccumulator acc, PartialSum saved) {
        if (!Arrays.equals(saved.componentIndices(), acc.heldComponents)) {
            throw new IllegalArgumentException("saved sum holds components " + Arrays.toString(saved.componentIndices())
                    + ", party " + acc.party + " of " + acc.scheme + " holds " + Arrays.toString(acc.heldComponents));
        }
        if (saved.ringBits() != acc.ringBits) {
            throw new IllegalArgumentException("saved sum is over " + Rings.name(saved.ringBits()) + ", " + acc.scheme
                    + " over " + Rings.name(acc.ringBits));
        }
        for (String id : saved.contributors()) {
            if (acc.allowed != null && !acc.allowed.contains(id)) {
                throw new IllegalArgumentException(
                        "saved sum includes contributor " + id + ", outside the set of " + acc.allowed.size());
            }
        }
        for (int k = 0; k < acc.heldComponents.length; k++) {
            if (acc.ringBits == 32) {
                System.arraycopy(saved.sums()[k], 0, acc.sums[k], 0, acc.length);
            } else {
                System.arraycopy(saved.longSums()[k], 0, acc.longSums[k], 0, acc.length);
            }
        }
        acc.added.addAll(saved.contributors());
        return acc;
    }

    /**
     * Adds the share {@code contributor} sent to this party, mod 2^32 or mod 2^64 as the scheme's ring.
     *
     * @throws DuplicateContributionException if {@code contributor} was already added
     * @throws IllegalArgumentException if the id is invalid or not in the set, or the share is for
     *     another party, other components, another length or the other ring
     */
    public void add(String contributor, VectorShare share) {
        checkContributor(contributor);
        if (share.party() != party || !Arrays.equals(share.componentIndices(), heldComponents)) {
            throw new IllegalArgumentException("share for party " + share.party() + " components "
                    + Arrays.toString(share.componentIndices()) + " offered to the accumulator of party " + party
                    + " components " + Arrays.toString(heldComponents));
        }
        if (share.ringBits() != ringBits) {
            throw new IllegalArgumentException("share over " + Rings.name(share.ringBits()) + " offered to the "
                    + "accumulator of party " + party + " of " + scheme + ", over " + Rings.name(ringBits));
        }
        checkLength(share.length());
        for (int k = 0; k < heldComponents.length; k++) {
            if (ringBits == 32) {
                share.components().get(k).addTo(sums[k]);
            } else {
                share.components().get(k).addTo(longSums[k]);
            }
        }
        added.add(contributor);
    }

    /**
     * Adds {@code contributor}'s held values: {@code held[k]} is its k-th held component, in
     * {@link SharingScheme#componentsHeldBy} order. Only read.
     *
     * @throws DuplicateContributionException if {@code contributor} was already added
     * @throws IllegalArgumentException if the id is invalid or not in the set, or shapes differ
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    public void add(String contributor, int[][] held) {
        Rings.require(ringBits, 32, scheme.id());
        checkContributor(contributor);
        if (held.length != sums.length) {
            throw new IllegalArgumentException(
                    "party " + party + " holds " + sums.length + " components, got " + held.length);
        }
        for (int[] row : held) {
            checkLength(row.length);
        }
        for (int k = 0; k < sums.length; k++) {
            int[] s = sums[k];
            int[] v = held[k];
            for (int j = 0; j < s.length; j++) {
                s[j] += v[j];
            }
        }
        added.add(contributor);
    }

    /**
     * Adds a scalar share: {@code held} are the values {@link SharingScheme#share(int)} produced for
     * this party. The accumulator must have length 1.
     *
     * @throws DuplicateContributionException if {@code contributor} was already added
     * @throws IllegalArgumentException if the id is invalid or not in the set, or shapes differ
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    public void addScalar(String contributor, int... held) {
        Rings.require(ringBits, 32, scheme.id());
        checkContributor(contributor);
        checkLength(1);
        if (held.length != sums.length) {
            throw new IllegalArgumentException(
                    "party " + party + " holds " + sums.length + " components, got " + held.length);
        }
        for (int k = 0; k < sums.length; k++) {
            sums[k][0] += held[k];
        }
        added.add(contributor);
    }

    private void checkContributor(String contributor) {
        ContributorIds.validate(contributor);
        if (allowed != null && !allowed.contains(contributor)) {
            throw new IllegalArgumentException(
                    "contributor " + contributor + " is not in the set of " + allowed.size() + " this sum is over");
        }
        if (added.contains(contributor)) {
            throw new DuplicateContributionException(
                    "contributor " + contributor + " already added to party " + party + "'s sum");
        }
    }

    private void checkLength(int shareLength) {
        if (shareLength != length) {
            throw new IllegalArgumentException("share of " + shareLength + " elements, the sum has " + length);
        }
    }

    /** Contributors added so far. */
    public int size() {
        return added.size();
    }

    /** Whether every contributor of the set has been added (always true for an open accumulator). */
    public boolean isComplete() {
        return allowed == null || added.size() == allowed.size();
    }

    /** Contributors of the set not added yet, sorted; empty for an open accumulator. */
    public SortedSet<String> missing() {
        TreeSet<String> missing = new TreeSet<>();
        if (allowed != null) {
            missing.addAll(allowed);
            missing.removeAll(added);
        }
        return missing;
    }

    /**
     * The sum so far, as a snapshot tied to the contributors added, in the scheme's ring
     * ({@link PartialSum#ringBits()}).
     *
     * @throws IllegalStateException if this accumulator is over an explicit set and some of it is missing
     */
    public PartialSum partialSum() {
        if (!isComplete()) {
            throw new IllegalStateException((allowed.size() - added.size()) + " of " + allowed.size()
                    + " contributors have not been added to party " + party + "'s sum");
        }
        if (ringBits == 64) {
            long[][] copy = new long[longSums.length][];
            for (int k = 0; k < longSums.length; k++) {
                copy[k] = longSums[k].clone();
            }
            return PartialSum.owned(party, heldComponents.clone(), copy, new TreeSet<>(added));
        }
        int[][] copy = new int[sums.length][];
        for (int k = 0; k < sums.length; k++) {
            copy[k] = sums[k].clone();
        }
        return PartialSum.owned(party, heldComponents.clone(), copy, new TreeSet<>(added));
    }

    @Override
    public String toString() {
        return "ShareAccumulator[" + scheme + ", party=" + party + ", length=" + length + ", contributors="
                + added.size() + "]";
    }
}
