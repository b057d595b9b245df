package io.formix.service;

/**
 * An operation failed in an expected way: one line saying what happened and what to do, and the
 * kind of failure, which the command line turns into its exit code.
 */
public final class ServiceException extends RuntimeException {

    /** What kind of failure; each has its exit code in {@code docs/cli.md}. */
    public enum Kind {
        /** I/O, database, unexpected. */
        ERROR,
        /** A bad argument. */
        USAGE,
        /** No such node or computation, or no network. */
        NOT_FOUND,
        /** Not allowed now: a node running, nothing to do, not the admin's home, a node of another host. */
        REFUSED,
        /** Nodes did not start or stop in time. */
        TIMEOUT
    }

    private final Kind kind;

    public ServiceException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
