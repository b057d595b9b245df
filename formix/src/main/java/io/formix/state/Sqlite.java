package io.formix.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One SQLite database file shared by many processes: WAL journal, {@code synchronous=NORMAL},
 * a busy timeout, and write transactions that start with {@code BEGIN IMMEDIATE} (so a writer
 * waits for the lock up front instead of failing on upgrade) and are retried with jittered backoff
 * when SQLite still reports {@code SQLITE_BUSY}/{@code SQLITE_LOCKED}.
 *
 * <p>Thread-safe: the single JDBC connection is used under a lock, and every transaction is
 * short (the callbacks do no I/O besides the database).
 */
public final class Sqlite implements AutoCloseable {

    /** How long SQLite itself waits on a lock before reporting busy. */
    static final int BUSY_TIMEOUT_MS = 5_000;
    /** Retries of a whole transaction after SQLITE_BUSY, on top of the busy timeout. */
    static final int MAX_RETRIES = 50;

    /** Work done inside one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Reads the current row of a result into a value. */
    @FunctionalInterface
    public interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    Sqlite(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the database at {@code file} and applies {@code schema}. A new
     * file is created with {@code synchronous=OFF} (an empty database needs no durability, and
     * the fsyncs of creating it dominate starting a thousand nodes), then switched to
     * {@code NORMAL}.
     */
    public static Sqlite open(Path file, String schema) {
        if (Files.exists(file) && !SqliteFiles.isWritable(file)) {
            return SqliteFiles.openReadOnly(file); // nothing to create: read what is there
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (java.io.IOException e) {
            throw new StateException(
                    "cannot create " + file.getParent() + ": " + e.getMessage()
                            + " — check the path and its permissions",
                    e);
        }
        boolean fresh = !Files.exists(file);
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(fresh ? SQLiteConfig.SynchronousMode.OFF : SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        Sqlite db = connect(file, config);
        try {
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    for (String stmt : schema.split(";")) {
                        if (!stmt.isBlank()) {
                            s.executeUpdate(stmt);
                        }
                    }
                }
                return null;
            });
            if (fresh) {
                db.read(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA synchronous=NORMAL");
                    }
                    return null;
                });
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /**
     * Opens an existing database as it is (no schema applied): read-write when the file and its
     * folder are writable, else read-only ({@link SqliteFiles#openReadOnly}).
     */
    public static Sqlite openExisting(Path file) {
        if (!SqliteFiles.isWritable(file)) {
            return SqliteFiles.openReadOnly(file);
        }
        // No journal_mode here: switching it writes the header, and the file is not checked yet.
        // A Formix database is WAL already (the mode is stored in the file).
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.enforceForeignKeys(true);
        return connect(file, config);
    }

    /**
     * Creates the database {@code file} with {@code schema} so that no other process ever sees it
     * half made (see {@link SqliteFiles#create}).
     */
    public static void create(Path file, String schema) {
        SqliteFiles.create(file, schema);
    }

    /** Reads the schema, so that a file that cannot be read fails now rather than at first use. */
    void probe() {
        read(c -> {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master")) {
                rs.next();
            }
            return null;
        });
    }

    static Sqlite connect(Path file, SQLiteConfig config) {
        return SqliteFiles.connect(file, "jdbc:sqlite:" + file.toAbsolutePath(), config);
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Runs {@code work} in one {@code BEGIN IMMEDIATE} transaction, retrying when busy. */
    public <T> T write(Work<T> work) {
        return retrying(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                safeRollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /** Runs {@code work} as a read (its own deferred snapshot); retried when busy. */
    public <T> T read(Work<T> work) {
        return retrying(work);
    }

    /**
     * Runs one statement, its {@code ?} bound in order to {@code args} ({@code null} binds SQL
     * NULL), as its own write transaction; returns the number of rows it changed.
     */
    public int update(String sql, Object... args) {
        return write(c -> update(c, sql, args));
    }

    /** {@link #update(String, Object...)} inside a transaction already running on {@code c}. */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    /**
     * Runs one query, its {@code ?} bound in order to {@code args}, as its own read; returns its
     * rows in order, each read by {@code row}.
     */
    public <T> List<T> query(String sql, Row<T> row, Object... args) {
        return read(c -> query(c, sql, row, args));
    }

    /** {@link #query(String, Row, Object...)} inside a transaction already running on {@code c}. */
    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(row.read(rs));
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /** Runs {@code work} under the lock, again with backoff while SQLite reports busy. */
    private <T> T retrying(Work<T> work) {
        lock.lock();
        try {
            SQLException last = null;
            for (int attempt = 0; attempt < MAX_RETRIES; attempt++) {
                try {
                    return work.run(connection);
                } catch (SQLException e) {
                    if (!isBusy(e)) {
                        throw new StateException(describe(e), e);
                    }
                    last = e;
                    backoff(attempt);
                }
            }
            throw new StateException(file + " stayed locked for too long — retry the command", last);
        } finally {
            lock.unlock();
        }
    }

    /**
     * SQLite's {@code PRAGMA data_version}: changes when another connection commits. A cheap way
     * to notice other processes' writes without re-reading tables.
     */
    public long dataVersion() {
        return read(c -> {
            try (Statement s = c.createStatement();
                    var rs = s.executeQuery("PRAGMA data_version")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private void safeRollback() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is already out of the transaction
        }
    }

    private String describe(SQLException e) {
        return StateErrors.describe(file, e);
    }

    static boolean isBusy(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code != null && (code.code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code
                    || code != null && (code.code & 0xff) == SQLiteErrorCode.SQLITE_LOCKED.code;
        }
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("database is locked");
    }

    static void backoff(int attempt) {
        long ms = Math.min(200, 5L << Math.min(attempt, 5))
                + ThreadLocalRandom.current().nextInt(10);
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted while waiting for a database lock");
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing a connection twice or after a failure is harmless
        } finally {
            lock.unlock();
        }
    }
}
