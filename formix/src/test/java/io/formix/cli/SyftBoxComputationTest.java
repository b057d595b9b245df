package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.transport.PartyId;
import io.formix.transport.file.SyftBoxSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Formix computation whose channels travel only through SyftBox datasites: host A (three heavy
 * nodes, datasite a@…) and host B (ten light nodes, datasite b@…), each with its own SyftBox
 * workspace, carried by the {@link SyftBoxSimulator} (full sync every second here, priority names
 * at once). The registry documents ({@code formix/} under the data dir) are shared as in
 * {@link MultiHostTest}; no channel is.
 */
class SyftBoxComputationTest {

    static final String A_EMAIL = "host-a@formix.test";
    static final String B_EMAIL = "host-b@formix.test";

    @TempDir
    Path a;

    @TempDir
    Path b;

    @TempDir
    Path data;

    @TempDir
    Path sync;

    private SyftBoxSimulator sim;

    @AfterEach
    void down() {
        CliRun.run(a, env(), "network", "down");
        CliRun.run(b, env(), "network", "down");
        if (sim != null) {
            sim.close();
        }
    }

    private Map<String, String> env() {
        return Map.of("FORMIX_DATA_DIR", data.toString(), "FORMIX_TRANSPORT", "file");
    }

    private JsonNode json(Path home, String... args) throws Exception {
        CliRun r = CliRun.run(home, env(), args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
        return Main.JSON.readTree(r.out());
    }

    private Path datasites(String host) {
        return sync.resolve(host).resolve("datasites");
    }

    /** The party table's remote entries: which datasite the other host's nodes write in. */
    private static void tellEmails(Path home, JsonNode nodes, String email) throws Exception {
        StringBuilder lines = new StringBuilder();
        nodes.forEach(n -> lines.append("email.")
                .append(n.get("uid").asText())
                .append('=')
                .append(email)
                .append('\n'));
        Files.writeString(home.resolve("layout.properties"), lines, StandardOpenOption.APPEND);
    }

    @Test
    @Timeout(240)
    void threeHeavyAndTenLightNodesComputeOverSyncedDatasites() throws Exception {
        CliRun badEmail = CliRun.run(
                a,
                env(),
                "init",
                "--layout",
                "syftbox",
                "--datasites",
                datasites("a").toString(),
                "--email",
                "../a@x.org");
        assertEquals(2, badEmail.code(), badEmail.toString());
        assertEquals(
                0,
                CliRun.run(
                                a,
                                env(),
                                "init",
                                "--layout",
                                "syftbox",
                                "--datasites",
                                datasites("a").toString(),
                                "--email",
                                A_EMAIL)
                        .code());
        assertEquals(
                0,
                CliRun.run(
                                b,
                                env(),
                                "init",
                                "--layout",
                                "syftbox",
                                "--datasites",
                                datasites("b").toString(),
                                "--email",
                                B_EMAIL)
                        .code());
        String fp = json(a, "network", "create", "--json").get("fingerprint").asText();
        json(b, "network", "join", "--fingerprint", fp, "--json");
        JsonNode heavies = json(a, "node", "create", "--role", "heavy", "--count", "3", "--json");
        JsonNode lights = json(b, "node", "create", "--role", "light", "--count", "10", "--json");
        tellEmails(a, lights, B_EMAIL);
        tellEmails(b, heavies, A_EMAIL);
        json(a, "network", "admit", "--all", "--json");

        Map<String, Path> ws = new LinkedHashMap<>();
        ws.put(A_EMAIL, datasites("a"));
        ws.put(B_EMAIL, datasites("b"));
        // -Dformix.syftbox.periodMs=5000 runs it at SyftBox's own period (docs/BENCHMARKS.md).
        Duration period = Duration.ofMillis(Long.getLong("formix.syftbox.periodMs", 1000));
        sim = SyftBoxSimulator.create(ws, period, SyftBoxSimulator.PRIORITY_DEBOUNCE, new Random())
                .start();

        assertEquals(0, CliRun.run(a, env(), "node", "start", "--all").code());
        CliRun startB = CliRun.run(b, env(), "node", "start", "--all");
        assertEquals(0, startB.code(), startB.toString());

        long t0 = System.nanoTime();
        CliRun p = CliRun.run(
                b,
                env(),
                "comp",
                "propose",
                "--prompt",
                "cups of coffee today?",
                "--threshold",
                "5",
                "--deadline",
                "60s",
                "--wait",
                "--json");
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, p.code(), p.toString());
        JsonNode onB = Main.JSON.readTree(p.out());
        assertEquals("revealed", onB.get("status").asText(), onB.toString());
        assertEquals(10, onB.get("participants").asInt(), onB.toString());
        String id = onB.get("id").asText();
        long sum = 0;
        FormixHome homeB = new FormixHome(b, data);
        for (JsonNode l : lights) {
            try (LightStore s = LightStore.open(homeB, PartyId.of(l.get("uid").asText()))) {
                sum += s.entry(id).orElseThrow().answer();
            }
        }
        assertEquals(sum, onB.get("result").asLong(), "the total is the sum of the light nodes' own answers");
        System.out.printf(
                "SyftBox layout, 3+10 computation over the simulator (%d ms full sync): %d ms = %.2f full syncs%n",
                period.toMillis(), tookMs, tookMs / (double) period.toMillis());

        // No channel in the shared data folder: every message went through the datasites.
        try (Stream<Path> s = Files.list(data)) {
            List<String> names =
                    new ArrayList<>(s.map(f -> f.getFileName().toString()).toList());
            assertFalse(names.stream().anyMatch(n -> n.contains("_to_")), names.toString());
        }
        String heavy1 = heavies.get(0).get("uid").asText();
        String light1 = lights.get(0).get("uid").asText();
        Path channel =
                datasites("b").resolve(B_EMAIL).resolve("app_data/formix").resolve(light1 + "_to_" + heavy1);
        assertTrue(Files.readString(channel.resolve("syft.pub.yaml")).contains(A_EMAIL));
        assertTrue(
                Files.isDirectory(datasites("a")
                        .resolve(B_EMAIL)
                        .resolve("app_data/formix")
                        .resolve(light1 + "_to_" + heavy1)),
                "host A reads light 1's channel from its copy of B's datasite");
        assertTrue(sim.counters().get("priorityUploads") > 0);
        assertEquals(0, sim.counters().get("rejections"), "nobody wrote outside its datasite");
    }
}
