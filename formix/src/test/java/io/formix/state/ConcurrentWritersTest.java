package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty processes create nodes in one network.db at once: no "database is locked", no lost row,
 * and the uid numbering (a read then a write in one IMMEDIATE transaction) never collides.
 */
class ConcurrentWritersTest {

    private static final int PROCESSES = 20;
    private static final int WRITES = 25;

    @TempDir
    Path home;

    @Test
    @Timeout(180)
    void twentyProcessesWritingAtOnceLoseNothing() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> procs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            // Each process unpacks sqlite-jdbc's native library into its own folder: in the shared
            // /tmp, twenty loaders at once race to clean up a library left by a killed process, and
            // the loser logs an error that has nothing to do with network.db.
            Path natives = Files.createDirectories(home.resolve(".natives").resolve("p" + i));
            procs.add(new ProcessBuilder(
                            java,
                            "-Xshare:auto",
                            "-XX:TieredStopAtLevel=1",
                            "-Xmx64m",
                            "-Dorg.sqlite.tmpdir=" + natives,
                            "-cp",
                            System.getProperty("java.class.path"),
                            ConcurrentWriterMain.class.getName(),
                            home.toString(),
                            Integer.toString(WRITES))
                    .redirectErrorStream(true)
                    .start());
        }
        for (Process p : procs) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(150, TimeUnit.SECONDS);
            assertEquals(0, p.exitValue(), out);
            assertEquals("ok", out.strip(), out);
        }
        try (NetworkDb db = NetworkDb.open(FormixHome.of(home))) {
            List<NodeRecord> all = db.nodes(null);
            assertEquals(PROCESSES * WRITES, all.size());
            Set<PartyId> uids = new HashSet<>();
            all.forEach(r -> uids.add(r.uid()));
            assertEquals(all.size(), uids.size());
            int heavy = db.nodes(Role.HEAVY).size();
            assertEquals(PROCESSES * ((WRITES) / 2), heavy);
        }
    }
}
