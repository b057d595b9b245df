package io.formix.state;

import java.nio.file.Path;

/**
 * {@code network.db} exists (or should) but is not a usable Formix database: empty, missing while
 * {@code nodes/} holds node folders, not SQLite, corrupt, or without the Formix tables. Nothing
 * was written; the message names the file and says what to do ({@link StateErrors#START_OVER}).
 */
public final class UnusableDatabaseException extends StateException {

    private final Path file;

    UnusableDatabaseException(Path file, String what, Throwable cause) {
        super(file + " " + what + " — " + StateErrors.START_OVER, cause);
        this.file = file;
    }

    /** The database file. */
    public Path file() {
        return file;
    }
}
