package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A recorded pid counts as alive only if that process runs and started when it was recorded. */
@Timeout(30)
class ProcessLivenessTest {

    @Test
    void aLivePidWithItsStartTimeIsAliveAndAReusedPidIsNot() {
        long self = ProcessLiveness.selfPid();
        long start = ProcessLiveness.startTime(self);
        assertTrue(start > 0, "the start time of this process is known");
        assertTrue(ProcessLiveness.isAlive(self, start));
        assertFalse(ProcessLiveness.isAlive(self, start - 3_600_000), "same pid, other start: a reused pid");
        assertFalse(ProcessLiveness.isAlive(0, 0));
    }

    @Test
    void aFinishedProcessIsNotAlive() throws Exception {
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        p.waitFor();
        p.onExit().get();
        assertFalse(ProcessLiveness.isAlive(pid, 0));
        assertFalse(ProcessLiveness.signal(pid, 0));
    }
}
