package io.formix.state;

import io.formix.transport.PartyId;

/**
 * One row of {@code network.db}'s {@code nodes} table.
 *
 * @param seq creation order (the default heavy nodes are the first three by {@code seq})
 * @param pid the host process running the node, or 0 when none was recorded
 * @param pidStart that process's start time (epoch ms) so a reused pid is detected as stale
 * @param tcpPort the node's listening port for the tcp transport, or 0
 * @param stopRequested set by {@code node stop} for a node whose host keeps running other nodes
 * @param local whether this home holds the node's keys (it runs here); false for nodes of other hosts
 * @param admitted whether the network's signed roster lists the node
 * @param rosterPos the node's position in the roster (the network's order), or -1 if not admitted
 */
public record NodeRecord(
        long seq,
        PartyId uid,
        Role role,
        Approval approval,
        long createdAt,
        long pid,
        long pidStart,
        int tcpPort,
        long startedAt,
        boolean stopRequested,
        boolean local,
        boolean admitted,
        long rosterPos) {

    /** A local, admitted node without a roster position (tests, single-host tools). */
    public NodeRecord(
            long seq,
            PartyId uid,
            Role role,
            Approval approval,
            long createdAt,
            long pid,
            long pidStart,
            int tcpPort,
            long startedAt,
            boolean stopRequested) {
        this(seq, uid, role, approval, createdAt, pid, pidStart, tcpPort, startedAt, stopRequested, true, true, -1);
    }

    /** A node's role. */
    public enum Role {
        HEAVY,
        LIGHT;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Role parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "heavy" -> HEAVY;
                case "light" -> LIGHT;
                default -> throw new IllegalArgumentException("unknown role '" + s + "': use heavy or light");
            };
        }
    }

    /** Whether a light node answers computations by itself or waits for {@code comp approve}. */
    public enum Approval {
        AUTO,
        MANUAL;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Approval parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "auto" -> AUTO;
                case "manual" -> MANUAL;
                default -> throw new IllegalArgumentException("unknown approval '" + s + "': use auto or manual");
            };
        }
    }

    public boolean isHeavy() {
        return role == Role.HEAVY;
    }
}
