package io.formix.state;

import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

/**
 * The tables of a heavy node's private {@code node.db}, as {@link SqliteHeavyStore} uses them: one
 * row per computation in {@code computations} (its heavy nodes and invited lights as joined lists),
 * and one table per kind of arrival ({@code shares}, {@code declines}, {@code late}, {@code reports},
 * {@code partials}, {@code undelivered}), each keyed by computation and sender so that an insert is
 * idempotent. Shares and partial sums are stored encoded, as they came.
 */
final class HeavyStoreTables {

    private HeavyStoreTables() {}

    /** The tables, created if missing; statements separated by {@code ;}. */
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS computations (
              id          TEXT PRIMARY KEY,
              my_index    INTEGER NOT NULL,
              prompt      TEXT NOT NULL,
              schema      TEXT NOT NULL,
              scheme      TEXT NOT NULL,
              threshold   INTEGER NOT NULL,
              deadline    INTEGER NOT NULL,
              grace_ms    INTEGER NOT NULL,
              heavies     TEXT NOT NULL,
              invited     TEXT NOT NULL,
              state       TEXT NOT NULL,
              final_set   TEXT,
              reason      TEXT,
              created_at  INTEGER NOT NULL,
              closed_at   INTEGER NOT NULL DEFAULT 0,
              query       TEXT,
              dp_epsilon  TEXT,
              proposer    TEXT
            );
            CREATE INDEX IF NOT EXISTS computations_state ON computations(state);
            CREATE TABLE IF NOT EXISTS shares (
              computation TEXT NOT NULL,
              light       TEXT NOT NULL,
              encoded     BLOB NOT NULL,
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
              encoded     TEXT NOT NULL,
              PRIMARY KEY (computation, heavy)
            );
            CREATE TABLE IF NOT EXISTS undelivered (
              computation TEXT NOT NULL,
              light       TEXT NOT NULL,
              reason      TEXT NOT NULL,
              PRIMARY KEY (computation, light)
            )
            """;

    /** The columns of {@code computations} that {@link #readEntry} reads, in its order. */
    static final String COLUMNS = "id, my_index, prompt, schema, scheme, threshold, deadline, grace_ms, "
            + "heavies, invited, state, final_set, reason, query, dp_epsilon, proposer";

    /** Reads column 1 as a node uid. */
    static final Sqlite.Row<PartyId> LIGHT = rs -> PartyId.of(rs.getString(1));

    /** The invited list last parsed, and its set: every share reads its computation's row again. */
    private record Parsed(String text, java.util.SortedSet<PartyId> set) {}

    private static volatile Parsed lastInvited;

    /**
     * The invited lights of {@code text} as a new sorted set. Parsing ten thousand uids per share
     * (10,000 shares per computation) cost seconds of a heavy node's time; the same text as last
     * time is copied from the set parsed then (a sorted copy, no comparison).
     */
    static TreeSet<PartyId> invited(String text) {
        Parsed p = lastInvited;
        if (p == null || !p.text().equals(text)) {
            p = new Parsed(text, java.util.Collections.unmodifiableSortedSet(new TreeSet<>(StoreFiles.split(text))));
            lastInvited = p;
        }
        return new TreeSet<>(p.set());
    }

    /** Reads a row of {@link #COLUMNS} into an entry. */
    static Entry readEntry(ResultSet rs) throws SQLException {
        String fin = rs.getString(12);
        return new Entry(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getInt(6),
                rs.getLong(7),
                rs.getLong(8),
                List.copyOf(StoreFiles.split(rs.getString(9))),
                invited(rs.getString(10)),
                State.parse(rs.getString(11)),
                fin == null ? null : new TreeSet<>(StoreFiles.split(fin)),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15) == null ? null : new java.math.BigDecimal(rs.getString(15)),
                rs.getString(16) != null && PartyId.isValid(rs.getString(16)) ? PartyId.of(rs.getString(16)) : null);
    }

    /** Columns added after the first layout; a {@code node.db} without them gets them in place. */
    private static final String[] ADDED = {"query", "dp_epsilon", "proposer"};

    /** Opens {@code file}, refusing the oldest layout and adding the {@link #ADDED} columns an older one lacks. */
    static Sqlite open(java.nio.file.Path file) {
        Sqlite db = StoreFiles.open(
                file, SCHEMA, "SELECT scheme, heavies FROM computations LIMIT 0", "SELECT encoded FROM shares LIMIT 0");
        try {
            migrate(db);
        } catch (StateException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** Adds the {@link #ADDED} columns an older {@code node.db} lacks (all nullable text). */
    private static void migrate(Sqlite db) {
        db.write(c -> {
            for (String col : ADDED) {
                if (Sqlite.query(
                                c,
                                "SELECT name FROM pragma_table_info('computations') WHERE name = ?",
                                rs -> rs.getString(1),
                                col)
                        .isEmpty()) {
                    Sqlite.update(c, "ALTER TABLE computations ADD COLUMN " + col + " TEXT");
                }
            }
            return null;
        });
    }
}
