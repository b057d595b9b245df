package io.formix.policy;

import java.util.Locale;

/**
 * How a light node approves the computations that carry a query: {@link #MANUAL} (the default)
 * waits for its owner ({@code formix comp approve}); {@link #POLICY} approves automatically when
 * every disclosure control that is on passes. Kept with the node's policy in its {@code node.db}.
 */
public enum ApprovalMode {
    /** Every query computation waits for the owner's review and approval. */
    MANUAL,
    /** A query computation is approved automatically when every control that is on passes. */
    POLICY;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code s} ({@code manual}, {@code policy}); a {@link PolicyException} otherwise. */
    public static ApprovalMode parse(String s) {
        for (ApprovalMode m : values()) {
            if (m.label().equals(s)) {
                return m;
            }
        }
        String shown = s == null ? "" : s.length() > 40 ? s.substring(0, 40) + "…" : s;
        throw new PolicyException("--approval: '" + shown + "' is not an approval mode — use manual or policy");
    }
}
