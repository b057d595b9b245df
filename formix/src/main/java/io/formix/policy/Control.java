package io.formix.policy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The disclosure controls of a {@link DisclosurePolicy}, by their option names ({@code --min-rows} …). */
public enum Control {
    /** Decline a proposal whose threshold (light nodes whose answers are added up) is below this. */
    MIN_THRESHOLD("min-threshold"),
    /** Decline when 0 < contributing rows < this. */
    MIN_ROWS("min-rows"),
    /** Decline a histogram with a cell holding 1..k−1 rows. */
    MIN_CELL("min-cell"),
    /** Decline a query that reads a column not listed. */
    COLUMNS("columns"),
    /** Decline an aggregate type not listed. */
    TYPES("types"),
    /** Decline a proposer not listed. */
    PROPOSERS("proposers"),
    /** Decline past this many answered computations per dataset per UTC day. */
    MAX_PER_DAY("max-per-day"),
    /** Answer only differentially private queries, until their ε on a dataset adds up to this. */
    MAX_EPSILON("max-epsilon");

    private final String label;

    Control(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The control named {@code name} ({@code min-rows}); a {@link PolicyException} naming the valid ones otherwise. */
    public static Control parse(String name) {
        for (Control c : values()) {
            if (c.label.equals(name)) {
                return c;
            }
        }
        String shown = name == null ? "" : name.length() > 40 ? name.substring(0, 40) + "…" : name;
        throw new PolicyException("no control named '" + shown + "' — the controls are "
                + Arrays.stream(values()).map(Control::label).collect(Collectors.joining(", ")));
    }
}
