package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI-sized chaos run: {@code scripts/chaos.sh --rounds 3 --lights 5 --scheme replicated} with
 * this build's formix (a launcher on the test class path), real host processes and SIGKILL. Passes
 * when every round ends revealed-correct or failed-with-reason — none wrong, none stuck.
 */
class ChaosScriptTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(600)
    void threeReplicatedRoundsOnThreePlusFiveNodesAreNeverWrongNorStuck() throws Exception {
        Path bash = Path.of("/bin/bash");
        assumeTrue(Files.isExecutable(bash), "skipped: chaos.sh needs bash (/bin/bash not found)");
        Path script = Path.of(System.getProperty("user.dir"))
                .resolve("../scripts/chaos.sh")
                .normalize();
        assumeTrue(
                Files.isRegularFile(script),
                "skipped: scripts/chaos.sh not found from " + System.getProperty("user.dir"));
        Path launcher = dir.resolve("formix");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(
                launcher,
                "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
                        + System.getProperty("java.class.path") + "' io.formix.cli.Main \"$@\"\n",
                StandardCharsets.UTF_8);
        assertTrue(launcher.toFile().setExecutable(true));

        List<String> cmd = new ArrayList<>(List.of(
                bash.toString(), script.toString(), "--rounds", "3", "--lights", "5", "--scheme", "replicated"));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("chaos.out").toFile());
        pb.environment().put("FORMIX", launcher.toString());
        pb.environment().put("FORMIX_HOME", dir.resolve("home").toString());
        pb.environment().put("NO_COLOR", "1");
        Process p = pb.start();
        boolean done = p.waitFor(540, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("chaos.out"));
        System.out.println(out);
        assertTrue(done, "chaos.sh did not finish in 540 s:\n" + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("chaos: 3 rounds, replicated scheme, 3+5 nodes:"), out);
        assertEquals(3, out.lines().filter(l -> l.startsWith("round ")).count(), out);
        assertFalse(
                out.lines().anyMatch(l -> l.startsWith("round ") && (l.contains(": wrong") || l.contains(": stuck"))),
                out);
        assertTrue(out.contains(" 0 wrong, 0 stuck"), out);
        assertTrue(new File(dir.toFile(), "home").isDirectory());
    }
}
