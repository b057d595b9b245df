package io.formix.data;

import java.util.Locale;

/**
 * The type of a column, inferred from its values: none yet ({@code empty}: every cell blank, so any
 * term is false and any value missing, whatever the query expects), whole numbers, decimal numbers,
 * or anything else.
 */
public enum ColumnType {
    EMPTY,
    INTEGER,
    DECIMAL,
    TEXT;

    public boolean numeric() {
        return this == INTEGER || this == DECIMAL;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ColumnType parse(String s) {
        for (ColumnType t : values()) {
            if (t.label().equals(s)) {
                return t;
            }
        }
        throw new DataException("unknown column type '" + s + "' (integer, decimal, text or empty)");
    }

    /** The narrowest type holding both: empty ⊂ integer ⊂ decimal ⊂ text. */
    ColumnType widen(ColumnType other) {
        return values()[Math.max(ordinal(), other.ordinal())];
    }
}
