package io.formix.cli;

/** A command failed in an expected way: one line for the user, and the exit code to end with. */
public final class CliException extends RuntimeException {
    final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
