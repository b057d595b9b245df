package io.formix.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** How {@link Sqlite} databases come into being: atomic creation, read-only opening, connecting with retries. */
final class SqliteFiles {

    private SqliteFiles() {}

    /**
     * Creates the database {@code file} with {@code schema} so that no other process ever sees it
     * half made: it is built (and fsynced) beside, under a temporary name, then hard-linked into
     * place, which fails if {@code file} appeared meanwhile (another process won: its file is
     * kept). A {@code file} that exists but is empty is therefore never a database being created.
     */
    static void create(Path file, String schema) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve(file.getFileName() + ".new-"
                + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectories(dir);
            try (Sqlite db = Sqlite.open(temp, schema)) {
                db.read(c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                    }
                    return null;
                });
            }
            try (java.nio.channels.FileChannel ch =
                    java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it first; use theirs
            } catch (java.io.IOException | UnsupportedOperationException noLinks) {
                // A file system without hard links (some synced or network mounts): a rename that
                // does not replace; only a creation racing in the same instant could be lost.
                try {
                    Files.move(temp, file);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another process created it first; use theirs
                }
            }
        } catch (java.io.IOException e) {
            throw new StateException(StateErrors.describe(e), e);
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                try {
                    Files.deleteIfExists(Path.of(temp + suffix));
                } catch (java.io.IOException ignored) {
                    // a leftover temporary file is harmless (ignored by everything)
                }
            }
        }
    }

    /** Whether SQLite may write {@code file} and create its {@code -wal}/{@code -shm} beside it. */
    static boolean isWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        return Files.isWritable(file) && (dir == null || Files.isWritable(dir));
    }

    /**
     * Opens {@code file} read-only, for a home on a read-only file system or without write
     * permission. A WAL database normally needs its {@code -shm} file, which SQLite cannot create
     * there; when it is missing and the {@code -wal} holds nothing (every writer closed cleanly),
     * the file is opened {@code immutable=1}, which then reads exactly what is there. A non-empty
     * {@code -wal} without {@code -shm} cannot be read faithfully that way: that is an error.
     */
    static Sqlite openReadOnly(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(Sqlite.BUSY_TIMEOUT_MS);
        Sqlite db = Sqlite.connect(file, config);
        try {
            db.probe();
            return db;
        } catch (StateException e) {
            db.close();
            Path wal = Path.of(file + "-wal");
            long walBytes;
            try {
                walBytes = Files.exists(wal) ? Files.size(wal) : 0;
            } catch (java.io.IOException io) {
                walBytes = 1;
            }
            if (Files.exists(Path.of(file + "-shm")) || !(e.getCause() instanceof SQLException s) || !isCantOpen(s)) {
                throw e;
            }
            if (walBytes > 0) {
                throw new StateException(
                        "cannot read " + file + " here: its " + wal.getFileName() + " holds changes "
                                + "that SQLite can only read with write access to the folder — open it once where it is "
                                + "writable, or copy the home",
                        e);
            }
        }
        Sqlite immutable = connect(
                file, "jdbc:sqlite:file:" + file.toAbsolutePath().toUri().getRawPath() + "?immutable=1", config);
        try {
            immutable.probe();
        } catch (RuntimeException e) {
            immutable.close();
            throw e;
        }
        return immutable;
    }

    private static boolean isCantOpen(SQLException e) {
        return e instanceof SQLiteException se
                        && se.getResultCode() != null
                        && (se.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_CANTOPEN.code
                || String.valueOf(e.getMessage()).contains("unable to open database file");
    }

    static Sqlite connect(Path file, String url, SQLiteConfig config) {
        // Opening itself may hit a lock while another process switches the file to WAL: retry.
        SQLException last = null;
        for (int attempt = 0; attempt < Sqlite.MAX_RETRIES; attempt++) {
            try {
                Connection c = DriverManager.getConnection(url, config.toProperties());
                return new Sqlite(file, c);
            } catch (SQLException e) {
                if (!Sqlite.isBusy(e)) {
                    throw new StateException(StateErrors.describe(file, e), e);
                }
                last = e;
                Sqlite.backoff(attempt);
            }
        }
        throw new StateException(
                "cannot open " + file + ": still locked after " + Sqlite.MAX_RETRIES
                        + " retries — is a process stuck holding it?",
                last);
    }
}
