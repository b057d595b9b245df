package io.formix.state;

import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code network.db}'s {@code nodes} table: the registry of nodes and the processes running them. */
final class NodeRows {

    static final String BASE_NODE_COLUMNS =
            "seq, uid, role, approval, created_at, pid, pid_start, tcp_port, started_at, stop_requested";
    private static final String NODE_COLUMNS = BASE_NODE_COLUMNS + ", local, admitted, roster_pos";
    /** Network order: admitted nodes in roster order, then the others in creation order. */
    private static final String NODE_ORDER = " ORDER BY roster_pos IS NULL, roster_pos, seq";

    private final Sqlite db;

    NodeRows(Sqlite db) {
        this.db = db;
    }

    /**
     * Creates {@code count} nodes named {@code heavy-N} / {@code light-NNNN}, numbered after the
     * highest existing number of that role, in one transaction, as members of a network without a
     * roster (tests and tools that run nodes over memory; the CLI uses the tagged form and admits
     * nodes through the signed roster).
     */
    public List<NodeRecord> createNodes(Role role, int count, Approval approval, long now) {
        return createNodes(role, count, approval, now, null, true);
    }

    /**
     * Creates {@code count} local, not yet admitted nodes named {@code heavy-<tag>-N} /
     * {@code light-<tag>-NNNN} ({@code heavy-N} / {@code light-NNNN} when {@code tag} is null),
     * numbered after the highest existing number of that role and tag, in one transaction.
     */
    public List<NodeRecord> createNodes(Role role, int count, Approval approval, long now, String tag) {
        return createNodes(role, count, approval, now, tag, false);
    }

    private List<NodeRecord> createNodes(
            Role role, int count, Approval approval, long now, String tag, boolean admitted) {
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("count must be 1..100000, got " + count);
        }
        String prefix = tag == null ? "" : tag + "-";
        return db.write(c -> {
            int next = highestNumber(c, role, prefix) + 1;
            List<NodeRecord> created = new ArrayList<>(count);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO nodes(uid, role, approval, created_at, admitted) VALUES (?,?,?,?,?)")) {
                for (int i = 0; i < count; i++) {
                    PartyId uid = PartyId.of(
                            role == Role.HEAVY
                                    ? "heavy-" + prefix + (next + i)
                                    : String.format("light-%s%04d", prefix, next + i));
                    ps.setString(1, uid.value());
                    ps.setString(2, role.label());
                    ps.setString(3, approval.label());
                    ps.setLong(4, now);
                    ps.setInt(5, admitted ? 1 : 0);
                    ps.addBatch();
                    created.add(new NodeRecord(0, uid, role, approval, now, 0, 0, 0, 0, false, true, admitted, -1));
                }
                ps.executeBatch();
            }
            return created;
        });
    }

    private static int highestNumber(Connection c, Role role, String prefix) throws SQLException {
        int max = 0;
        Pattern numbered = Pattern.compile(role.label() + "-" + Pattern.quote(prefix) + "(\\d{1,9})");
        for (String uid :
                Sqlite.query(c, "SELECT uid FROM nodes WHERE role = ?", rs -> rs.getString(1), role.label())) {
            Matcher m = numbered.matcher(uid);
            if (m.matches()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        return max;
    }

    /**
     * All nodes (of {@code role}, or all when null), local or not, admitted or not, in network order:
     * admitted nodes in roster order, then the others in creation order.
     */
    public List<NodeRecord> nodes(Role role) {
        if (role == null) {
            return db.query("SELECT " + NODE_COLUMNS + " FROM nodes" + NODE_ORDER, NodeRows::readNode);
        }
        return db.query(
                "SELECT " + NODE_COLUMNS + " FROM nodes WHERE role = ?" + NODE_ORDER, NodeRows::readNode, role.label());
    }

    /** The admitted nodes (of {@code role}, or all when null) in roster order: the network's members. */
    public List<NodeRecord> members(Role role) {
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord r : nodes(role)) {
            if (r.admitted()) {
                out.add(r);
            }
        }
        return out;
    }

    /** Nodes of this home only, in network order. */
    public List<NodeRecord> localNodes(Role role) {
        List<NodeRecord> out = new ArrayList<>();
        for (NodeRecord r : nodes(role)) {
            if (r.local()) {
                out.add(r);
            }
        }
        return out;
    }

    public Optional<NodeRecord> node(PartyId uid) {
        return db
                .query("SELECT " + NODE_COLUMNS + " FROM nodes WHERE uid = ?", NodeRows::readNode, uid.value())
                .stream()
                .findFirst();
    }

    /** Removes the nodes; returns how many rows went. */
    public int removeNodes(Collection<PartyId> uids) {
        return db.write(c -> {
            int n = 0;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM nodes WHERE uid = ?")) {
                for (PartyId uid : uids) {
                    ps.setString(1, uid.value());
                    n += ps.executeUpdate();
                }
            }
            return n;
        });
    }

    /** Records that process {@code pid} (started at {@code pidStart}) now runs these nodes. */
    public void markStarted(Collection<PartyId> uids, long pid, long pidStart, long now) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE nodes SET pid = ?, pid_start = ?, " + "started_at = ?, stop_requested = 0 WHERE uid = ?")) {
                for (PartyId uid : uids) {
                    ps.setLong(1, pid);
                    ps.setLong(2, pidStart);
                    ps.setLong(3, now);
                    ps.setString(4, uid.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Clears the process of these nodes, only where it is still {@code pid}. */
    public void markStopped(Collection<PartyId> uids, long pid) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET pid = 0, pid_start = 0, tcp_port = 0, "
                    + "stop_requested = 0 WHERE uid = ? AND pid = ?")) {
                for (PartyId uid : uids) {
                    ps.setString(1, uid.value());
                    ps.setLong(2, pid);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Asks the host of these nodes to stop them (used when the host keeps other nodes running). */
    public void requestStop(Collection<PartyId> uids) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET stop_requested = 1 WHERE uid = ?")) {
                for (PartyId uid : uids) {
                    ps.setString(1, uid.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Records the tcp port a node listens on. */
    public void setTcpPort(PartyId uid, int port) {
        db.update("UPDATE nodes SET tcp_port = ? WHERE uid = ?", port, uid.value());
    }

    private static NodeRecord readNode(ResultSet rs) throws SQLException {
        long pos = rs.getLong(13);
        if (rs.wasNull()) {
            pos = -1;
        }
        return new NodeRecord(
                rs.getLong(1),
                PartyId.of(rs.getString(2)),
                Role.parse(rs.getString(3)),
                Approval.parse(rs.getString(4)),
                rs.getLong(5),
                rs.getLong(6),
                rs.getLong(7),
                rs.getInt(8),
                rs.getLong(9),
                rs.getInt(10) != 0,
                rs.getInt(11) != 0,
                rs.getInt(12) != 0,
                pos);
    }
}
