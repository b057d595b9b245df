package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** How SQLite's and the file system's failures become one line for the CLI (no real disk needed). */
@Timeout(10)
class StateErrorsTest {

    @TempDir
    Path dir;

    @Test
    void aFullDiskIsDiskFullWhateverSaysIt() {
        Path db = dir.resolve("network.db");
        String expected = "disk full: " + db + " — free some space and retry";
        assertEquals(
                expected,
                StateErrors.describe(
                        db,
                        new SQLiteException(
                                "[SQLITE_FULL] Insertion failed because "
                                        + "database is full (database or disk is full)",
                                SQLiteErrorCode.SQLITE_FULL)));
        assertEquals(expected, StateErrors.describe(db, new SQLException("database or disk is full")));
        assertEquals(
                expected,
                StateErrors.describe(new FileSystemException(db.toString(), null, "No space left on device")));
        assertTrue(StateErrors.isDiskFull(
                new StateException("x", new SQLiteException("full", SQLiteErrorCode.SQLITE_FULL))));
        assertFalse(StateErrors.isDiskFull(new SQLException("no such table: nodes")));
    }

    @Test
    void aReadOnlyDatabaseNamesTheFileAndWhatToDo() {
        Path db = dir.resolve("network.db"); // a writable folder: the permission variant
        assertEquals(
                "cannot write (not writable): " + db + " — read commands work here; to change the network use a "
                        + "writable --home or fix its permissions",
                StateErrors.describe(
                        db,
                        new SQLiteException(
                                "[SQLITE_READONLY] Attempt to write a readonly database (attempt to write a readonly database)",
                                SQLiteErrorCode.SQLITE_READONLY)));
        assertTrue(StateErrors.describe(new FileSystemException(db.toString(), null, "Read-only file system"))
                .startsWith("cannot write (not writable): " + db));
        assertEquals(
                "permission denied: " + db + " — check its owner and permissions, or pass another --home",
                StateErrors.describe(new AccessDeniedException(db.toString())));
    }

    @Test
    void aDamagedFileSaysHowToStartOver() {
        Path db = dir.resolve("network.db");
        assertEquals(
                db + " is not a SQLite database — " + StateErrors.START_OVER,
                StateErrors.describe(
                        db,
                        new SQLiteException(
                                "[SQLITE_NOTADB] File opened that is not a database file (file is not a database)",
                                SQLiteErrorCode.SQLITE_NOTADB)));
        assertEquals(
                db + " is corrupt (database disk image is malformed) — " + StateErrors.START_OVER,
                StateErrors.describe(
                        db,
                        new SQLiteException(
                                "[SQLITE_CORRUPT] database disk image is malformed", SQLiteErrorCode.SQLITE_CORRUPT)));
        assertEquals(
                "database " + db + ": something else",
                StateErrors.describe(
                        db, new SQLiteException("[SQLITE_ERROR] something else", SQLiteErrorCode.SQLITE_ERROR)));
    }
}
