package io.formix.data;

import io.formix.state.FormixHome;
import io.formix.state.Sqlite;
import io.formix.transport.PartyId;
import java.util.List;
import java.util.Optional;

/**
 * The data sources of one light node, in its own {@code node.db} (table {@code data_sources},
 * created if absent, beside the node's computations). The node's owner adds and removes them;
 * nothing here is ever sent anywhere.
 */
public final class DataSourceStore implements AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS data_sources (
              name     TEXT PRIMARY KEY,
              kind     TEXT NOT NULL,
              spec     TEXT NOT NULL,
              added_at INTEGER NOT NULL
            )
            """;

    /** At most this many sources per node. */
    public static final int MAX_SOURCES = 1000;

    /** A registered source and when it was added (epoch ms). */
    public record Entry(SourceSpec spec, long addedAt) {}

    private final Sqlite db;
    /** Whether {@link #close()} closes {@link #db} (false when it was lent, {@link #over}). */
    private final boolean owned;

    private DataSourceStore(Sqlite db) {
        this(db, true);
    }

    private DataSourceStore(Sqlite db, boolean owned) {
        this.db = db;
        this.owned = owned;
    }

    /**
     * This node's {@code node.db} through a connection someone else owns and closes (a light node's
     * pooled store): {@link #close()} leaves it open. With {@code create}, creates the tables first.
     */
    public static DataSourceStore over(Sqlite db, boolean create) {
        if (create) {
            db.write(c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    for (String stmt : SCHEMA.split(";")) {
                        if (!stmt.isBlank()) {
                            s.executeUpdate(stmt);
                        }
                    }
                }
                return null;
            });
        }
        return new DataSourceStore(db, false);
    }

    /** Opens (creating the table if needed) the {@code node.db} of light node {@code uid}. */
    public static DataSourceStore open(FormixHome home, PartyId uid) {
        return new DataSourceStore(Sqlite.open(home.nodeDb(uid), SCHEMA));
    }

    /** Adds {@code spec}; false if a source of that name exists already. */
    public boolean add(SourceSpec spec, long now) {
        if (list().size() >= MAX_SOURCES) {
            throw new DataException("this node has " + MAX_SOURCES + " data sources already — remove some first");
        }
        return db.update(
                        "INSERT OR IGNORE INTO data_sources(name, kind, spec, added_at) VALUES (?,?,?,?)",
                        spec.name(),
                        spec.kind().label(),
                        spec.toJson(),
                        now)
                == 1;
    }

    /** Removes the source {@code name}; false if there was none. */
    public boolean remove(String name) {
        return db.update("DELETE FROM data_sources WHERE name = ?", name) == 1;
    }

    public Optional<Entry> get(String name) {
        return db
                .query("SELECT name, spec, added_at FROM data_sources WHERE name = ?", DataSourceStore::read, name)
                .stream()
                .findFirst();
    }

    /** Every source, by name. */
    public List<Entry> list() {
        return db.query("SELECT name, spec, added_at FROM data_sources ORDER BY name", DataSourceStore::read);
    }

    private static Entry read(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Entry(SourceSpec.fromJson(rs.getString(1), rs.getString(2)), rs.getLong(3));
    }

    @Override
    public void close() {
        if (owned) {
            db.close();
        }
    }
}
