package io.formix.data;

import java.util.Locale;

/** The type of a column, inferred from its values: whole numbers, decimal numbers, or anything else. */
public enum ColumnType {
    INTEGER, DECIMAL, TEXT;

    public boolean numeric() {
        return this != TEXT;
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
        throw new DataException("unknown column type '" + s + "' (integer, decimal or text)");
    }

    /** The narrowest type holding both: integer ⊂ decimal ⊂ text. */
    ColumnType widen(ColumnType other) {
        return values()[Math.max(ordinal(), other.ordinal())];
    }
}
