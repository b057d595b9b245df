package io.formix.transport.seal;

import java.util.Locale;

/** A node's role in the network, as the roster states it. */
public enum Role {
    /** Aggregates shares (one of the three heavy nodes of a computation). */
    HEAVY,
    /** Holds data and answers. */
    LIGHT;

    /** The lower-case name used in documents: {@code heavy} or {@code light}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role fromWire(String s) {
        return switch (s) {
            case "heavy" -> HEAVY;
            case "light" -> LIGHT;
            default -> throw new IllegalArgumentException("role must be heavy or light");
        };
    }
}
