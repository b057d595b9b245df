package io.formix.state;

import io.formix.transport.PartyId;
import java.util.List;

/**
 * One row of {@code network.db}'s {@code computations} table: the public face of a computation.
 *
 * @param deadline epoch ms at which the heavy nodes close collection
 * @param graceMs how long after the deadline heavy node 1 waits for the other heavy nodes
 * @param invited number of light nodes the computation was broadcast to
 * @param answers shares heavy node 1 has received so far (progress)
 * @param participants light nodes whose shares reached all three heavy nodes (set at the close)
 * @param result the revealed total mod 2^32 as an unsigned value, or -1 when not revealed
 * @param late shares that arrived at a heavy node after it had closed (ignored, counted)
 * @param scheme the sharing scheme id ({@code additive-3}, {@code replicated-2of3}; a query's:
 *     {@code additive-3-z64}, {@code replicated-2of3-z64})
 * @param query the canonical JSON text of the computation's query, or null for a computation
 *     answered with a number within {@code schema}
 * @param dpEpsilon the ε of the differential privacy the heavy nodes add, or null for none
 * @param value the typed value of the revealed total ({@code io.formix.query.Decoder}'s JSON text),
 *     or null (not revealed, or not a query)
 * @param proposer the node that proposed it, or null when unknown: the sender of a {@code propose}
 *     message heavy node 1 received, or the node of this home a {@code comp propose --from} named
 */
public record ComputationRecord(
        String id,
        String prompt,
        String schema,
        int threshold,
        long deadline,
        long graceMs,
        List<PartyId> heavy,
        Status status,
        int invited,
        int answers,
        int participants,
        long result,
        String reason,
        int late,
        long createdAt,
        long endedAt,
        String scheme,
        String query,
        java.math.BigDecimal dpEpsilon,
        String value,
        PartyId proposer) {

    /** The additive 3-of-3 scheme, the default. */
    public static final String DEFAULT_SCHEME = "additive-3";

    public ComputationRecord {
        scheme = scheme == null || scheme.isEmpty() ? DEFAULT_SCHEME : scheme;
    }

    /** A computation without a query (answered with a number within {@code schema}). */
    public ComputationRecord(
            String id,
            String prompt,
            String schema,
            int threshold,
            long deadline,
            long graceMs,
            List<PartyId> heavy,
            Status status,
            int invited,
            int answers,
            int participants,
            long result,
            String reason,
            int late,
            long createdAt,
            long endedAt,
            String scheme) {
        this(
                id,
                prompt,
                schema,
                threshold,
                deadline,
                graceMs,
                heavy,
                status,
                invited,
                answers,
                participants,
                result,
                reason,
                late,
                createdAt,
                endedAt,
                scheme,
                null,
                null,
                null,
                null);
    }

    /** This computation with a query and the ε of its differential privacy (null: none). */
    public ComputationRecord withQuery(String query, java.math.BigDecimal dpEpsilon) {
        return with(query, dpEpsilon, value, proposer);
    }

    /** This computation with the typed value of its total. */
    public ComputationRecord withValue(String value) {
        return with(query, dpEpsilon, value, proposer);
    }

    /** This computation proposed by {@code proposer} (null: unknown). */
    public ComputationRecord withProposer(PartyId proposer) {
        return with(query, dpEpsilon, value, proposer);
    }

    /** This computation with the given fields, everything else the same. */
    private ComputationRecord with(String query, java.math.BigDecimal dpEpsilon, String value, PartyId proposer) {
        return new ComputationRecord(
                id,
                prompt,
                schema,
                threshold,
                deadline,
                graceMs,
                heavy,
                status,
                invited,
                answers,
                participants,
                result,
                reason,
                late,
                createdAt,
                endedAt,
                scheme,
                query,
                dpEpsilon,
                value,
                proposer);
    }

    /** A computation shared with the default scheme ({@value #DEFAULT_SCHEME}). */
    public ComputationRecord(
            String id,
            String prompt,
            String schema,
            int threshold,
            long deadline,
            long graceMs,
            List<PartyId> heavy,
            Status status,
            int invited,
            int answers,
            int participants,
            long result,
            String reason,
            int late,
            long createdAt,
            long endedAt) {
        this(
                id,
                prompt,
                schema,
                threshold,
                deadline,
                graceMs,
                heavy,
                status,
                invited,
                answers,
                participants,
                result,
                reason,
                late,
                createdAt,
                endedAt,
                DEFAULT_SCHEME);
    }

    /** The public state machine of a computation. */
    public enum Status {
        PROPOSED,
        BROADCAST,
        COLLECTING,
        AGGREGATING,
        REVEALED,
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean isFinal() {
            return this == REVEALED || this == FAILED;
        }

        public static Status parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    public PartyId heavy1() {
        return heavy.get(0);
    }
}
