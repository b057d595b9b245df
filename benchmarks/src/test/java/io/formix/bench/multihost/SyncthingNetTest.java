package io.formix.bench.multihost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-host harness for real: three network namespaces, one Syncthing in each
 * ({@code scripts/multihost/net.sh}), a file written on h1 reaching h2 and h3, host-local Formix
 * state staying where it was written, and nothing left behind afterwards. Skips (with the reason)
 * unless it runs as root with {@code ip}, {@code syncthing}, {@code curl} and {@code jq} and may
 * create network namespaces. Its namespaces carry a random prefix, so a harness brought up by hand
 * ({@code fxh1..}) or another run is never touched.
 */
class SyncthingNetTest {
    private static final Duration HOP_LIMIT = Duration.ofSeconds(20);
    private static final String PREFIX = "fxt" + randomLetters(4);

    @TempDir
    static Path dir;

    private static Path netSh;
    private static Thread cleanupOnExit;

    /** Why this machine cannot run the harness, or null when it can. */
    private static String skipReason;

    @BeforeAll
    @Timeout(60)
    static void up() throws Exception {
        skipReason = whyNot();
        if (skipReason != null) {
            System.err.println("SyncthingNetTest skipped: " + skipReason);
            return;
        }
        netSh = findNetSh();
        cleanupOnExit = new Thread(SyncthingNetTest::downQuietly, "multihost-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
        int rc = run(
                Duration.ofSeconds(55),
                netSh.toString(),
                "up",
                "--hosts",
                "3",
                "--dir",
                dir.toString(),
                "--prefix",
                PREFIX,
                "--timeout",
                "40");
        if (rc != 0) {
            fail("net.sh up failed (exit " + rc + "): " + Files.readString(dir.resolve("net.sh.out")));
        }
    }

    @BeforeEach
    void onlyWhereTheHarnessCanRun() {
        assumeTrue(skipReason == null, skipReason);
    }

    private static String whyNot() throws IOException, InterruptedException {
        if (!"0".equals(output("id", "-u").trim())) {
            return "needs root to create network namespaces";
        }
        for (String tool : List.of("ip", "syncthing", "curl", "jq")) {
            if (!onPath(tool)) {
                return "needs '" + tool + "' on the PATH (.ci/run installs syncthing, curl, jq and iproute2)";
            }
        }
        String probe = PREFIX + "chk";
        if (run(Duration.ofSeconds(10), "ip", "netns", "add", probe) != 0) {
            return "cannot create network namespaces here (ip netns add failed: a container without CAP_SYS_ADMIN?)";
        }
        run(Duration.ofSeconds(10), "ip", "netns", "del", probe);
        return null;
    }

    @AfterAll
    @Timeout(30)
    static void down() throws Exception {
        if (netSh == null) {
            return; // skipped before anything was started
        }
        assertEquals(0, run(Duration.ofSeconds(25), netSh.toString(), "down", "--dir", dir.toString()), "net.sh down");
        Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        assertFalse(output("ip", "netns", "list").contains(PREFIX), "namespaces left behind");
        assertTrue(
                ProcessHandle.allProcesses()
                        .noneMatch(p -> p.info().commandLine().orElse("").contains(dir.toString())),
                "a syncthing of this test is still running");
    }

    @Test
    @Timeout(30)
    void aFileWrittenOnOneHostAppearsOnTheOthers() throws Exception {
        byte[] content = "one hop across the bridge\n".getBytes(StandardCharsets.UTF_8);
        writeAtomically(data(1).resolve("greeting.txt"), content);

        for (int host : new int[] {2, 3}) {
            Path arrived = data(host).resolve("greeting.txt");
            awaitSize(arrived, content.length);
            assertEquals(new String(content, StandardCharsets.UTF_8), Files.readString(arrived), "content on h" + host);
        }
    }

    @Test
    @Timeout(30)
    void hostLocalFormixStateIsNotCarried() throws Exception {
        List<String> local = List.of(
                ".light-0001.lock",
                "a_to_b/.formix-send-next",
                "a_to_b/.formix-recv-cursor",
                "a_to_b/.tmp-00000007.msg",
                ".quarantine/a_to_b/00000003.msg");
        for (String name : local) {
            Path p = data(1).resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "host-local");
        }
        // Written after the host-local files: once it has arrived, so has anything that would travel.
        writeAtomically(data(1).resolve("a_to_b/00000000.msg"), new byte[8]);
        for (int host : new int[] {2, 3}) {
            awaitSize(data(host).resolve("a_to_b/00000000.msg"), 8);
            for (String name : local) {
                assertFalse(Files.exists(data(host).resolve(name)), name + " was carried to h" + host);
            }
        }
        assertTrue(Files.exists(data(1).resolve(local.get(0))), "the sender's own files stay");
    }

    @Test
    @Timeout(30)
    void noNamespaceHasARouteOut() throws Exception {
        for (int host = 1; host <= 3; host++) {
            String routes = output("ip", "-n", PREFIX + host, "route", "show");
            assertEquals(
                    "10.77.0.0/24 dev eth0 proto kernel scope link src 10.77.0." + host,
                    routes.trim(),
                    "routes of h" + host);
        }
        assertEquals("", output("ip", "-n", PREFIX + "br", "-4", "addr", "show").trim(), "the bridge has no address");
    }

    private static Path data(int host) {
        return dir.resolve("h" + host).resolve("data");
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(".tmp-" + target.getFileName());
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitSize(Path p, long size) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + HOP_LIMIT.toNanos();
        while (!(Files.isRegularFile(p) && Files.size(p) == size)) {
            if (System.nanoTime() > deadline) {
                fail(p + " did not arrive within " + HOP_LIMIT + "; Syncthing logs in " + dir);
            }
            Thread.sleep(20); // the condition is another process's file; there is nothing to wait on
        }
    }

    private static void downQuietly() {
        try {
            run(Duration.ofSeconds(25), netSh.toString(), "down", "--dir", dir.toString());
        } catch (Exception e) {
            System.err.println("multihost cleanup failed: " + e);
        }
    }

    /** Runs a command with a deadline (killed past it); its output goes to DIR/net.sh.out. */
    private static int run(Duration limit, String... command) throws IOException, InterruptedException {
        Path out = dir.resolve("net.sh.out");
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                .start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
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

    private static Path findNetSh() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("scripts/multihost/net.sh");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "scripts/multihost/net.sh not found above " + Path.of("").toAbsolutePath());
    }

    private static String randomLetters(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return b.toString();
    }
}
