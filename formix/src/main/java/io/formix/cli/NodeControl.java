package io.formix.cli;

import io.formix.node.ProcessLiveness;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.StateErrors;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts and stops node host processes. A host is {@code formix host --uids a,b,...} run in the
 * background (in its own session, so a Ctrl-C in the terminal does not reach it), with its output in
 * {@code $FORMIX_HOME/hosts/}. The host records its pid and start time in {@code network.db}; stop
 * sends SIGTERM, then SIGKILL after a timeout, or asks the host to stop only some of its nodes.
 */
final class NodeControl {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private NodeControl() {
    }

    /**
     * {@code running}, {@code stopped}, {@code dead} (a recorded process that no longer runs),
     * {@code pending} (a node of this home not yet admitted) or {@code remote} (a node of another
     * host, whose process this home cannot see).
     */
    static String status(NodeRecord r) {
        if (!r.local()) {
            return "remote";
        }
        if (r.pid() == 0) {
            return r.admitted() ? "stopped" : "pending";
        }
        return ProcessLiveness.isAlive(r.pid(), r.pidStart()) ? "running" : "dead";
    }

    static boolean isRunning(NodeRecord r) {
        return "running".equals(status(r));
    }

    /** Launches one background host for {@code uids}; returns once all of them run. */
    static long startHost(Main main, NetworkDb net, List<PartyId> uids) {
        FormixHome home = main.formixHome();
        Path logs = home.hostsDir();
        Path log;
        Path uidFile;
        try {
            Files.createDirectories(logs);
            String stamp = Long.toString(System.currentTimeMillis()) + "-" + ProcessLiveness.selfPid();
            log = logs.resolve("host-" + stamp + ".log");
            uidFile = logs.resolve("host-" + stamp + ".uids");
            StringBuilder b = new StringBuilder();
            uids.forEach(u -> b.append(u.value()).append('\n'));
            Files.writeString(uidFile, b);
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot write to " + logs + ": " + StateErrors.describe(e));
        }
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Boolean.getBoolean(Transports.PLAINTEXT_PROPERTY)) {
            cmd.add("-D" + Transports.PLAINTEXT_PROPERTY + "=true"); // benchmarks only: the host says so in its log
        }
        cmd.addAll(List.of("-XX:+UseSerialGC", Boolean.getBoolean("formix.host.fastKernels") ? "--add-modules=jdk.incubator.vector" : "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", home.home().toString(), "--data-dir", home.dataDir().toString(),
                "--transport", main.transportName(), "host", "--uids-file", uidFile.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "cannot start a node process: " + e.getMessage());
        }
        awaitRunning(net, p, uids, Duration.ofSeconds(60 + uids.size() / 20), log);
        return p.pid();
    }

    private static void awaitRunning(NetworkDb net, Process p, List<PartyId> uids, Duration timeout, Path log) {
        long end = System.nanoTime() + timeout.toNanos();
        Set<PartyId> want = new HashSet<>(uids);
        while (true) {
            int up = 0;
            for (NodeRecord r : net.nodes(null)) {
                if (want.contains(r.uid()) && r.pid() != 0 && ProcessLiveness.isAlive(r.pid(), r.pidStart())) {
                    up++;
                }
            }
            if (up == want.size()) {
                return;
            }
            if (!p.isAlive()) {
                throw new CliException(ExitCodes.ERROR, "the node process exited (code " + p.exitValue() + "): "
                        + lastLine(log) + " — full output in " + log);
            }
            if (System.nanoTime() > end) {
                throw new CliException(ExitCodes.TIMEOUT, "nodes did not start within " + timeout.toSeconds()
                        + " s — see " + log);
            }
            sleep(50);
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "no output";
    }

    /**
     * Stops the given nodes: a host whose nodes are all being stopped gets SIGTERM (SIGKILL after
     * {@link #STOP_TIMEOUT}); otherwise it is asked to stop just these nodes.
     *
     * @return the nodes that were running and are now stopped
     */
    static List<PartyId> stop(NetworkDb net, Collection<NodeRecord> nodes) {
        Set<PartyId> wanted = new HashSet<>();
        nodes.forEach(n -> wanted.add(n.uid()));
        Map<Long, List<NodeRecord>> byPid = new LinkedHashMap<>();
        for (NodeRecord r : net.nodes(null)) {
            if (r.pid() != 0) {
                byPid.computeIfAbsent(r.pid(), k -> new ArrayList<>()).add(r);
            }
        }
        List<PartyId> stopped = new ArrayList<>();
        for (Map.Entry<Long, List<NodeRecord>> e : byPid.entrySet()) {
            long pid = e.getKey();
            List<NodeRecord> hosted = e.getValue();
            List<PartyId> mine = new ArrayList<>();
            hosted.forEach(r -> {
                if (wanted.contains(r.uid())) {
                    mine.add(r.uid());
                }
            });
            if (mine.isEmpty()) {
                continue;
            }
            NodeRecord first = hosted.get(0);
            boolean alive = ProcessLiveness.isAlive(pid, first.pidStart());
            if (!alive) {
                net.markStopped(mine, pid); // stale: the process died without cleaning up
                continue;
            }
            if (mine.size() == hosted.size()) {
                terminate(pid, first.pidStart());
                List<PartyId> all = new ArrayList<>();
                hosted.forEach(r -> all.add(r.uid()));
                net.markStopped(all, pid);
            } else {
                net.requestStop(mine);
                awaitCleared(net, mine, pid, first.pidStart());
            }
            stopped.addAll(mine);
        }
        return stopped;
    }

    private static void terminate(long pid, long start) {
        ProcessLiveness.signal(pid, 15);
        long end = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (ProcessLiveness.isAlive(pid, start)) {
            if (System.nanoTime() > end) {
                ProcessLiveness.signal(pid, 9);
                long kill = System.nanoTime() + 5_000_000_000L;
                while (ProcessLiveness.isAlive(pid, start) && System.nanoTime() < kill) {
                    sleep(20);
                }
                return;
            }
            sleep(20);
        }
    }

    /**
     * Waits until the host has recorded every one of {@code uids} as stopped. Fails with
     * {@link ExitCodes#TIMEOUT} naming exactly the nodes still running after {@link #STOP_TIMEOUT};
     * a host that exited meanwhile stopped them all.
     */
    private static void awaitCleared(NetworkDb net, List<PartyId> uids, long pid, long pidStart) {
        long end = System.nanoTime() + STOP_TIMEOUT.toNanos();
        List<PartyId> left = uids;
        while (true) {
            left = stillHosted(net, left, pid);
            if (left.isEmpty()) {
                return;
            }
            if (!ProcessLiveness.isAlive(pid, pidStart)) {
                net.markStopped(left, pid);
                return;
            }
            if (System.nanoTime() > end) {
                break;
            }
            sleep(20);
        }
        throw new CliException(ExitCodes.TIMEOUT, "host process " + pid + " did not stop " + left.size() + " of "
                + uids.size() + " node(s) within " + STOP_TIMEOUT.toSeconds() + " s: " + names(left)
                + " — see formix node list; stop all its nodes to terminate the process");
    }

    /** Those of {@code uids} still recorded as run by {@code pid}. */
    private static List<PartyId> stillHosted(NetworkDb net, List<PartyId> uids, long pid) {
        Set<PartyId> wanted = new HashSet<>(uids);
        List<PartyId> left = new ArrayList<>();
        for (NodeRecord r : net.nodes(null)) {
            if (wanted.contains(r.uid()) && r.pid() == pid) {
                left.add(r.uid());
            }
        }
        return left;
    }

    private static String names(List<PartyId> uids) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < uids.size() && i < 20; i++) {
            b.append(i == 0 ? "" : ", ").append(uids.get(i));
        }
        return uids.size() > 20 ? b + " and " + (uids.size() - 20) + " more" : b.toString();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.ERROR, "interrupted");
        }
    }
}
