package io.formix.node;

import java.time.Instant;
import java.util.Optional;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * Whether a recorded process still runs. A pid alone is not enough: after a crash the number may
 * be reused by an unrelated process, so the recorded start time must match too (a "stale" pid
 * otherwise). Signals go through jnr-posix.
 */
public final class ProcessLiveness {

    private static final long START_TOLERANCE_MS = 2_000;
    private static volatile POSIX posix;

    private ProcessLiveness() {}

    private static POSIX posix() {
        POSIX p = posix;
        if (p == null) {
            p = POSIXFactory.getPOSIX();
            posix = p;
        }
        return p;
    }

    /** This process's pid. */
    public static long selfPid() {
        return ProcessHandle.current().pid();
    }

    /** The start time (epoch ms) of {@code pid}, or 0 when unknown. */
    public static long startTime(long pid) {
        return ProcessHandle.of(pid)
                .flatMap(h -> h.info().startInstant())
                .map(Instant::toEpochMilli)
                .orElse(0L);
    }

    /** True if {@code pid} runs and (when both are known) started at {@code recordedStart}. */
    public static boolean isAlive(long pid, long recordedStart) {
        if (pid <= 0) {
            return false;
        }
        int rc = posix().kill((int) pid, 0);
        if (rc != 0 && posix().errno() != jnr.constants.platform.Errno.EPERM.intValue()) {
            return false;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        long start = h.get().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return recordedStart == 0 || start == 0 || Math.abs(start - recordedStart) <= START_TOLERANCE_MS;
    }

    /** Sends {@code signal} (e.g. 15 for SIGTERM, 9 for SIGKILL); false if the process is gone. */
    public static boolean signal(long pid, int signal) {
        return posix().kill((int) pid, signal) == 0;
    }
}
