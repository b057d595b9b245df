package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.FormixHome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class HostJitTest {

    @TempDir
    Path dir;

    @Test
    void hostsStartQuicklyUnlessTheHomeAsksForTheFastKernels() {
        FormixHome home = FormixHome.of(dir);
        assertEquals(HostJit.QUICK, HostJit.flag(home));
        HostJit.store(home, true);
        assertTrue(HostJit.stored(home));
        assertEquals(HostJit.FAST, HostJit.flag(home));
        HostJit.store(home, true); // again: still on
        assertEquals(HostJit.FAST, HostJit.flag(home));
        HostJit.store(home, false);
        assertFalse(Files.exists(home.hostsDir().resolve("fast-kernels")));
        assertEquals(HostJit.QUICK, HostJit.flag(home));
    }

    @Test
    void theCliPropertyStillTurnsThemOnForOneCommand() {
        FormixHome home = FormixHome.of(dir);
        System.setProperty(HostJit.PROPERTY, "true");
        try {
            assertEquals(HostJit.FAST, HostJit.flag(home));
        } finally {
            System.clearProperty(HostJit.PROPERTY);
        }
        assertEquals(HostJit.QUICK, HostJit.flag(home));
    }

    @Test
    void aLinkedOrForeignSettingFileIsNotFollowed() throws Exception {
        FormixHome home = FormixHome.of(dir);
        Files.createDirectories(home.hostsDir());
        Path target = dir.resolve("elsewhere");
        Files.writeString(target, "on\n");
        Files.createSymbolicLink(home.hostsDir().resolve("fast-kernels"), target);
        assertFalse(HostJit.stored(home));
        Files.delete(home.hostsDir().resolve("fast-kernels"));
        Files.writeString(home.hostsDir().resolve("fast-kernels"), "yes please");
        assertFalse(HostJit.stored(home));
        HostJit.store(home, true); // replaces it
        assertTrue(HostJit.stored(home));
        assertEquals("on\n", Files.readString(home.hostsDir().resolve("fast-kernels")));
    }
}
