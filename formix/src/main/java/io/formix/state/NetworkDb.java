package io.formix.state;

import io.formix.state.ComputationRecord.Status;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared registry {@code network.db}: the {@code nodes} and {@code computations} tables
 * (schema in {@code docs/state.md}). Every method is one short transaction; conditional updates
 * ({@code WHERE status = ...}) make concurrent writers from different processes safe without
 * read-modify-write races. Thread-safe.
 */
public final class NetworkDb implements AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS nodes (
              seq            INTEGER PRIMARY KEY AUTOINCREMENT,
              uid            TEXT NOT NULL UNIQUE,
              role           TEXT NOT NULL CHECK (role IN ('heavy','light')),
              approval       TEXT NOT NULL DEFAULT 'auto' CHECK (approval IN ('auto','manual')),
              created_at     INTEGER NOT NULL,
              pid            INTEGER NOT NULL DEFAULT 0,
              pid_start      INTEGER NOT NULL DEFAULT 0,
              tcp_port       INTEGER NOT NULL DEFAULT 0,
              started_at     INTEGER NOT NULL DEFAULT 0,
              stop_requested INTEGER NOT NULL DEFAULT 0,
              local          INTEGER NOT NULL DEFAULT 1,
              admitted       INTEGER NOT NULL DEFAULT 0,
              roster_pos     INTEGER,
              idk            TEXT,
              descriptor     BLOB
            );
            CREATE INDEX IF NOT EXISTS nodes_role ON nodes(role, seq);
            CREATE TABLE IF NOT EXISTS network (
              one            INTEGER PRIMARY KEY CHECK (one = 1),
              id             TEXT NOT NULL,
              admin_fpr      TEXT NOT NULL,
              roster_version INTEGER NOT NULL DEFAULT -1,
              tag            TEXT,
              pinned_at      INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS computations (
              id           TEXT PRIMARY KEY,
              prompt       TEXT NOT NULL,
              schema       TEXT NOT NULL,
              threshold    INTEGER NOT NULL,
              deadline     INTEGER NOT NULL,
              grace_ms     INTEGER NOT NULL,
              heavy1       TEXT NOT NULL,
              heavy2       TEXT NOT NULL,
              heavy3       TEXT NOT NULL,
              status       TEXT NOT NULL,
              invited      INTEGER NOT NULL DEFAULT 0,
              answers      INTEGER NOT NULL DEFAULT 0,
              participants INTEGER NOT NULL DEFAULT 0,
              result       INTEGER,
              reason       TEXT,
              late         INTEGER NOT NULL DEFAULT 0,
              created_at   INTEGER NOT NULL,
              ended_at     INTEGER NOT NULL DEFAULT 0,
              proposer     TEXT
            );
            CREATE INDEX IF NOT EXISTS computations_pending ON computations(status, heavy1);
            """;

    private static final String BASE_NODE_COLUMNS =
            "seq, uid, role, approval, created_at, pid, pid_start, tcp_port, started_at, stop_requested";
    private static final String NODE_COLUMNS = BASE_NODE_COLUMNS + ", local, admitted, roster_pos";
    /** Network order: admitted nodes in roster order, then the others in creation order. */
    private static final String NODE_ORDER = " ORDER BY roster_pos IS NULL, roster_pos, seq";
    /** Columns added for multi-machine networks; an older network.db gets them on first writable open. */
    private static final String[][] ADDED_COLUMNS = {
        {"nodes", "local", "INTEGER NOT NULL DEFAULT 1"}, {"nodes", "admitted", "INTEGER NOT NULL DEFAULT 0"},
        {"nodes", "roster_pos", "INTEGER"}, {"nodes", "idk", "TEXT"}, {"nodes", "descriptor", "BLOB"},
        {"computations", "proposer", "TEXT"}};
    private static final String COMP_COLUMNS = "id, prompt, schema, threshold, deadline, grace_ms, heavy1, heavy2, "
            + "heavy3, status, invited, answers, participants, result, reason, late, created_at, ended_at";
    private static final Pattern MISSING = Pattern.compile("(no such (?:table|column): [A-Za-z0-9_.]+)");

    private final Sqlite db;

    private NetworkDb(Sqlite db) {
        this.db = db;
    }

    /**
     * Opens {@code home/network.db}, creating it only in a home that has none and no node folders
     * either. An existing file is checked before anything is written: it must be a regular,
     * non-empty SQLite database holding the Formix tables and columns. Opened read-only when the
     * file or its folder is not writable (a read-only file system): reads work, writes fail with
     * one line naming it.
     *
     * @throws UnusableDatabaseException if the file is empty, missing while {@code nodes/} holds
     *     node folders, not SQLite, corrupt, or not a Formix database
     */
    public static NetworkDb open(FormixHome home) {
        Path file = home.networkDb();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            int folders = nodeFolders(home);
            if (folders > 0) {
                throw new UnusableDatabaseException(file, "is missing, but " + home.home().resolve("nodes") + " holds "
                        + folders + " node folder(s) of a network", null);
            }
            Sqlite.create(file, SCHEMA);
        }
        checkFile(file);
        Sqlite db = openChecked(file);
        try {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT " + BASE_NODE_COLUMNS + " FROM nodes LIMIT 0").close();
                    s.executeQuery("SELECT " + COMP_COLUMNS + " FROM computations LIMIT 0").close();
                }
                return null;
            });
        } catch (StateException e) {
            db.close();
            throw unusable(file, e);
        }
        NetworkDb net = new NetworkDb(db);
        try {
            net.migrate();
        } catch (StateException e) {
            // A read-only copy of an older network.db: readable through the old columns only.
        }
        return net;
    }

    /** Adds the multi-machine columns and the network table to a network.db made by an older version. */
    private void migrate() {
        boolean current = db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT local, admitted, roster_pos, idk, descriptor FROM nodes LIMIT 0").close();
                s.executeQuery("SELECT proposer FROM computations LIMIT 0").close();
                s.executeQuery("SELECT id FROM network LIMIT 0").close();
                return true;
            } catch (SQLException e) {
                return false;
            }
        });
        if (current) {
            return;
        }
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                for (String[] col : ADDED_COLUMNS) {
                    boolean has = !Sqlite.query(c, "SELECT name FROM pragma_table_info('" + col[0] + "') WHERE name = ?",
                            rs -> rs.getString(1), col[1]).isEmpty();
                    if (!has) {
                        s.executeUpdate("ALTER TABLE " + col[0] + " ADD COLUMN " + col[1] + " " + col[2]);
                    }
                }
                s.executeUpdate("UPDATE nodes SET admitted = 1 WHERE roster_pos IS NULL AND idk IS NULL");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS network (one INTEGER PRIMARY KEY CHECK (one = 1), "
                        + "id TEXT NOT NULL, admin_fpr TEXT NOT NULL, roster_version INTEGER NOT NULL DEFAULT -1, "
                        + "tag TEXT, pinned_at INTEGER NOT NULL)");
            }
            return null;
        });
    }

    private static Sqlite openChecked(Path file) {
        try {
            return Sqlite.openExisting(file);
        } catch (StateException e) {
            throw unusable(file, e);
        }
    }

    /** A damaged or foreign file becomes an {@link UnusableDatabaseException}; other failures (disk full, locked) stay. */
    private static StateException unusable(Path file, StateException e) {
        String m = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        if (m.contains("SQLITE_NOTADB") || m.contains("file is not a database")) {
            return new UnusableDatabaseException(file, "is not a SQLite database", e);
        }
        if (m.contains("SQLITE_CORRUPT") || m.contains("malformed")) {
            return new UnusableDatabaseException(file, "is corrupt", e);
        }
        Matcher missing = MISSING.matcher(m);
        if (missing.find()) {
            return new UnusableDatabaseException(file, "is not a Formix database (" + missing.group(1) + ")", e);
        }
        return e;
    }

    private static void checkFile(Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new StateException(StateErrors.describe(e), e);
        }
        if (!a.isRegularFile()) {
            throw new UnusableDatabaseException(file, "is not a regular file", null);
        }
        if (a.size() == 0) {
            // Never a database being created (Sqlite.create links a complete file into place).
            throw new UnusableDatabaseException(file, "is empty (0 bytes)", null);
        }
    }

    /** How many entries {@code home/nodes/} holds (0 when it does not exist). */
    public static int nodeFolders(FormixHome home) {
        Path nodes = home.home().resolve("nodes");
        if (!Files.isDirectory(nodes, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(nodes)) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Changes whenever another connection commits (see {@link Sqlite#dataVersion()}). */
    public long dataVersion() {
        return db.dataVersion();
    }

    // ---------------------------------------------------------------- nodes

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

    private List<NodeRecord> createNodes(Role role, int count, Approval approval, long now, String tag,
                                         boolean admitted) {
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
                    PartyId uid = PartyId.of(role == Role.HEAVY
                            ? "heavy-" + prefix + (next + i) : String.format("light-%s%04d", prefix, next + i));
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
        for (String uid : Sqlite.query(c, "SELECT uid FROM nodes WHERE role = ?", rs -> rs.getString(1), role.label())) {
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
            return db.query("SELECT " + NODE_COLUMNS + " FROM nodes" + NODE_ORDER, NetworkDb::readNode);
        }
        return db.query("SELECT " + NODE_COLUMNS + " FROM nodes WHERE role = ?" + NODE_ORDER, NetworkDb::readNode,
                role.label());
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
        return db.query("SELECT " + NODE_COLUMNS + " FROM nodes WHERE uid = ?", NetworkDb::readNode, uid.value())
                .stream().findFirst();
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
            try (PreparedStatement ps = c.prepareStatement("UPDATE nodes SET pid = ?, pid_start = ?, "
                    + "started_at = ?, stop_requested = 0 WHERE uid = ?")) {
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
        return new NodeRecord(rs.getLong(1), PartyId.of(rs.getString(2)), Role.parse(rs.getString(3)),
                Approval.parse(rs.getString(4)), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                rs.getInt(8), rs.getLong(9), rs.getInt(10) != 0, rs.getInt(11) != 0, rs.getInt(12) != 0, pos);
    }

    // ---------------------------------------------------------------- network membership

    /** The pinned network, if this home created or joined one. */
    public Optional<NetworkPin> pin() {
        return db.query("SELECT id, admin_fpr, roster_version, tag FROM network WHERE one = 1",
                rs -> new NetworkPin(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4))).stream().findFirst();
    }

    /**
     * Pins this home to a network. Pinning the same network again changes nothing.
     *
     * @throws StateException if the home is already pinned to another network
     */
    public NetworkPin pin(NetworkPin pin, long now) {
        return db.write(c -> {
            List<NetworkPin> have = Sqlite.query(c, "SELECT id, admin_fpr, roster_version, tag FROM network WHERE one = 1",
                    rs -> new NetworkPin(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)));
            if (!have.isEmpty()) {
                NetworkPin old = have.get(0);
                if (!old.networkId().equals(pin.networkId()) || !old.adminFingerprint().equals(pin.adminFingerprint())) {
                    throw new StateException("this home already belongs to network " + old.networkId()
                            + " — use another --home, or 'formix init --force' to start over", null);
                }
                return old;
            }
            Sqlite.update(c, "INSERT INTO network(one, id, admin_fpr, roster_version, tag, pinned_at) VALUES (1,?,?,?,?,?)",
                    pin.networkId(), pin.adminFingerprint(), pin.rosterVersion(), pin.tag(), now);
            return pin;
        });
    }

    /** One admitted node as the verified roster and its descriptor give it. */
    /**
     * One admitted node as the verified roster and its descriptor give it; for a local node also
     * its approval and creation time, from the node's own folder (null: defaults), so that a row
     * rebuilt after it was deleted is the row it was.
     */
    public record Member(PartyId uid, Role role, long position, String identityFingerprint, byte[] descriptor,
                         boolean local, Approval approval, long createdAt) {
    }

    /**
     * Makes the nodes table match a verified roster, in one transaction: every member is upserted
     * (admitted, its roster position, identity fingerprint, descriptor when one was verified, local
     * or not); a local node the roster does not list stays, not admitted; any other node goes. Also
     * records {@code rosterVersion} as accepted. Remote rows hold only what the documents say, so
     * deleting them and applying the same roster gives the same rows.
     */
    public void applyRoster(long rosterVersion, List<Member> members, long now) {
        db.write(c -> {
            java.util.Set<String> listed = new java.util.HashSet<>();
            for (Member m : members) {
                listed.add(m.uid().value());
                boolean exists = !Sqlite.query(c, "SELECT 1 FROM nodes WHERE uid = ?", rs -> 1, m.uid().value()).isEmpty();
                if (exists) {
                    // Conditional: a sync that finds nothing new writes nothing (no data_version change).
                    Sqlite.update(c, "UPDATE nodes SET admitted = 1, roster_pos = ?, idk = ?, "
                            + "descriptor = COALESCE(?, descriptor), local = ? WHERE uid = ? AND (admitted IS NOT 1 "
                            + "OR roster_pos IS NOT ? OR idk IS NOT ? OR local IS NOT ? "
                            + "OR (? IS NOT NULL AND descriptor IS NOT ?))", m.position(),
                            m.identityFingerprint(), m.descriptor(), m.local() ? 1 : 0, m.uid().value(),
                            m.position(), m.identityFingerprint(), m.local() ? 1 : 0, m.descriptor(), m.descriptor());
                } else {
                    Sqlite.update(c, "INSERT INTO nodes(uid, role, approval, created_at, local, admitted, roster_pos, "
                            + "idk, descriptor) VALUES (?,?,?,?,?,1,?,?,?)", m.uid().value(), m.role().label(),
                            (m.approval() == null ? Approval.AUTO : m.approval()).label(), m.createdAt(),
                            m.local() ? 1 : 0, m.position(), m.identityFingerprint(), m.descriptor());
                }
            }
            for (Object[] row : Sqlite.query(c, "SELECT uid, local FROM nodes",
                    rs -> new Object[] {rs.getString(1), rs.getInt(2) != 0})) {
                if (listed.contains((String) row[0])) {
                    continue;
                }
                if ((Boolean) row[1]) {
                    Sqlite.update(c, "UPDATE nodes SET admitted = 0, roster_pos = NULL WHERE uid = ? "
                            + "AND (admitted = 1 OR roster_pos IS NOT NULL)", row[0]);
                } else {
                    Sqlite.update(c, "DELETE FROM nodes WHERE uid = ?", row[0]);
                }
            }
            Sqlite.update(c, "UPDATE network SET roster_version = ? WHERE one = 1 AND roster_version < ?",
                    rosterVersion, rosterVersion);
            return null;
        });
    }

    /** The verified descriptor documents of the admitted nodes, by uid. */
    public java.util.Map<PartyId, byte[]> descriptors() {
        java.util.Map<PartyId, byte[]> out = new java.util.HashMap<>();
        for (Object[] row : db.query("SELECT uid, descriptor FROM nodes WHERE admitted = 1 AND descriptor IS NOT NULL",
                rs -> new Object[] {rs.getString(1), rs.getBytes(2)})) {
            out.put(PartyId.of((String) row[0]), (byte[]) row[1]);
        }
        return out;
    }

    /** Records a local node's identity fingerprint (set when its keys are made). */
    public void setIdentity(PartyId uid, String fingerprint) {
        db.update("UPDATE nodes SET idk = ? WHERE uid = ?", fingerprint, uid.value());
    }

    /** The identity fingerprint recorded for {@code uid}, if any. */
    public Optional<String> identity(PartyId uid) {
        return db.query("SELECT idk FROM nodes WHERE uid = ? AND idk IS NOT NULL", rs -> rs.getString(1), uid.value())
                .stream().findFirst();
    }

    // ---------------------------------------------------------------- computations

    /** Inserts a new computation in status {@code proposed}. */
    public void insertComputation(ComputationRecord r) {
        db.update("INSERT INTO computations(id, prompt, schema, threshold, deadline, grace_ms, heavy1, heavy2, "
                + "heavy3, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", r.id(), r.prompt(), r.schema(),
                r.threshold(), r.deadline(), r.graceMs(), r.heavy().get(0).value(), r.heavy().get(1).value(),
                r.heavy().get(2).value(), Status.PROPOSED.label(), r.createdAt());
    }

    /**
     * Records a proposal that arrived as a message from {@code proposer}, in status
     * {@code proposed}; returns false if the computation was already known here.
     */
    public boolean insertProposal(ComputationRecord r, PartyId proposer) {
        return db.update("INSERT OR IGNORE INTO computations(id, prompt, schema, threshold, deadline, grace_ms, heavy1, "
                + "heavy2, heavy3, status, created_at, proposer) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", r.id(), r.prompt(),
                r.schema(), r.threshold(), r.deadline(), r.graceMs(), r.heavy().get(0).value(), r.heavy().get(1).value(),
                r.heavy().get(2).value(), Status.PROPOSED.label(), r.createdAt(), proposer.value()) == 1;
    }

    /** The node that sent the proposal {@code id} to heavy node 1, if it came as a message. */
    public Optional<PartyId> proposer(String id) {
        return db.query("SELECT proposer FROM computations WHERE id = ? AND proposer IS NOT NULL",
                rs -> PartyId.of(rs.getString(1)), id).stream().findFirst();
    }

    /**
     * Records the outcome of a computation that heavy node 1 ended on another host: inserts the
     * computation if this host never saw it, then ends it (a no-op if it already ended here).
     *
     * @return whether the row changed
     */
    public boolean recordOutcome(ComputationRecord r) {
        return db.write(c -> {
            Sqlite.update(c, "INSERT OR IGNORE INTO computations(id, prompt, schema, threshold, deadline, grace_ms, "
                    + "heavy1, heavy2, heavy3, status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", r.id(), r.prompt(),
                    r.schema(), r.threshold(), r.deadline(), r.graceMs(), r.heavy().get(0).value(),
                    r.heavy().get(1).value(), r.heavy().get(2).value(), Status.PROPOSED.label(), r.createdAt());
            return Sqlite.update(c, "UPDATE computations SET status = ?, result = ?, participants = ?, invited = ?, "
                    + "answers = MAX(answers, ?), late = MAX(late, ?), reason = ?, ended_at = ? "
                    + "WHERE id = ? AND status NOT IN ('revealed','failed')", r.status().label(),
                    r.status() == Status.REVEALED ? r.result() : null, r.participants(), r.invited(), r.answers(),
                    r.late(), r.reason(), r.endedAt(), r.id()) == 1;
        });
    }

    public Optional<ComputationRecord> computation(String id) {
        return db.query("SELECT " + COMP_COLUMNS + " FROM computations WHERE id = ?", NetworkDb::readComputation, id)
                .stream().findFirst();
    }

    /** All computations, newest first. */
    public List<ComputationRecord> computations() {
        return db.query("SELECT " + COMP_COLUMNS + " FROM computations ORDER BY created_at DESC, id",
                NetworkDb::readComputation);
    }

    /** Computations in {@code status} whose heavy node 1 is {@code heavy1}. */
    public List<ComputationRecord> computations(Status status, PartyId heavy1) {
        return db.query("SELECT " + COMP_COLUMNS + " FROM computations WHERE status = ? AND heavy1 = ? "
                + "ORDER BY created_at", NetworkDb::readComputation, status.label(), heavy1.value());
    }

    /** Computations not yet revealed or failed. */
    public List<ComputationRecord> openComputations() {
        return db.query("SELECT " + COMP_COLUMNS + " FROM computations WHERE status NOT IN ('revealed','failed') "
                + "ORDER BY created_at", NetworkDb::readComputation);
    }

    /**
     * Moves a computation to {@code to} if it is not yet final and not already past {@code to};
     * returns whether the row changed.
     */
    public boolean advance(String id, Status to, int invited) {
        return db.update("UPDATE computations SET status = ?, invited = CASE WHEN ? >= 0 THEN ? ELSE invited END "
                + "WHERE id = ? AND status IN (" + earlierThan(to) + ")", to.label(), invited, invited, id) == 1;
    }

    /** Records progress (shares received by heavy node 1 so far). */
    public void setAnswers(String id, int answers) {
        db.update("UPDATE computations SET answers = MAX(answers, ?) WHERE id = ?", answers, id);
    }

    /** Reveals the total; returns false if the computation had already ended. */
    public boolean reveal(String id, int total, int participants, int late, long now) {
        return end(id, Status.REVEALED, Integer.toUnsignedLong(total), participants, late, null, now);
    }

    /** Fails the computation with {@code reason}; returns false if it had already ended. */
    public boolean fail(String id, String reason, int participants, int late, long now) {
        return end(id, Status.FAILED, -1, participants, late, reason, now);
    }

    private boolean end(String id, Status status, long result, int participants, int late, String reason, long now) {
        return db.update("UPDATE computations SET status = ?, result = ?, "
                + "participants = CASE WHEN ? >= 0 THEN ? ELSE participants END, late = MAX(late, ?), "
                + "reason = ?, ended_at = ? WHERE id = ? AND status NOT IN ('revealed','failed')", status.label(),
                result >= 0 ? result : null, participants, participants, late, reason, now, id) == 1;
    }

    private static String earlierThan(Status to) {
        StringBuilder b = new StringBuilder();
        for (Status s : Status.values()) {
            if (s.ordinal() >= to.ordinal()) {
                break;
            }
            b.append(b.length() == 0 ? "" : ",").append('\'').append(s.label()).append('\'');
        }
        return b.length() == 0 ? "''" : b.toString();
    }

    private static ComputationRecord readComputation(ResultSet rs) throws SQLException {
        long result = rs.getLong(14);
        if (rs.wasNull()) {
            result = -1;
        }
        return new ComputationRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                rs.getLong(5), rs.getLong(6),
                List.of(PartyId.of(rs.getString(7)), PartyId.of(rs.getString(8)), PartyId.of(rs.getString(9))),
                Status.parse(rs.getString(10)), rs.getInt(11), rs.getInt(12), rs.getInt(13), result,
                rs.getString(15), rs.getInt(16), rs.getLong(17), rs.getLong(18));
    }

    @Override
    public void close() {
        db.close();
    }
}
