package io.formix.policy;

import java.util.List;

/**
 * The policy's decision on one proposal: approve, or decline because of {@code control}. The
 * {@code detail} is for the owner's log and review only; the wire carries {@link #wireReason()},
 * which is the same for every control, so a proposer learns nothing of the data or the rule from a
 * decline.
 *
 * @param approved whether every control that is on passed
 * @param control  the first control that failed, or {@code null}
 * @param detail   the owner's reason (which control, and the figures), or {@code null} when approved
 * @param passed   what each control that is on found, in a few words, up to the one that failed
 */
public record Verdict(boolean approved, Control control, String detail, List<String> passed) {

    /** The reason every policy decline carries on the wire. */
    public static final String GENERIC = "declined by the data owner's policy";

    public Verdict {
        passed = List.copyOf(passed);
    }

    static Verdict approve(List<String> passed) {
        return new Verdict(true, null, null, passed);
    }

    static Verdict decline(Control control, String detail, List<String> passed) {
        return new Verdict(false, control, detail, passed);
    }

    /** What a decline tells the heavy nodes and the proposer: {@link #GENERIC}; {@code null} when approved. */
    public String wireReason() {
        return approved ? null : GENERIC;
    }

    /** What the owner's log says: the failed control and why, or {@code "approved by policy"}. */
    public String ownerReason() {
        return approved ? "approved by policy" : control.label() + ": " + detail;
    }
}
