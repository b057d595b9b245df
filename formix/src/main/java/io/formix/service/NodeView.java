package io.formix.service;

import io.formix.state.NodeRecord;
import java.time.Instant;

/**
 * A node as {@code node list --json} prints it (null: not recorded).
 *
 * @param status {@code running}, {@code stopped}, {@code dead}, {@code pending} or {@code remote}
 * @param pid the host process, or null
 * @param tcpPort the tcp transport's port, or null
 * @param createdAt ISO-8601, or null when unknown (a node of another host)
 */
public record NodeView(
        String uid,
        String role,
        String status,
        String approval,
        Long pid,
        Integer tcpPort,
        String createdAt,
        boolean local,
        boolean admitted) {

    /** The node with the status its recorded process has now. */
    static NodeView of(NodeRecord r) {
        return of(r, HostProcesses.status(r));
    }

    static NodeView of(NodeRecord r, String status) {
        return new NodeView(
                r.uid().value(),
                r.role().label(),
                status,
                r.approval().label(),
                r.pid() == 0 ? null : r.pid(),
                r.tcpPort() == 0 ? null : r.tcpPort(),
                r.createdAt() == 0 ? null : Instant.ofEpochMilli(r.createdAt()).toString(),
                r.local(),
                r.admitted());
    }

    /** Whether the node is a heavy node (not a JSON field). */
    public boolean heavyNode() {
        return "heavy".equals(role);
    }
}
