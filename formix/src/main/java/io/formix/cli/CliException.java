package io.formix.cli;

/** A command failed in an expected way: one line for the user, and the exit code to end with. */
final class CliException extends RuntimeException {
    final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }
}
