package io.formix.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code formix} in a new JVM inside a private mount namespace ({@code unshare -m}), after a
 * shell {@code setup} that mounts what the test needs (a read-only bind mount of the home, a tiny
 * tmpfs). The mounts vanish with the namespace when the process ends: nothing to clean up. Needs
 * root and {@code unshare}; {@link #assumeAvailable()} skips the test otherwise.
 */
final class MountedCli {

    private MountedCli() {}

    /** Skips the calling test unless this runs as root with a working {@code unshare -m} and {@code mount}. */
    static void assumeAvailable() throws Exception {
        Assumptions.assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "needs root to mount a read-only or full file system (running as " + System.getProperty("user.name")
                        + ")");
        Process p;
        try {
            p = new ProcessBuilder(
                            "unshare",
                            "-m",
                            "--propagation",
                            "private",
                            "sh",
                            "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt")
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            Assumptions.abort("unshare is not available: " + e.getMessage());
            return;
        }
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(done && p.exitValue() == 0, "cannot mount in a private namespace here: " + out);
    }

    /** {@code formix args} with {@code FORMIX_HOME=home}, run after {@code setup} in a private mount namespace. */
    static CliRun run(String setup, Path home, String... args) throws Exception {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                setup + " && exec \"$0\" -XX:TieredStopAtLevel=1 -cp \"$FORMIX_TEST_CP\" " + Main.class.getName()
                        + " \"$@\"",
                java));
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("FORMIX_HOME", home.toString());
        b.environment().put("NO_COLOR", "1");
        b.environment().put("FORMIX_TEST_CP", System.getProperty("java.class.path"));
        Path out = Files.createTempFile("formix-out", ".txt");
        Path err = Files.createTempFile("formix-err", ".txt");
        try {
            Process p = b.redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("formix " + String.join(" ", args) + " did not end within 60 s");
            }
            return new CliRun(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
