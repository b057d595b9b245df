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
        long endedAt) {

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
