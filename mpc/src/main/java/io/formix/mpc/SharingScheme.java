package io.formix.mpc;

import io.formix.mpc.MpcException.InconsistentSharesException;
import io.formix.mpc.MpcException.NotAQuorumException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * A linear secret-sharing scheme over Z/2^32 in which a secret is split into additive
 * <em>components</em> (they sum to the secret mod 2^32) and every party holds a fixed subset of them.
 *
 * <p>Parties are numbered {@code 0 .. parties()-1}; components {@code 0 .. componentCount()-1}.
 * Party {@code p} receives exactly the components {@link #componentsHeldBy(int)} lists, in that order,
 * for every secret it is sent. Because the scheme is linear, a party may add the components it holds
 * over many contributors (see {@link ShareAccumulator}); any {@linkplain #isQuorum quorum} of parties
 * then reconstructs the sum of the secrets from their partial sums. A set of parties that is not a
 * quorum misses at least one component, which is uniform and independent of everything they hold, so
 * they learn nothing about the secret.
 *
 * <p>Values are elements of Z/2^32 held in Java {@code int}s (wrap-around arithmetic); they are unsigned
 * only when printed or serialised. Randomness comes from a {@link java.security.SecureRandom}: scalar
 * components are drawn from it directly, vector components are expanded from fresh 32-byte seeds it
 * draws, as {@link SeededComponent} defines (AES-256-CTR).
 *
 * <p>Implementations are immutable and thread-safe. Arrays passed in are only read; arrays returned
 * are fresh and owned by the caller.
 */
public interface SharingScheme {

    /**
     * A stable identifier of the scheme and its party count, for protocol messages:
     * {@code "additive-<n>"} or {@code "replicated-2of3"}. {@link SharingSchemes#forId(String)} parses it.
     */
    String id();

    /** Number of parties a secret is shared among. */
    int parties();

    /** Number of additive components a secret is split into. */
    int componentCount();

    /**
     * The components party {@code party} holds, in the order they appear in its messages and
     * partial sums. Fresh array.
     *
     * @throws IllegalArgumentException if {@code party} is not in {@code 0 .. parties()-1}
     */
    int[] componentsHeldBy(int party);

    /**
     * Whether {@code parties} together hold every component, i.e. can reconstruct.
     *
     * @throws IllegalArgumentException if a party number is out of range
     */
    boolean isQuorum(Set<Integer> parties);

    /**
     * Shares a scalar. Element {@code p} of the result is the message for party {@code p}: the values
     * of the components {@link #componentsHeldBy(int) componentsHeldBy(p)}, in that order.
     */
    int[][] share(int secret);

    /**
     * Shares a vector, every component at full size. Element {@code p} of the result is the message
     * for party {@code p}.
     *
     * @throws IllegalArgumentException if {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     */
    VectorShare[] share(int[] secret);

    /**
     * Shares a vector with seed compression: every component but the last is a
     * {@link SeededComponent} (a 32-byte seed on the wire, expanded with AES-256-CTR); only the last
     * component travels at full size.
     *
     * @throws IllegalArgumentException if {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     */
    VectorShare[] shareCompressed(int[] secret);

    /**
     * A new {@link VectorSharer} for this scheme, drawing from the same randomness: shares vectors into
     * caller-supplied, reusable arrays, and is how to share many vectors at the PRG's speed. Not
     * thread-safe (one per thread), unlike the scheme.
     */
    VectorSharer vectorSharer();

    /**
     * Reconstructs a scalar from the values (or partial sums) of a quorum: {@code held.get(p)} are
     * party {@code p}'s values in {@link #componentsHeldBy(int)} order. A component supplied by
     * several parties must carry the same value from each.
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if two parties disagree on a component
     * @throws IllegalArgumentException if a party number is out of range or an array has the wrong size
     */
    int reconstruct(Map<Integer, int[]> held);

    /**
     * Reconstructs a vector from the shares of a quorum (at most one share per party).
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if two parties disagree on a component
     * @throws IllegalArgumentException if shares do not match this scheme (party, components, lengths)
     */
    int[] reconstruct(Collection<VectorShare> shares);

    /**
     * Reveals the sum of the secrets from the partial sums of a quorum. All partial sums must cover
     * the same contributor set (same {@link PartialSum#contributorDigest()}) and the same length.
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if the partial sums cover different contributor sets or
     *     disagree on a component
     * @throws IllegalArgumentException if partial sums do not match this scheme
     */
    int[] reveal(Collection<PartialSum> partialSums);
}
