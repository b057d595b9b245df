package io.formix.data;

import java.util.Locale;

/** Where a data source's answers come from. */
public enum SourceKind {
    /** A CSV file with a header row. */
    CSV,
    /** A SQLite database, opened read-only, optionally through the owner's own {@code SELECT}. */
    SQLITE,
    /** A program run without a shell that prints the answer. */
    COMMAND,
    /** The owner answers by hand. */
    MANUAL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean tabular() {
        return this == CSV || this == SQLITE;
    }

    public static SourceKind parse(String s) {
        for (SourceKind k : values()) {
            if (k.label().equals(s)) {
                return k;
            }
        }
        throw new DataException("unknown source kind '" + s + "'");
    }
}
