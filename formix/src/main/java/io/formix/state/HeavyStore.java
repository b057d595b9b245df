package io.formix.state;

import static io.formix.state.Sqlite.query;
import static io.formix.state.Sqlite.update;

import io.formix.transport.PartyId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A heavy node's private {@code node.db}: the computations it aggregates, the shares it received
 * (one per light node and computation — a duplicate is stored once), the shares that came after
 * its close (only counted), and, on heavy node 1, the other heavy nodes' reports and partial sums.
 * It never holds a light node's answer, only uniformly random shares of it.
 *
 * <p>The per-computation state machine: ({@code broadcasting} on heavy node 1) →
 * {@code collecting} → {@code closed} (received set frozen) → {@code aggregating} (final set
 * known, partial sum computed) → {@code revealed} | {@code failed}.
 */
public final class HeavyStore implements AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS computations (
              id          TEXT PRIMARY KEY,
              my_index    INTEGER NOT NULL,
              prompt      TEXT NOT NULL,
              schema      TEXT NOT NULL,
              threshold   INTEGER NOT NULL,
              deadline    INTEGER NOT NULL,
              grace_ms    INTEGER NOT NULL,
              heavy1      TEXT NOT NULL,
              heavy2      TEXT NOT NULL,
              heavy3      TEXT NOT NULL,
              invited     TEXT NOT NULL,
              state       TEXT NOT NULL,
              final_set   TEXT,
              reason      TEXT,
              created_at  INTEGER NOT NULL,
              closed_at   INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS computations_state ON computations(state);
            CREATE TABLE IF NOT EXISTS shares (
              computation TEXT NOT NULL,
              light       TEXT NOT NULL,
              share       INTEGER NOT NULL,
              arrived_at  INTEGER NOT NULL,
              PRIMARY KEY (computation, light)
            );
            CREATE TABLE IF NOT EXISTS declines (
              computation TEXT NOT NULL,
              light       TEXT NOT NULL,
              PRIMARY KEY (computation, light)
            );
            CREATE TABLE IF NOT EXISTS late (
              computation TEXT NOT NULL,
              light       TEXT NOT NULL,
              PRIMARY KEY (computation, light)
            );
            CREATE TABLE IF NOT EXISTS reports (
              computation TEXT NOT NULL,
              heavy       TEXT NOT NULL,
              lights      TEXT NOT NULL,
              late        INTEGER NOT NULL,
              PRIMARY KEY (computation, heavy)
            );
            CREATE TABLE IF NOT EXISTS partials (
              computation TEXT NOT NULL,
              heavy       TEXT NOT NULL,
              sum         INTEGER NOT NULL,
              PRIMARY KEY (computation, heavy)
            )
            """;

    /** Heavy-side states. */
    public enum State {
        BROADCASTING, COLLECTING, CLOSED, AGGREGATING, REVEALED, FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public boolean isFinal() {
            return this == REVEALED || this == FAILED;
        }

        static State parse(String s) {
            return valueOf(s.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** What happened to an incoming share or decline. */
    public enum Intake {
        /** Stored; it will count if the light node is in the final set. */
        ACCEPTED,
        /** This light node already had a share (or decline) here: stored once. */
        DUPLICATE,
        /** Arrived after this heavy node closed the computation: ignored and counted. */
        LATE
    }

    /** A computation as this heavy node sees it. */
    public record Entry(String id, int myIndex, String prompt, String schema, int threshold, long deadline,
                        long graceMs, List<PartyId> heavy, Set<PartyId> invited, State state, Set<PartyId> finalSet,
                        String reason) {
    }

    /** A report from another heavy node: the lights whose shares it holds at its close. */
    public record Report(PartyId heavy, Set<PartyId> lights, int late) {
    }

    private final Sqlite db;

    private HeavyStore(Sqlite db) {
        this.db = db;
    }

    public static HeavyStore open(FormixHome home, PartyId uid) {
        return new HeavyStore(Sqlite.open(home.nodeDb(uid), SCHEMA));
    }

    /** Records a computation this node takes part in; false if already known. */
    public boolean create(String id, int myIndex, String prompt, String schema, int threshold, long deadline,
                          long graceMs, List<PartyId> heavy, Collection<PartyId> invited, State initial, long now) {
        return db.update("INSERT OR IGNORE INTO computations(id, my_index, prompt, schema, threshold, deadline, "
                + "grace_ms, heavy1, heavy2, heavy3, invited, state, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                id, myIndex, prompt, schema, threshold, deadline, graceMs, heavy.get(0).value(), heavy.get(1).value(),
                heavy.get(2).value(), join(invited), initial.label(), now) == 1;
    }

    public Optional<Entry> entry(String id) {
        return entries("WHERE id = ?", id).stream().findFirst();
    }

    /** Computations not yet revealed or failed, oldest first. */
    public List<Entry> open() {
        return entries("WHERE state NOT IN ('revealed','failed') ORDER BY created_at");
    }

    /** Every computation, oldest first. */
    public List<Entry> all() {
        return entries("ORDER BY created_at");
    }

    /** Moves {@code from} to {@code to}; false if the computation was not in {@code from}. */
    public boolean transition(String id, State from, State to) {
        return db.update("UPDATE computations SET state = ? WHERE id = ? AND state = ?", to.label(), id,
                from.label()) == 1;
    }

    /**
     * Stores a share unless this light node already has one here or the computation is closed
     * (then it is only counted as late). The check and the insert are one transaction.
     */
    public Intake addShare(String id, PartyId light, int share, long now) {
        return db.write(c -> {
            if (isClosed(c, id)) {
                update(c, "INSERT OR IGNORE INTO late(computation, light) VALUES (?,?)", id, light.value());
                return Intake.LATE;
            }
            return update(c, "INSERT OR IGNORE INTO shares(computation, light, share, arrived_at) VALUES (?,?,?,?)",
                    id, light.value(), Integer.toUnsignedLong(share), now) == 1 ? Intake.ACCEPTED : Intake.DUPLICATE;
        });
    }

    /** Records that {@code light} declined; same rules as {@link #addShare}. */
    public Intake addDecline(String id, PartyId light) {
        return db.write(c -> {
            if (isClosed(c, id)) {
                return Intake.LATE;
            }
            return update(c, "INSERT OR IGNORE INTO declines(computation, light) VALUES (?,?)", id, light.value()) == 1
                    ? Intake.ACCEPTED : Intake.DUPLICATE;
        });
    }

    private static boolean isClosed(Connection c, String id) throws SQLException {
        List<State> l = query(c, "SELECT state FROM computations WHERE id = ?", rs -> State.parse(rs.getString(1)), id);
        if (l.isEmpty()) {
            return false; // not announced yet: keep the share, it may count
        }
        return l.get(0) != State.BROADCASTING && l.get(0) != State.COLLECTING;
    }

    /** Lights with a stored share for {@code id}. */
    public Set<PartyId> shareHolders(String id) {
        return lights("SELECT light FROM shares WHERE computation = ?", id);
    }

    /** Lights that declined {@code id}. */
    public Set<PartyId> decliners(String id) {
        return lights("SELECT light FROM declines WHERE computation = ?", id);
    }

    /** Number of distinct lights whose share came after the close. */
    public int lateCount(String id) {
        return db.query("SELECT COUNT(*) FROM late WHERE computation = ?", rs -> rs.getInt(1), id).get(0);
    }

    /**
     * Closes collection: {@code collecting} → {@code closed}. Returns the lights (among the
     * invited) whose share this node holds, or empty if the computation was not collecting.
     */
    public Optional<Set<PartyId>> close(String id, long now) {
        return db.write(c -> {
            if (update(c, "UPDATE computations SET state = 'closed', closed_at = ? WHERE id = ? AND state = 'collecting'",
                    now, id) != 1) {
                return Optional.empty();
            }
            return Optional.of(heldInvited(c, id));
        });
    }

    /** The invited lights whose share this node holds (the set it reports). */
    public Set<PartyId> heldInvited(String id) {
        return db.read(c -> heldInvited(c, id));
    }

    private static Set<PartyId> heldInvited(Connection c, String id) throws SQLException {
        Set<PartyId> invited = new TreeSet<>();
        for (String s : query(c, "SELECT invited FROM computations WHERE id = ?", rs -> rs.getString(1), id)) {
            invited.addAll(split(s));
        }
        Set<PartyId> held = new TreeSet<>(query(c, "SELECT light FROM shares WHERE computation = ?", LIGHT, id));
        held.retainAll(invited);
        return held;
    }

    /**
     * Fixes the final set and moves {@code closed} to {@code aggregating}; returns the sum of this
     * node's shares over exactly that set (mod 2^32).
     *
     * @throws IllegalStateException if a light in the set has no share here
     */
    public int aggregate(String id, Set<PartyId> finalSet) {
        return db.write(c -> {
            int sum = 0;
            int found = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT light, share FROM shares WHERE computation = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (finalSet.contains(PartyId.of(rs.getString(1)))) {
                            sum += (int) rs.getLong(2);
                            found++;
                        }
                    }
                }
            }
            if (found != finalSet.size()) {
                throw new IllegalStateException("final set of " + id + " names " + (finalSet.size() - found)
                        + " light node(s) without a share here");
            }
            update(c, "UPDATE computations SET state = 'aggregating', final_set = ? WHERE id = ? AND state IN "
                    + "('closed','aggregating')", join(finalSet), id);
            return sum;
        });
    }

    /** Ends the computation here; false if it had already ended. */
    public boolean finish(String id, State end, String reason) {
        return db.update("UPDATE computations SET state = ?, reason = ? WHERE id = ? "
                + "AND state NOT IN ('revealed','failed')", end.label(), reason, id) == 1;
    }

    /** Stores another heavy node's report once; false if one was already stored. */
    public boolean addReport(String id, PartyId heavy, Set<PartyId> lights, int late) {
        return db.update("INSERT OR IGNORE INTO reports(computation, heavy, lights, late) VALUES (?,?,?,?)",
                id, heavy.value(), join(lights), late) == 1;
    }

    public Map<PartyId, Report> reports(String id) {
        Map<PartyId, Report> out = new LinkedHashMap<>();
        for (Report r : db.query("SELECT heavy, lights, late FROM reports WHERE computation = ? ORDER BY heavy",
                rs -> new Report(PartyId.of(rs.getString(1)), new TreeSet<>(split(rs.getString(2))), rs.getInt(3)),
                id)) {
            out.put(r.heavy(), r);
        }
        return out;
    }

    /** Stores another heavy node's partial sum once; false if one was already stored. */
    public boolean addPartial(String id, PartyId heavy, int sum) {
        return db.update("INSERT OR IGNORE INTO partials(computation, heavy, sum) VALUES (?,?,?)",
                id, heavy.value(), Integer.toUnsignedLong(sum)) == 1;
    }

    public Map<PartyId, Integer> partials(String id) {
        Map<PartyId, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<PartyId, Integer> p : db.query("SELECT heavy, sum FROM partials WHERE computation = ?",
                rs -> Map.entry(PartyId.of(rs.getString(1)), (int) rs.getLong(2)), id)) {
            out.put(p.getKey(), p.getValue());
        }
        return out;
    }

    /** Reads a one-column row holding a light node's uid. */
    private static final Sqlite.Row<PartyId> LIGHT = rs -> PartyId.of(rs.getString(1));

    private Set<PartyId> lights(String sql, String id) {
        return new TreeSet<>(db.query(sql, LIGHT, id));
    }

    private List<Entry> entries(String where, Object... args) {
        return db.query("SELECT id, my_index, prompt, schema, threshold, deadline, grace_ms, heavy1, heavy2, heavy3, "
                + "invited, state, final_set, reason FROM computations " + where, HeavyStore::readEntry, args);
    }

    private static Entry readEntry(ResultSet rs) throws SQLException {
        String fin = rs.getString(13);
        return new Entry(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                rs.getLong(6), rs.getLong(7),
                List.of(PartyId.of(rs.getString(8)), PartyId.of(rs.getString(9)), PartyId.of(rs.getString(10))),
                new TreeSet<>(split(rs.getString(11))), State.parse(rs.getString(12)),
                fin == null ? null : new TreeSet<>(split(fin)), rs.getString(14));
    }

    static String join(Collection<PartyId> ids) {
        StringBuilder b = new StringBuilder();
        for (PartyId id : ids) {
            b.append(b.length() == 0 ? "" : ",").append(id.value());
        }
        return b.toString();
    }

    static List<PartyId> split(String s) {
        List<PartyId> out = new ArrayList<>();
        if (s != null && !s.isEmpty()) {
            for (String p : s.split(",")) {
                out.add(PartyId.of(p));
            }
        }
        return out;
    }

    @Override
    public void close() {
        db.close();
    }
}
