package io.formix.bench.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Formix across three real Syncthing "machines": runs {@code scripts/multihost/formix-e2e.sh}
 * (network namespaces, one Syncthing and one {@code FORMIX_HOME} per host, the formix CLI run
 * inside each namespace) and asserts its exit code, its six check lines and its summary line.
 * What each check does is described at the top of the script and in docs/multihost.md. Skips,
 * saying why, unless it runs as root with the tools the script needs and may create network
 * namespaces.
 */
class FormixMultiHostTest {
    /** The script's own limit; the test's {@code @Timeout} leaves a minute for the tear-down. */
    private static final Duration SCRIPT_LIMIT = Duration.ofMinutes(8);

    private static final Pattern SUMMARY = Pattern.compile("(?m)^formix-e2e: (\\d+) passed, (\\d+) failed.*$");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void threeHostsOverSyncthingRevealTheSumAndKeepEverySecret() throws Exception {
        String why = whyNot();
        assumeTrue(why == null, () -> "FormixMultiHostTest skipped: " + why);
        Path script = findScript();
        Path run = dir.resolve("run");
        Path out = dir.resolve("e2e.out");
        Path err = dir.resolve("e2e.err");
        Process p = new ProcessBuilder(script.toString(), "--lights", "2", "--dir", run.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        // If the JVM goes away first, the script's own trap brings the network down on SIGTERM.
        Thread stop = new Thread(() -> stop(p, script, run), "formix-e2e-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        int rc;
        try {
            rc = waitFor(p, script, run);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        System.out.print(stdout);
        assumeTrue(
                rc != 2 || !stderr.contains("cannot run here"),
                () -> "FormixMultiHostTest skipped: " + lastLine(stderr));

        String context = stdout + "\n--- progress ---\n" + stderr;
        Matcher m = SUMMARY.matcher(stdout);
        assertTrue(m.find(), "no summary line in the script's output:\n" + context);
        assertEquals("0", m.group(2), "failed checks:\n" + context);
        assertEquals("6", m.group(1), "passed checks:\n" + context);
        assertEquals(0, rc, "exit code of formix-e2e.sh:\n" + context);
        for (int check = 1; check <= 6; check++) {
            assertTrue(
                    Pattern.compile("(?m)^check " + check + " \\w+: ok")
                            .matcher(stdout)
                            .find(),
                    "check " + check + " did not pass:\n" + context);
        }
        assertTrue(
                ProcessHandle.allProcesses()
                        .noneMatch(h -> h.info().commandLine().orElse("").contains(run.toString())),
                "a process of the run is still alive");
    }

    /** Waits for the script within its limit; past it, stops it (see {@link #stop}) and fails. */
    private static int waitFor(Process p, Path script, Path run) throws InterruptedException {
        if (p.waitFor(SCRIPT_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
            return p.exitValue();
        }
        stop(p, script, run);
        fail("formix-e2e.sh did not finish within " + SCRIPT_LIMIT);
        return -1;
    }

    /**
     * SIGTERM to the script, whose trap stops the nodes and brings the network down; if it has not
     * ended within 40 s, SIGKILL to it and its children and {@code net.sh down} here.
     */
    private static void stop(Process p, Path script, Path run) {
        try {
            p.destroy();
            if (p.waitFor(40, TimeUnit.SECONDS)) {
                return;
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Process down = new ProcessBuilder(
                            script.resolveSibling("net.sh").toString(), "down", "--dir", run.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            down.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.err.println("formix-e2e clean-up failed: " + e);
        }
    }

    private static String whyNot() throws IOException, InterruptedException {
        if (!"0".equals(output("id", "-u").trim())) {
            return "needs root to create network namespaces";
        }
        for (String tool : List.of("ip", "syncthing", "curl", "jq", "sqlite3", "mvn")) {
            if (!onPath(tool)) {
                return "needs '" + tool + "' on the PATH";
            }
        }
        String check = "import cryptography.hazmat.primitives.asymmetric.ed25519; print('ok')";
        boolean python = false;
        for (String py : List.of("python3", "/usr/bin/python3")) {
            python |= (py.startsWith("/") ? Files.isExecutable(Path.of(py)) : onPath(py))
                    && output(py, "-c", check).contains("ok");
        }
        if (!python) {
            return "needs python3 with the 'cryptography' package (to forge a descriptor; apt-get install python3-cryptography)";
        }
        String probe = "fxp" + (char) ('a' + ThreadLocalRandom.current().nextInt(26)) + "chk";
        if (new ProcessBuilder("ip", "netns", "add", probe).start().waitFor() != 0) {
            return "cannot create network namespaces here (ip netns add failed: a container without CAP_SYS_ADMIN?)";
        }
        new ProcessBuilder("ip", "netns", "del", probe).start().waitFor();
        return null;
    }

    private static Path findScript() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts/multihost/formix-e2e.sh");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "scripts/multihost/formix-e2e.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String lastLine(String text) {
        String t = text.strip();
        return t.substring(t.lastIndexOf('\n') + 1);
    }
}
