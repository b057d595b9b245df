package io.formix.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opening {@code network.db}: its schema, the checks made before anything is written (a damaged or
 * foreign file is refused with what to do), and the migration of a file made by an older version.
 */
final class NetworkDbFiles {

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
              heavies      TEXT NOT NULL,
              status       TEXT NOT NULL,
              invited      INTEGER NOT NULL DEFAULT 0,
              answers      INTEGER NOT NULL DEFAULT 0,
              participants INTEGER NOT NULL DEFAULT 0,
              result       INTEGER,
              reason       TEXT,
              late         INTEGER NOT NULL DEFAULT 0,
              created_at   INTEGER NOT NULL,
              ended_at     INTEGER NOT NULL DEFAULT 0,
              proposer     TEXT,
              scheme       TEXT NOT NULL DEFAULT 'additive-3',
              query        TEXT,
              dp_epsilon   TEXT,
              value        TEXT
            );
            CREATE INDEX IF NOT EXISTS computations_status ON computations(status);
            CREATE TABLE IF NOT EXISTS undelivered (
              computation  TEXT NOT NULL,
              reason       TEXT NOT NULL,
              lights       INTEGER NOT NULL,
              PRIMARY KEY (computation, reason)
            );
            """;

    /** Columns added for multi-machine networks; an older network.db gets them on first writable open. */
    private static final String[][] ADDED_COLUMNS = {
        {"nodes", "local", "INTEGER NOT NULL DEFAULT 1"},
        {"nodes", "admitted", "INTEGER NOT NULL DEFAULT 0"},
        {"nodes", "roster_pos", "INTEGER"},
        {"nodes", "idk", "TEXT"},
        {"nodes", "descriptor", "BLOB"},
        {"computations", "proposer", "TEXT"},
        {"computations", "scheme", "TEXT NOT NULL DEFAULT 'additive-3'"},
        {"computations", "query", "TEXT"},
        {"computations", "dp_epsilon", "TEXT"},
        {"computations", "value", "TEXT"}
    };
    /** Columns every version has: what an open checks before migrating. */
    private static final String BASE_COMP_COLUMNS = "id, prompt, schema, threshold, deadline, grace_ms, status, "
            + "invited, answers, participants, result, reason, late, created_at, ended_at";

    private static final Pattern MISSING = Pattern.compile("(no such (?:table|column): [A-Za-z0-9_.]+)");

    private NetworkDbFiles() {}

    /** Opens (creating if allowed), checks and migrates {@code home/network.db}; see {@link NetworkDb#open}. */
    static Sqlite open(FormixHome home) {
        Path file = home.networkDb();
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            int folders = nodeFolders(home);
            if (folders > 0) {
                throw new UnusableDatabaseException(
                        file,
                        "is missing, but " + home.home().resolve("nodes") + " holds " + folders
                                + " node folder(s) of a network",
                        null);
            }
            Sqlite.create(file, SCHEMA);
        }
        checkFile(file);
        Sqlite db = openChecked(file);
        try {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    s.executeQuery("SELECT " + NodeRows.BASE_NODE_COLUMNS + " FROM nodes LIMIT 0")
                            .close();
                    s.executeQuery("SELECT " + BASE_COMP_COLUMNS + " FROM computations LIMIT 0")
                            .close();
                }
                return null;
            });
        } catch (StateException e) {
            db.close();
            throw unusable(file, e);
        }
        try {
            migrate(db);
        } catch (StateException e) {
            // A read-only copy of an older network.db: readable through the old columns only.
        }
        return db;
    }

    /**
     * Brings a network.db made by an older version up to date: the multi-machine columns and the
     * network table, and the heavy nodes as one {@code heavies} column instead of one per index.
     */
    private static void migrate(Sqlite db) {
        boolean current = db.read(c -> {
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT local, admitted, roster_pos, idk, descriptor FROM nodes LIMIT 0")
                        .close();
                s.executeQuery("SELECT proposer, heavies, scheme, query, dp_epsilon, value FROM computations LIMIT 0")
                        .close();
                s.executeQuery("SELECT computation, reason, lights FROM undelivered LIMIT 0")
                        .close();
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
                    boolean has = !Sqlite.query(
                                    c,
                                    "SELECT name FROM pragma_table_info('" + col[0] + "') WHERE name = ?",
                                    rs -> rs.getString(1),
                                    col[1])
                            .isEmpty();
                    if (!has) {
                        s.executeUpdate("ALTER TABLE " + col[0] + " ADD COLUMN " + col[1] + " " + col[2]);
                    }
                }
                s.executeUpdate("UPDATE nodes SET admitted = 1 WHERE roster_pos IS NULL AND idk IS NULL");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS network (one INTEGER PRIMARY KEY CHECK (one = 1), "
                        + "id TEXT NOT NULL, admin_fpr TEXT NOT NULL, roster_version INTEGER NOT NULL DEFAULT -1, "
                        + "tag TEXT, pinned_at INTEGER NOT NULL)");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS undelivered (computation TEXT NOT NULL, "
                        + "reason TEXT NOT NULL, lights INTEGER NOT NULL, PRIMARY KEY (computation, reason))");
                boolean perIndex = !Sqlite.query(
                                c,
                                "SELECT name FROM pragma_table_info('computations') " + "WHERE name = 'heavy1'",
                                rs -> rs.getString(1))
                        .isEmpty();
                if (perIndex) {
                    // One column per heavy node index becomes one column of data, in party order.
                    s.executeUpdate("DROP INDEX IF EXISTS computations_pending");
                    s.executeUpdate("ALTER TABLE computations ADD COLUMN heavies TEXT NOT NULL DEFAULT ''");
                    s.executeUpdate("UPDATE computations SET heavies = heavy1 || ',' || heavy2 || ',' || heavy3");
                    for (String col : new String[] {"heavy1", "heavy2", "heavy3"}) {
                        s.executeUpdate("ALTER TABLE computations DROP COLUMN " + col);
                    }
                    s.executeUpdate("CREATE INDEX IF NOT EXISTS computations_status ON computations(status)");
                }
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
        String m = String.valueOf(
                e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
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
    static int nodeFolders(FormixHome home) {
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
}
