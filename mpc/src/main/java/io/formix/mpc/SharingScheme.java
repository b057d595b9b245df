package io.formix.mpc;

import io.formix.mpc.MpcException.InconsistentSharesException;
import io.formix.mpc.MpcException.NotAQuorumException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * A linear secret-sharing scheme over the ring Z/2^32 or Z/2^64 ({@link #ringBits()}) in which a
 * secret is split into additive <em>components</em> (they sum to the secret mod 2^32, resp. 2^64) and
 * every party holds a fixed subset of them.
 *
 * <p>Parties are numbered {@code 0 .. parties()-1}; components {@code 0 .. componentCount()-1}.
 * Party {@code p} receives exactly the components {@link #componentsHeldBy(int)} lists, in that order,
 * for every secret it is sent. Because the scheme is linear, a party may add the components it holds
 * over many contributors (see {@link ShareAccumulator}); any {@linkplain #isQuorum quorum} of parties
 * then reconstructs the sum of the secrets from their partial sums. A set of parties that is not a
 * quorum misses at least one component, which is uniform and independent of everything they hold, so
 * they learn nothing about the secret.
 *
 * <p><b>The ring.</b> A scheme over Z/2^32 ({@code "additive-3"}, {@code "replicated-2of3"}) holds values
 * in Java {@code int}s and is used through the {@code int} methods: {@link #share(int)},
 * {@link #share(int[])}, {@link #shareCompressed(int[])}, {@link #vectorSharer()},
 * {@link #reconstruct(Map)}, {@link #reconstruct(Collection)}, {@link #reveal(Collection)}. A scheme over
 * Z/2^64 ({@code "additive-3-z64"}, {@code "replicated-2of3-z64"}) holds them in {@code long}s and is
 * used through the {@code long} methods: {@link #share(long[])}, {@link #shareCompressed(long[])},
 * {@link #reconstructLongs(Collection)}, {@link #revealLongs(Collection)} (a scalar is a vector of length
 * 1). The methods of the other ring throw {@link IllegalStateException} naming the ring. Either way
 * arithmetic is Java's wrap-around arithmetic; values are unsigned only when printed or serialised.
 * Shares and partial sums say their ring ({@link VectorShare#ringBits()}, {@link PartialSum#ringBits()});
 * one of the other ring is refused with an {@link IllegalArgumentException}.
 *
 * <p>Randomness comes from a {@link java.security.SecureRandom}: scalar components of
 * {@link #share(int)} are drawn from it directly, vector components are expanded from fresh 32-byte
 * seeds it draws, as {@link SeededComponent} defines (AES-256-CTR; over Z/2^64 an element is 8 bytes of
 * key stream).
 *
 * <p>Implementations are immutable and thread-safe. Arrays passed in are only read; arrays returned
 * are fresh and owned by the caller.
 */
public interface SharingScheme {

    /**
     * A stable identifier of the scheme, its party count and its ring, for protocol messages:
     * {@code "additive-<n>"} or {@code "replicated-2of3"} over Z/2^32, the same followed by {@code "-z64"}
     * over Z/2^64. {@link SharingSchemes#forId(String)} parses it.
     */
    String id();

    /** The ring of the scheme's values, in bits: 32 (Z/2^32, {@code int}s) or 64 (Z/2^64, {@code long}s). */
    int ringBits();

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
     * Shares a scalar of Z/2^32. Element {@code p} of the result is the message for party {@code p}: the
     * values of the components {@link #componentsHeldBy(int) componentsHeldBy(p)}, in that order.
     *
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    int[][] share(int secret);

    /**
     * Shares a vector of Z/2^32, every component at full size. Element {@code p} of the result is the
     * message for party {@code p}.
     *
     * @throws IllegalArgumentException if {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    VectorShare[] share(int[] secret);

    /**
     * Shares a vector of Z/2^64 (a scalar: length 1), every component at full size: element {@code p}
     * of the result is the message for party {@code p}, {@code long} components
     * ({@link ShareComponent#ringBits()} 64) that add up to {@code secret} mod 2^64.
     *
     * @throws IllegalArgumentException if {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     * @throws IllegalStateException if the scheme is over Z/2^32
     */
    VectorShare[] share(long[] secret);

    /**
     * Shares a vector of Z/2^32 with seed compression: every component but the last is a
     * {@link SeededComponent} (a 32-byte seed on the wire, expanded with AES-256-CTR); only the last
     * component travels at full size.
     *
     * @throws IllegalArgumentException if {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    VectorShare[] shareCompressed(int[] secret);

    /**
     * Shares a vector of Z/2^64 with seed compression: every component but the last is a 64-bit
     * {@link SeededComponent} (a 32-byte seed on the wire; element {@code j} is the little-endian
     * {@code int64} at bytes {@code [8j, 8j+8)} of its AES-256-CTR key stream); only the last component,
     * {@code secret} minus the others mod 2^64, travels at full size.
     *
     * @throws IllegalArgumentException if {@code secret} is longer than {@link VectorShare#MAX_LENGTH}
     * @throws IllegalStateException if the scheme is over Z/2^32
     */
    VectorShare[] shareCompressed(long[] secret);

    /**
     * A new {@link VectorSharer} for this scheme, drawing from the same randomness: shares vectors into
     * caller-supplied, reusable arrays, and is how to share many vectors at the PRG's speed. Not
     * thread-safe (one per thread), unlike the scheme. Z/2^32 only.
     *
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    VectorSharer vectorSharer();

    /**
     * Reconstructs a scalar of Z/2^32 from the values (or partial sums) of a quorum: {@code held.get(p)}
     * are party {@code p}'s values in {@link #componentsHeldBy(int)} order. A component supplied by
     * several parties must carry the same value from each.
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if two parties disagree on a component
     * @throws IllegalArgumentException if a party number is out of range or an array has the wrong size
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    int reconstruct(Map<Integer, int[]> held);

    /**
     * Reconstructs a vector of Z/2^32 from the shares of a quorum (at most one share per party).
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if two parties disagree on a component
     * @throws IllegalArgumentException if shares do not match this scheme (party, components, lengths,
     *     ring)
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    int[] reconstruct(Collection<VectorShare> shares);

    /**
     * Reconstructs a vector of Z/2^64 from the shares of a quorum (at most one share per party): the
     * sum mod 2^64 of one copy of every component.
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if two parties disagree on a component
     * @throws IllegalArgumentException if shares do not match this scheme (party, components, lengths,
     *     or a share over Z/2^32)
     * @throws IllegalStateException if the scheme is over Z/2^32
     */
    long[] reconstructLongs(Collection<VectorShare> shares);

    /**
     * Reveals the sum mod 2^32 of the secrets from the partial sums of a quorum. All partial sums must
     * cover the same contributor set (same {@link PartialSum#contributorDigest()}) and the same length.
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if the partial sums cover different contributor sets or
     *     disagree on a component
     * @throws IllegalArgumentException if partial sums do not match this scheme (or are over Z/2^64)
     * @throws IllegalStateException if the scheme is over Z/2^64
     */
    int[] reveal(Collection<PartialSum> partialSums);

    /**
     * Reveals the sum mod 2^64 of the secrets from the 64-bit partial sums of a quorum, with the checks
     * of {@link #reveal}: all partial sums must cover the same contributor set (same
     * {@link PartialSum#contributorDigest()}) and the same length.
     *
     * @throws NotAQuorumException if the parties present are not a quorum
     * @throws InconsistentSharesException if the partial sums cover different contributor sets or
     *     disagree on a component
     * @throws IllegalArgumentException if partial sums do not match this scheme (or are over Z/2^32)
     * @throws IllegalStateException if the scheme is over Z/2^32
     */
    long[] revealLongs(Collection<PartialSum> partialSums);
}
