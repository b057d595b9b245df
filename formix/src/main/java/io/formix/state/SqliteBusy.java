package io.formix.state;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Recognising that SQLite reported a lock held by another connection, and waiting with jittered
 * exponential backoff before the caller retries (the retry loops are {@link Sqlite}'s transactions
 * and {@link SqliteFiles}' opening). Stateless and thread-safe.
 */
final class SqliteBusy {

    private SqliteBusy() {}

    /** True if {@code e} says the database is locked by another connection ({@code SQLITE_BUSY} or {@code SQLITE_LOCKED}). */
    static boolean isBusy(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            return code != null && (code.code & 0xff) == SQLiteErrorCode.SQLITE_BUSY.code
                    || code != null && (code.code & 0xff) == SQLiteErrorCode.SQLITE_LOCKED.code;
        }
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("database is locked");
    }

    /**
     * Sleeps before retry number {@code attempt} (from 0): 5 ms, doubling up to 160 ms from the
     * sixth retry on, plus up to 9 ms of jitter so that waiting processes do not retry in step. An interrupt
     * fails with a {@link StateException} and keeps the thread's interrupt flag.
     */
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
}
