package io.formix.cli;

/** The exit codes of {@code formix}, listed in {@code --help} and {@code docs/cli.md}. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;
    public static final int NOT_FOUND = 3;
    public static final int REFUSED = 4;
    public static final int COMPUTATION_FAILED = 5;
    public static final int TIMEOUT = 6;

    public static final String HELP = """
            Exit codes:
              0  success (for --wait/watch: the computation was revealed)
              1  error (I/O, database, unexpected; unusable network.db, read-only home, disk full)
              2  usage error (bad option or argument)
              3  not found (no such node or computation)
              4  refused (invalid proposal, node running, nothing to do, init on an existing network,
                 wrong admin fingerprint, not the admin's home, a node of another host)
              5  the computation failed (threshold not met, heavy node lost ...)
              6  timed out waiting (nodes did not start or stop in time; they are named)""";

    private ExitCodes() {}
}
