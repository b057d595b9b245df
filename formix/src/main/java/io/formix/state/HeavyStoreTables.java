package io.formix.state;

import io.formix.state.HeavyStore.Report;
import io.formix.transport.PartyId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tables of a heavy node's private {@code node.db}, as {@link SqliteHeavyStore} uses them: one
 * row per computation in {@code computations} (its heavy nodes and invited lights as joined lists),
 * and one table per kind of arrival ({@code shares}, {@code declines}, {@code late}, {@code reports},
 * {@code partials}, {@code undelivered}), each keyed by computation and sender so that an insert is
 * idempotent. Shares and partial sums are stored encoded, as they came. The rows of
 * {@code computations} are read by {@link HeavyEntries}.
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

    /** Reads column 1 as a node uid. */
    static final Sqlite.Row<PartyId> LIGHT = rs -> PartyId.of(rs.getString(1));

    /** The reports stored for computation {@code id}, by heavy node in order. */
    static Map<PartyId, Report> reports(Connection c, String id) throws SQLException {
        Map<PartyId, Report> out = new LinkedHashMap<>();
        for (Report r : Sqlite.query(
                c,
                "SELECT heavy, lights, late FROM reports WHERE computation = ? ORDER BY heavy",
                rs -> new Report(
                        PartyId.of(rs.getString(1)), new TreeSet<>(StoreFiles.split(rs.getString(2))), rs.getInt(3)),
                id)) {
            out.put(r.heavy(), r);
        }
        return out;
    }

    /** The encoded partial sums stored for computation {@code id}, by heavy node. */
    static Map<PartyId, String> partials(Connection c, String id) throws SQLException {
        Map<PartyId, String> out = new TreeMap<>();
        for (Map.Entry<PartyId, String> p : Sqlite.query(
                c,
                "SELECT heavy, encoded FROM partials WHERE computation = ?",
                rs -> Map.entry(PartyId.of(rs.getString(1)), rs.getString(2)),
                id)) {
            out.put(p.getKey(), p.getValue());
        }
        return out;
    }

    /** How many invited lights never got computation {@code id}, by reason. */
    static Map<String, Integer> undelivered(Connection c, String id) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        for (Map.Entry<String, Integer> e : Sqlite.query(
                c,
                "SELECT reason, COUNT(*) FROM undelivered WHERE computation = ? GROUP BY reason",
                rs -> Map.entry(rs.getString(1), rs.getInt(2)),
                id)) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
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
