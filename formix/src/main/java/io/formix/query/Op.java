package io.formix.query;

/** The comparison of a {@code where} term. */
public enum Op {
    EQ("=", "="),
    NE("!=", "≠"),
    LT("<", "<"),
    LE("<=", "≤"),
    GT(">", ">"),
    GE(">=", "≥"),
    IN("in", "in");

    final String json;
    final String symbol;

    Op(String json, String symbol) {
        this.json = json;
        this.symbol = symbol;
    }

    public String json() {
        return json;
    }

    /** Whether it compares order (numeric columns only). */
    boolean ordering() {
        return this == LT || this == LE || this == GT || this == GE;
    }

    static Op parse(String s) {
        for (Op o : values()) {
            if (o.json.equals(s)) {
                return o;
            }
        }
        throw new QueryException("unknown op '" + Words.clip(s) + "' (use = != < <= > >= in)");
    }

    /** Whether {@code cmp} (a comparison result, negative, zero or positive) satisfies this op. */
    boolean holds(int cmp) {
        return switch (this) {
            case EQ, IN -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }
}
