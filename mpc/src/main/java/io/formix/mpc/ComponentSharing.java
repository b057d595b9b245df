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
 * the components {@code held[p]}. Additive n-of-n and replicated 2-of-3 differ only in {@code held}.
 */
final class ComponentSharing implements SharingScheme {

    static final int MAX_PARTIES = 64;

    private final String id;
    private final String name;
    private final int parties;
    private final int components;
    private final int[][] held;
    private final SecureRandom random;

    ComponentSharing(String id, String name, int parties, int[][] held, SecureRandom random) {
        this.id = id;
        this.name = name;
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

    @Override
    public int[][] share(int secret) {
        int[] comp = new int[components];
        int last = secret;
        for (int c = 0; c < components - 1; c++) {
            comp[c] = random.nextInt();
            last -= comp[c];
        }
        comp[components - 1] = last;
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
        return new ChunkedVectorSharer(this, random);
    }

    @Override
    public VectorShare[] share(int[] secret) {
        checkLength(secret); // before allocating
        int[][] comp = new int[components][secret.length];
        vectorSharer().shareInto(secret, comp);
        ShareComponent[] wrapped = new ShareComponent[components];
        for (int c = 0; c < components; c++) {
            wrapped[c] = ExplicitComponent.wrap(c, comp[c]);
        }
        return distribute(wrapped, secret.length);
    }

    @Override
    public VectorShare[] shareCompressed(int[] secret) {
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
        if (secret.length > VectorShare.MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "vector of " + secret.length + " elements exceeds " + VectorShare.MAX_LENGTH);
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
        Map<Integer, int[][]> asVectors = new HashMap<>();
        for (Map.Entry<Integer, int[]> e : values.entrySet()) {
            int[] v = e.getValue();
            int[][] rows = new int[v.length][];
            for (int k = 0; k < v.length; k++) {
                rows[k] = new int[] {v[k]};
            }
            asVectors.put(e.getKey(), rows);
        }
        return combine(asVectors, 1)[0];
    }

    @Override
    public int[] reconstruct(Collection<VectorShare> shares) {
        if (shares.isEmpty()) {
            throw new NotAQuorumException("no shares: " + name + " needs a quorum");
        }
        int length = shares.iterator().next().length();
        Map<Integer, int[][]> byParty = new HashMap<>();
        for (VectorShare s : shares) {
            checkHeld(s.party(), s.componentIndices());
            if (s.length() != length) {
                throw new IllegalArgumentException("shares of lengths " + length + " and " + s.length());
            }
            int[][] rows = new int[s.components().size()][];
            for (int k = 0; k < rows.length; k++) {
                rows[k] = s.components().get(k).toArray();
            }
            if (byParty.put(s.party(), rows) != null) {
                throw new IllegalArgumentException("two shares for party " + s.party());
            }
        }
        return combine(byParty, length);
    }

    @Override
    public int[] reveal(Collection<PartialSum> partialSums) {
        if (partialSums.isEmpty()) {
            throw new NotAQuorumException("no partial sums: " + name + " needs a quorum");
        }
        PartialSum first = partialSums.iterator().next();
        Map<Integer, int[][]> byParty = new HashMap<>();
        for (PartialSum s : partialSums) {
            checkHeld(s.party(), s.componentIndices());
            if (!s.contributorDigest().equals(first.contributorDigest())) {
                throw new InconsistentSharesException("partial sums cover different contributor sets: party "
                        + first.party() + " summed " + first.contributors().size() + " contributors (digest "
                        + first.contributorDigest() + "), party " + s.party() + " summed "
                        + s.contributors().size() + " (digest " + s.contributorDigest() + ")");
            }
            if (s.length() != first.length()) {
                throw new IllegalArgumentException("partial sums of lengths " + first.length() + " and " + s.length());
            }
            if (byParty.put(s.party(), s.sums()) != null) {
                throw new IllegalArgumentException("two partial sums from party " + s.party());
            }
        }
        return combine(byParty, first.length());
    }

    private void checkHeld(int party, int[] indices) {
        checkParty(party);
        if (!Arrays.equals(indices, held[party])) {
            throw new IllegalArgumentException("party " + party + " of " + name + " holds components "
                    + Arrays.toString(held[party]) + ", got " + Arrays.toString(indices));
        }
    }

    /**
     * Sums one copy of every component; {@code byParty.get(p)[k]} is party p's k-th held component.
     * Components supplied twice must agree.
     */
    private int[] combine(Map<Integer, int[][]> byParty, int length) {
        int[][] byComponent = new int[components][];
        int[] source = new int[components];
        for (Map.Entry<Integer, int[][]> e : byParty.entrySet()) {
            int p = checkParty(e.getKey());
            int[][] rows = e.getValue();
            if (rows.length != held[p].length) {
                throw new IllegalArgumentException(
                        "party " + p + " of " + name + " holds " + held[p].length + " components, got " + rows.length);
            }
            for (int k = 0; k < rows.length; k++) {
                int c = held[p][k];
                if (rows[k].length != length) {
                    throw new IllegalArgumentException("party " + p + " component " + c + " has " + rows[k].length
                            + " elements, expected " + length);
                }
                if (byComponent[c] == null) {
                    byComponent[c] = rows[k];
                    source[c] = p;
                } else if (!Arrays.equals(byComponent[c], rows[k])) {
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
        int[] sum = byComponent[0].clone();
        for (int c = 1; c < components; c++) {
            int[] v = byComponent[c];
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
