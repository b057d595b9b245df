package io.formix.state;

import io.formix.state.NodeRecord.Approval;
import io.formix.transport.PartyId;
import java.util.List;
import java.util.Optional;

/** {@code network.db}'s pinned network and the roster applied to the {@code nodes} table. */
final class RosterRows {

    private final Sqlite db;

    /** What {@link #applyRoster} compares of a row. */
    private record Row(String uid, int admitted, Long rosterPos, String idk, int local, byte[] descriptor) {
        /** Whether applying {@code m} would change nothing (the negation of the UPDATE's condition). */
        boolean matches(NetworkDb.Member m) {
            return admitted == 1
                    && rosterPos != null
                    && rosterPos == m.position()
                    && java.util.Objects.equals(idk, m.identityFingerprint())
                    && local == (m.local() ? 1 : 0)
                    && (m.descriptor() == null || java.util.Arrays.equals(descriptor, m.descriptor()));
        }
    }

    RosterRows(Sqlite db) {
        this.db = db;
    }

    /** The pinned network, if this home created or joined one. */
    public Optional<NetworkPin> pin() {
        return db
                .query(
                        "SELECT id, admin_fpr, roster_version, tag FROM network WHERE one = 1",
                        rs -> new NetworkPin(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .stream()
                .findFirst();
    }

    /**
     * Pins this home to a network. Pinning the same network again changes nothing.
     *
     * @throws StateException if the home is already pinned to another network
     */
    public NetworkPin pin(NetworkPin pin, long now) {
        return db.write(c -> {
            List<NetworkPin> have = Sqlite.query(
                    c,
                    "SELECT id, admin_fpr, roster_version, tag FROM network WHERE one = 1",
                    rs -> new NetworkPin(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            if (!have.isEmpty()) {
                NetworkPin old = have.get(0);
                if (!old.networkId().equals(pin.networkId())
                        || !old.adminFingerprint().equals(pin.adminFingerprint())) {
                    throw new StateException(
                            "this home already belongs to network " + old.networkId()
                                    + " — use another --home, or 'formix init --force' to start over",
                            null);
                }
                return old;
            }
            Sqlite.update(
                    c,
                    "INSERT INTO network(one, id, admin_fpr, roster_version, tag, pinned_at) VALUES (1,?,?,?,?,?)",
                    pin.networkId(),
                    pin.adminFingerprint(),
                    pin.rosterVersion(),
                    pin.tag(),
                    now);
            return pin;
        });
    }

    /**
     * Makes the nodes table match a verified roster, in one transaction: every member is upserted
     * (admitted, its roster position, identity fingerprint, descriptor when one was verified, local
     * or not); a local node the roster does not list stays, not admitted; any other node goes. Also
     * records {@code rosterVersion} as accepted. Remote rows hold only what the documents say, so
     * deleting them and applying the same roster gives the same rows.
     */
    public void applyRoster(long rosterVersion, List<NetworkDb.Member> members, long now) {
        db.write(c -> {
            // The rows as they are, read once: only what differs is written (a sync that finds
            // nothing new executes one query, not two statements per member, and writes nothing).
            java.util.Map<String, Row> rows = new java.util.HashMap<>();
            for (Row r : Sqlite.query(
                    c,
                    "SELECT uid, admitted, roster_pos, idk, local, descriptor FROM nodes",
                    rs -> new Row(
                            rs.getString(1),
                            rs.getInt(2),
                            rs.getObject(3) == null ? null : rs.getLong(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getBytes(6)))) {
                rows.put(r.uid(), r);
            }
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (NetworkDb.Member m : members) {
                listed.add(m.uid().value());
                Row have = rows.get(m.uid().value());
                if (have != null && have.matches(m)) {
                    continue;
                }
                if (have != null) {
                    // Conditional: a sync that finds nothing new writes nothing (no data_version change).
                    Sqlite.update(
                            c,
                            "UPDATE nodes SET admitted = 1, roster_pos = ?, idk = ?, "
                                    + "descriptor = COALESCE(?, descriptor), local = ? WHERE uid = ? AND (admitted IS NOT 1 "
                                    + "OR roster_pos IS NOT ? OR idk IS NOT ? OR local IS NOT ? "
                                    + "OR (? IS NOT NULL AND descriptor IS NOT ?))",
                            m.position(),
                            m.identityFingerprint(),
                            m.descriptor(),
                            m.local() ? 1 : 0,
                            m.uid().value(),
                            m.position(),
                            m.identityFingerprint(),
                            m.local() ? 1 : 0,
                            m.descriptor(),
                            m.descriptor());
                } else {
                    Sqlite.update(
                            c,
                            "INSERT INTO nodes(uid, role, approval, created_at, local, admitted, roster_pos, "
                                    + "idk, descriptor) VALUES (?,?,?,?,?,1,?,?,?)",
                            m.uid().value(),
                            m.role().label(),
                            (m.approval() == null ? Approval.AUTO : m.approval()).label(),
                            m.createdAt(),
                            m.local() ? 1 : 0,
                            m.position(),
                            m.identityFingerprint(),
                            m.descriptor());
                }
            }
            for (Row row : rows.values()) {
                if (listed.contains(row.uid())) {
                    continue;
                }
                if (row.local() != 0) {
                    if (row.admitted() == 1 || row.rosterPos() != null) {
                        Sqlite.update(c, "UPDATE nodes SET admitted = 0, roster_pos = NULL WHERE uid = ?", row.uid());
                    }
                } else {
                    Sqlite.update(c, "DELETE FROM nodes WHERE uid = ?", row.uid());
                }
            }
            Sqlite.update(
                    c,
                    "UPDATE network SET roster_version = ? WHERE one = 1 AND roster_version < ?",
                    rosterVersion,
                    rosterVersion);
            return null;
        });
    }

    /** The verified descriptor documents of the admitted nodes, by uid. */
    public java.util.Map<PartyId, byte[]> descriptors() {
        java.util.Map<PartyId, byte[]> out = new java.util.HashMap<>();
        for (Object[] row :
                db.query("SELECT uid, descriptor FROM nodes WHERE admitted = 1 AND descriptor IS NOT NULL", rs ->
                        new Object[] {rs.getString(1), rs.getBytes(2)})) {
            out.put(PartyId.of((String) row[0]), (byte[]) row[1]);
        }
        return out;
    }

    /** Records a local node's identity fingerprint (set when its keys are made). */
    public void setIdentity(PartyId uid, String fingerprint) {
        db.update("UPDATE nodes SET idk = ? WHERE uid = ?", fingerprint, uid.value());
    }

    /** The identity fingerprints recorded, by uid, in one query. */
    public java.util.Map<PartyId, String> identities() {
        java.util.Map<PartyId, String> out = new java.util.HashMap<>();
        for (String[] row : db.query("SELECT uid, idk FROM nodes WHERE idk IS NOT NULL", rs ->
                new String[] {rs.getString(1), rs.getString(2)})) {
            out.put(PartyId.of(row[0]), row[1]);
        }
        return out;
    }

    /** The identity fingerprint recorded for {@code uid}, if any. */
    public Optional<String> identity(PartyId uid) {
        return db
                .query("SELECT idk FROM nodes WHERE uid = ? AND idk IS NOT NULL", rs -> rs.getString(1), uid.value())
                .stream()
                .findFirst();
    }
}
