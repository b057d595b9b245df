package io.formix.service;

import io.formix.state.StateErrors;
import io.formix.state.StateException;
import java.io.IOException;

/** The one-line description of a failure of the state files, for whoever reports errors. */
public final class Failures {

    private Failures() {}

    /**
     * What went wrong with a state file (database unusable, read-only home, disk full) or a file
     * operation, in one line with what to do; {@code null} when {@code e} is neither.
     */
    public static String describe(Exception e) {
        if (e instanceof StateException s) {
            return s.getMessage();
        }
        if (e instanceof IOException io) {
            return StateErrors.describe(io);
        }
        return null;
    }
}
