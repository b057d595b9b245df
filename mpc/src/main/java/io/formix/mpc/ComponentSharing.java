package io.formix.mpc;

import io.formix.mpc.MpcException.InconsistentSharesException;
import io.formix.mpc.MpcException.NotAQuorumException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one implementation behind every {@link SharingScheme}: m additive components, party p holds
 * the components {@code held[p]}. Additive n-of-n and replicated 2-of-3 differ only in {@code held};
 * the ring (Z/2^32 in {@code int}s or Z/2^64 in {@code long}s) only in which methods work and the
 * element type. Z/2^64 vectors are shared by {@link Z64Chunks}.
 */
final class ComponentSharing implements SharingScheme {

    static final int MAX_PARTIES = 64;

    private final String id;
    private final String name;
    private final int parties;
    private final int components;
    private final int[][] held;
    private final SecureRandom random;
    private final int ringBits;

    /** A scheme over Z/2^{@code ringBits}; {@code name} gets " over Z/2^64" appended for the 64-bit ring. */
    ComponentSharing(String id, String name, int parties, int[][] held, SecureRandom random, int ringBits) {
        this.ringBits = Rings.check(ringBits);
        this.id = id;
        this.name = ringBits == 32 ? name : name + " over " + Rings.name(ringBits);
        this.parties = parties;
        this.held = held;
        this.random = random;
        int max = -1;
        for (int[] h : held) {
            for (int c : h) {
                max = Math.max(max, c);
            }
        }
        this.components = max + 1;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int ringBits() {
        return ringBits;
    }

    /** Refuses a call of the other ring's methods: {@code method} names it. */
    private void requireRing(int required, String method) {
        if (ringBits != required) {
            throw new IllegalStateException(id + " shares over " + Rings.name(ringBits) + ": " + method + " is for "
                    + Rings.name(required) + " schemes; use the " + (ringBits == 64 ? "long" : "int") + " methods");
        }
    }

    /** Refuses a share or partial sum of the other ring, as bad input. */
    private void requireInput(int inputRing, String what) {
        if (inputRing != ringBits) {
            throw new IllegalArgumentException(what + " over " + Rings.name(inputRing) + " offered to " + id
                    + ", a scheme over " + Rings.name(ringBits));
        }
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public int componentCount() {
        return components;
    }

    @Override
    public int[] componentsHeldBy(int party) {
        return held[checkParty(party)].clone();
    }

    private int checkParty(int party) {
        if (party < 0 || party >= parties) {
            throw new IllegalArgumentException("party " + party + " is not in 0.." + (parties - 1) + " of " + name);
        }
        return party;
    }

    @Override
    public boolean isQuorum(Set<Integer> present) {
        boolean[] covered = new boolean[components];
        for (int p : present) {
            for (int c : held[checkParty(p)]) {
                covered[c] = true;
            }
        }
        for (boolean b : covered) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- sharing

    /**
     * Secrets of at most this many elements are split with {@code random} directly, as a scalar is:
     * a vector sharer's key streams (two 32 KiB buffers, an AES key schedule, all wiped after) cost
     * a light node far more than its one-element answer.
     */
    static final int DIRECT_MAX = 64;

    /** Draws the components of {@code value} into {@code comp[..][i]}: uniform, summing to it. */
    private void split(int value, int[][] comp, int i) {
        int last = value;
        for (int c = 0; c < components - 1; c++) {
            comp[c][i] = random.nextInt();
            last -= comp[c][i];
        }
        comp[components - 1][i] = last;
    }

    @Override
    public int[][] share(int secret) {
        requireRing(32, "share(int)");
        int[][] one = new int[components][1];
        split(secret, one, 0);
        int[] comp = new int[components];
        for (int c = 0; c < components; c++) {
            comp[c] = one[c][0];
        }
        int[][] messages = new int[parties][];
        for (int p = 0; p < parties; p++) {
            int[] h = held[p];
            messages[p] = new int[h.length];
            for (int k = 0; k < h.length; k++) {
                messages[p][k] = comp[h[k]];
            }
        }
        return messages;
    }

    @Override
    public VectorSharer vectorSharer() {
        requireRing(32, "vectorSharer()");
        return new ChunkedVectorSharer(this, random);
    }

    @Override
    public VectorShare[] share(int[] secret) {
        requireRing(32, "share(int[])");
        checkLength(secret); // before allocating
        int[][] comp = new int[components][secret.length];
        if (secret.length <= DIRECT_MAX) {
            for (int i = 0; i < secret.length; i++) {
                split(secret[i], comp, i);
            }
        } else {
            vectorSharer().shareInto(secret, comp);
        }
        ShareComponent[] wrapped = new ShareComponent[components];
        for (int c = 0; c < components; c++) {
            wrapped[c] = ExplicitComponent.wrap(c, comp[c]);
        }
        return distribute(wrapped, secret.length);
    }

    @Override
    public VectorShare[] shareCompressed(int[] secret) {
        requireRing(32, "shareCompressed(int[])");
        checkLength(secret); // before cloning
        byte[][] seeds = new byte[components - 1][AesCtrPrg.SEED_BYTES];
        int[] last = secret.clone(); // shared in place: a clone skips zeroing a new array
        vectorSharer().shareCompressedInto(last, seeds, last);
        ShareComponent[] comp = new ShareComponent[components];
        for (int c = 0; c < components - 1; c++) {
            comp[c] = new SeededComponent(c, secret.length, seeds[c]);
            Arrays.fill(seeds[c], (byte) 0);
        }
        comp[components - 1] = ExplicitComponent.wrap(components - 1, last);
        return distribute(comp, secret.length);
    }

    static void checkLength(int[] secret) {
        checkLength(secret.length);
    }

    private static void checkLength(int length) {
        if (length > VectorShare.MAX_LENGTH) {
            throw new IllegalArgumentException("vector of " + length + " elements exceeds " + VectorShare.MAX_LENGTH);
        }
    }

    @Override
    public VectorShare[] share(long[] secret) {
        requireRing(64, "share(long[])");
        checkLength(secret.length); // before allocating
        long[][] comp = new long[components][secret.length];
        shareLongs(secret, comp, null, comp[components - 1]);
        ShareComponent[] wrapped = new ShareComponent[components];
        for (int c = 0; c < components; c++) {
            wrapped[c] = ExplicitComponent.wrap(c, comp[c]);
        }
        return distribute(wrapped, secret.length);
    }

    @Override
    public VectorShare[] shareCompressed(long[] secret) {
        requireRing(64, "shareCompressed(long[])");
        checkLength(secret.length); // before cloning
        byte[][] seeds = new byte[components - 1][AesCtrPrg.SEED_BYTES];
        long[] last = secret.clone(); // shared in place
        shareLongs(last, null, seeds, last);
        ShareComponent[] comp = new ShareComponent[components];
        for (int c = 0; c < components - 1; c++) {
            comp[c] = new SeededComponent(c, secret.length, seeds[c], 64);
            Arrays.fill(seeds[c], (byte) 0);
        }
        comp[components - 1] = ExplicitComponent.wrap(components - 1, last);
        return distribute(comp, secret.length);
    }

    /**
     * Draws a fresh seed per random component (in component order), expands each with AES-256-CTR into
     * {@code random[c]} (if given) and sets {@code last = secret - Σ expansions} mod 2^64; copies the
     * seeds into {@code seedsOut} if given. Wipes the key streams whatever happens.
     */
    private void shareLongs(long[] secret, long[][] randomOut, byte[][] seedsOut, long[] last) {
        KeyStream[] streams = new KeyStream[components - 1];
        byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
        try {
            for (int c = 0; c < streams.length; c++) {
                random.nextBytes(seed);
                streams[c] = new KeyStream(seed);
                if (seedsOut != null) {
                    System.arraycopy(seed, 0, seedsOut[c], 0, seed.length);
                }
            }
            Arrays.fill(seed, (byte) 0);
            Z64Chunks.share(streams, secret, randomOut, last);
        } finally {
            Arrays.fill(seed, (byte) 0);
            for (KeyStream stream : streams) {
                if (stream != null) {
                    stream.wipe();
                }
            }
        }
    }

    private VectorShare[] distribute(ShareComponent[] comp, int length) {
        VectorShare[] shares = new VectorShare[parties];
        for (int p = 0; p < parties; p++) {
            List<ShareComponent> mine = new ArrayList<>(held[p].length);
            for (int c : held[p]) {
                mine.add(comp[c]);
            }
            shares[p] = new VectorShare(p, length, mine);
        }
        return shares;
    }

    // ---------------------------------------------------------------- reconstruction

    @Override
    public int reconstruct(Map<Integer, int[]> values) {
        requireRing(32, "reconstruct(Map<Integer, int[]>)");
        Map<Integer, Object[]> asVectors = new HashMap<>();
        for (Map.Entry<Integer, int[]> e : values.entrySet()) {
            int[] v = e.getValue();
            int[][] rows = new int[v.length][];
            for (int k = 0; k < v.length; k++) {
                rows[k] = new int[] {v[k]};
            }
            asVectors.put(e.getKey(), rows);
        }
        return sumInts(pick(asVectors, 1), 1)[0];
    }

    @Override
    public int[] reconstruct(Collection<VectorShare> shares) {
        requireRing(32, "reconstruct(Collection<VectorShare>)");
        return sumInts(pickShares(shares), lengthOf(shares));
    }

    @Override
    public long[] reconstructLongs(Collection<VectorShare> shares) {
        requireRing(64, "reconstructLongs");
        return sumLongs(pickShares(shares), lengthOf(shares));
    }

    private int lengthOf(Collection<VectorShare> shares) {
        if (shares.isEmpty()) {
            throw new NotAQuorumException("no shares: " + name + " needs a quorum");
        }
        return shares.iterator().next().length();
    }

    /** One copy of every component's values from the shares of a quorum. */
    private Object[] pickShares(Collection<VectorShare> shares) {
        int length = lengthOf(shares);
        Map<Integer, Object[]> byParty = new HashMap<>();
        for (VectorShare s : shares) {
            checkHeld(s.party(), s.componentIndices());
            requireInput(s.ringBits(), "share for party " + s.party());
            if (s.length() != length) {
                throw new IllegalArgumentException("shares of lengths " + length + " and " + s.length());
            }
            Object[] rows = new Object[s.components().size()];
            for (int k = 0; k < rows.length; k++) {
                ShareComponent c = s.components().get(k);
                rows[k] = ringBits == 32 ? c.toArray() : c.toLongArray();
            }
            if (byParty.put(s.party(), rows) != null) {
                throw new IllegalArgumentException("two shares for party " + s.party());
            }
        }
        return pick(byParty, length);
    }

    @Override
    public int[] reveal(Collection<PartialSum> partialSums) {
        requireRing(32, "reveal");
        return sumInts(
                pickPartialSums(partialSums), partialSums.iterator().next().length());
    }

    @Override
    public long[] revealLongs(Collection<PartialSum> partialSums) {
        requireRing(64, "revealLongs");
        return sumLongs(
                pickPartialSums(partialSums), partialSums.iterator().next().length());
    }

    /** One copy of every component's sum from the partial sums of a quorum over one contributor set. */
    private Object[] pickPartialSums(Collection<PartialSum> partialSums) {
        if (partialSums.isEmpty()) {
            throw new NotAQuorumException("no partial sums: " + name + " needs a quorum");
        }
        PartialSum first = partialSums.iterator().next();
        Map<Integer, Object[]> byParty = new HashMap<>();
        for (PartialSum s : partialSums) {
            checkHeld(s.party(), s.componentIndices());
            requireInput(s.ringBits(), "partial sum of party " + s.party());
            if (!s.contributorDigest().equals(first.contributorDigest())) {
                throw new InconsistentSharesException("partial sums cover different contributor sets: party "
                        + first.party() + " summed " + first.contributors().size() + " contributors (digest "
                        + first.contributorDigest() + "), party " + s.party() + " summed "
                        + s.contributors().size() + " (digest " + s.contributorDigest() + ")");
            }
            if (s.length() != first.length()) {
                throw new IllegalArgumentException("partial sums of lengths " + first.length() + " and " + s.length());
            }
            Object[] rows = ringBits == 32 ? s.sums() : s.longSums();
            if (byParty.put(s.party(), rows) != null) {
                throw new IllegalArgumentException("two partial sums from party " + s.party());
            }
        }
        return pick(byParty, first.length());
    }

    private void checkHeld(int party, int[] indices) {
        checkParty(party);
        if (!Arrays.equals(indices, held[party])) {
            throw new IllegalArgumentException("party " + party + " of " + name + " holds components "
                    + Arrays.toString(held[party]) + ", got " + Arrays.toString(indices));
        }
    }

    /**
     * One copy of every component; {@code byParty.get(p)[k]} is party p's k-th held component, an
     * {@code int[]} or a {@code long[]} as the ring says. Components supplied twice must agree.
     */
    private Object[] pick(Map<Integer, Object[]> byParty, int length) {
        Object[] byComponent = new Object[components];
        int[] source = new int[components];
        for (Map.Entry<Integer, Object[]> e : byParty.entrySet()) {
            int p = checkParty(e.getKey());
            Object[] rows = e.getValue();
            if (rows.length != held[p].length) {
                throw new IllegalArgumentException(
                        "party " + p + " of " + name + " holds " + held[p].length + " components, got " + rows.length);
            }
            for (int k = 0; k < rows.length; k++) {
                int c = held[p][k];
                int rowLength = rows[k] instanceof long[] l ? l.length : ((int[]) rows[k]).length;
                if (rowLength != length) {
                    throw new IllegalArgumentException(
                            "party " + p + " component " + c + " has " + rowLength + " elements, expected " + length);
                }
                if (byComponent[c] == null) {
                    byComponent[c] = rows[k];
                    source[c] = p;
                } else if (!sameValues(byComponent[c], rows[k])) {
                    throw new InconsistentSharesException(
                            "parties " + source[c] + " and " + p + " disagree on component " + c + " of " + name);
                }
            }
        }
        for (int c = 0; c < components; c++) {
            if (byComponent[c] == null) {
                throw new NotAQuorumException("parties " + new TreeSet<>(byParty.keySet()) + " miss component " + c
                        + ": they are not a quorum of " + name);
            }
        }
        return byComponent;
    }

    /** Whether two {@code int[]}s, or two {@code long[]}s, hold the same values. */
    private static boolean sameValues(Object a, Object b) {
        if (a instanceof long[] x && b instanceof long[] y) {
            return Arrays.equals(x, y);
        }
        return a instanceof int[] x && b instanceof int[] y && Arrays.equals(x, y);
    }

    /** The sum mod 2^32 of the components {@link #pick} chose. */
    private static int[] sumInts(Object[] byComponent, int length) {
        int[] sum = ((int[]) byComponent[0]).clone();
        for (int c = 1; c < byComponent.length; c++) {
            int[] v = (int[]) byComponent[c];
            for (int j = 0; j < length; j++) {
                sum[j] += v[j];
            }
        }
        return sum;
    }

    /** The sum mod 2^64 of the components {@link #pick} chose. */
    private static long[] sumLongs(Object[] byComponent, int length) {
        long[] sum = ((long[]) byComponent[0]).clone();
        for (int c = 1; c < byComponent.length; c++) {
            long[] v = (long[]) byComponent[c];
            for (int j = 0; j < length; j++) {
                sum[j] += v[j];
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return name;
    }
}
