package io.formix.state;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns what SQLite and the file system report into one line saying what happened and what to
 * do: {@code disk full: <path>} for {@code SQLITE_FULL}, "database or disk is full" and
 * {@code ENOSPC}; {@code read-only file system: cannot write <path>} for {@code SQLITE_READONLY}
 * and {@code EROFS}; a damaged database for {@code SQLITE_NOTADB} and {@code SQLITE_CORRUPT}.
 * Anything else keeps SQLite's own words, prefixed with the file.
 */
public final class StateErrors {

    /** What to do about a network.db that is not a usable Formix database. */
    public static final String START_OVER =
            "restore it from a backup, or move it aside and run 'formix init --force' " + "to start over";

    private StateErrors() {}

    /** The one-line description of {@code e}, raised while using the database {@code file}. */
    public static String describe(Path file, SQLException e) {
        int code = primaryCode(e);
        String m = String.valueOf(e.getMessage());
        if (code == SQLiteErrorCode.SQLITE_FULL.code || isDiskFullText(m)) {
            return diskFull(file);
        }
        if (code == SQLiteErrorCode.SQLITE_READONLY.code || m.contains("attempt to write a readonly database")) {
            return readOnly(file);
        }
        if (code == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return file + " is not a SQLite database — " + START_OVER;
        }
        if (code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
            return file + " is corrupt (" + sqliteWords(m) + ") — " + START_OVER;
        }
        if ((code == SQLiteErrorCode.SQLITE_IOERR.code
                        || code == SQLiteErrorCode.SQLITE_CANTOPEN.code
                        || m.contains("cannot commit - no transaction is active"))
                && noSpaceLeft(file)) {
            // SQLite says "disk I/O error" when growing its -shm or -wal fails for want of space, and a
            // statement that failed so may leave the commit without a transaction.
            return diskFull(file);
        }
        return "database " + file + ": " + sqliteWords(m);
    }

    /** The one-line description of a file-system failure {@code e}. */
    public static String describe(IOException e) {
        String path = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
        String reason = e instanceof FileSystemException f && f.getReason() != null
                ? f.getReason()
                : String.valueOf(e.getMessage());
        Path p = path == null ? null : Path.of(path);
        if (isDiskFullText(reason)) {
            return diskFull(p);
        }
        if (reason.toLowerCase(Locale.ROOT).contains("read-only file system")) {
            return readOnly(p);
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + path + " — check its owner and permissions, or pass another --home";
        }
        return path == null ? String.valueOf(e.getMessage()) : path + ": " + reason;
    }

    /** Whether {@code t} or a cause of it says the disk is full. */
    public static boolean isDiskFull(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && primaryCode(s) == SQLiteErrorCode.SQLITE_FULL.code
                    || isDiskFullText(String.valueOf(c.getMessage()))) {
                return true;
            }
        }
        return false;
    }

    static String diskFull(Path file) {
        return "disk full: " + (file == null ? "the Formix home" : file) + " — free some space and retry";
    }

    static String readOnly(Path file) {
        Path p = file == null ? null : file.toAbsolutePath();
        boolean fsReadOnly = p != null && isOnReadOnlyFileSystem(p);
        return (fsReadOnly ? "read-only file system: cannot write " : "cannot write (not writable): ") + p
                + " — read commands work here; to change the network use a writable --home"
                + (fsReadOnly ? " or remount it read-write" : " or fix its permissions");
    }

    /**
     * Whether the nearest existing folder of {@code p} lies on a file system mounted read-only. The
     * file store's flag misses a read-only bind mount (it reports the mount it came from), so
     * this also tries to create a probe file there, which fails with {@code EROFS} exactly then
     * (on a writable folder the probe is removed at once). Only asked once a write has failed.
     */
    static boolean isOnReadOnlyFileSystem(Path p) {
        Path q = p;
        while (q != null && !Files.isDirectory(q)) {
            q = q.getParent();
        }
        if (q == null) {
            return false;
        }
        try {
            if (Files.getFileStore(q).isReadOnly()) {
                return true;
            }
            Files.delete(Files.createTempFile(q, ".formix-probe-", ".tmp"));
            return false;
        } catch (FileSystemException e) {
            return String.valueOf(e.getReason()).toLowerCase(Locale.ROOT).contains("read-only file system");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean noSpaceLeft(Path file) {
        try {
            Path q = file.toAbsolutePath();
            while (q != null && !Files.exists(q)) {
                q = q.getParent();
            }
            return q != null && Files.getFileStore(q).getUsableSpace() < 64 * 1024;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isDiskFullText(String m) {
        String s = m.toLowerCase(Locale.ROOT);
        return s.contains("database or disk is full")
                || s.contains("no space left on device")
                || s.contains("enospc")
                || s.contains("disk quota exceeded");
    }

    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException se && se.getResultCode() != null) {
            return se.getResultCode().code & 0xff;
        }
        return e.getErrorCode() & 0xff;
    }

    /** SQLite's message without the {@code [SQLITE_X]} prefix and on one line. */
    private static String sqliteWords(String m) {
        return m.replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "")
                .replace('\n', ' ')
                .strip();
    }
}
