package io.formix.service;

import io.formix.node.ProcessLiveness;
import io.formix.service.ServiceException.Kind;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.StateErrors;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
final class HostProcesses {

    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** The command line's entry point, which runs {@code formix host} (named, not imported: cli sits above this layer). */
    static final String MAIN_CLASS = "io.formix.cli.Main";

    private final Home home;
    private final Clock clock;
    private final Pause pause;

    HostProcesses(Home home, Clock clock, Pause pause) {
        this.home = home;
        this.clock = clock;
        this.pause = pause;
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

    /**
     * {@link #isRunning} for many rows at once: a host runs thousands of nodes under one pid, so
     * each distinct (pid, start time) is asked of the system once per use of the returned
     * predicate, not once per node (asking costs a few reads of {@code /proc}).
     */
    static java.util.function.Predicate<NodeRecord> runningOnce() {
        java.util.Map<List<Long>, Boolean> seen = new java.util.HashMap<>();
        return r -> {
            if (!r.local() || r.pid() == 0) {
                return false;
            }
            return seen.computeIfAbsent(
                    List.of(r.pid(), r.pidStart()), k -> ProcessLiveness.isAlive(r.pid(), r.pidStart()));
        };
    }

    /** Launches one background host for {@code uids}; returns once all of them run. */
    long startHost(NetworkDb net, List<PartyId> uids) {
        FormixHome files = home.files();
        Path logs = files.hostsDir();
        Path log;
        Path uidFile;
        try {
            Files.createDirectories(logs);
            String stamp = Long.toString(clock.millis()) + "-" + ProcessLiveness.selfPid();
            log = logs.resolve("host-" + stamp + ".log");
            uidFile = logs.resolve("host-" + stamp + ".uids");
            StringBuilder b = new StringBuilder();
            uids.forEach(u -> b.append(u.value()).append('\n'));
            Files.writeString(uidFile, b);
        } catch (IOException e) {
            throw new ServiceException(Kind.ERROR, "cannot write to " + logs + ": " + StateErrors.describe(e));
        }
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Boolean.getBoolean(Transports.PLAINTEXT_PROPERTY)) {
            cmd.add("-D" + Transports.PLAINTEXT_PROPERTY + "=true"); // benchmarks only: the host says so in its log
        }
        // the compilers (docs/BENCHMARKS.md): C1 unless the home or the CLI asks for C2 or the fast kernels
        cmd.addAll(HostJvm.options(System.getProperties(), HostJit.stored(files)));
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                MAIN_CLASS,
                "--home",
                files.home().toString(),
                "--data-dir",
                files.dataDir().toString(),
                "--transport",
                home.transport(),
                "host",
                "--uids-file",
                uidFile.toString()));
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new ServiceException(Kind.ERROR, "cannot start a node process: " + e.getMessage());
        }
        awaitRunning(net, p, uids, Duration.ofSeconds(60 + uids.size() / 20), log);
        return p.pid();
    }

    private void awaitRunning(NetworkDb net, Process p, List<PartyId> uids, Duration timeout, Path log) {
        long end = clock.millis() + timeout.toMillis();
        Set<PartyId> want = new HashSet<>(uids);
        Long seen = null; // the rows (10,000 for a big host) are read again only after someone committed
        while (true) {
            long version = net.dataVersion();
            if (!Long.valueOf(version).equals(seen) // runningOnce: false while the pid is 0
                    && net.nodes(null).stream()
                                    .filter(runningOnce().and(r -> want.contains(r.uid())))
                                    .count()
                            == want.size()) {
                return;
            }
            seen = version;
            if (!p.isAlive()) {
                throw new ServiceException(
                        Kind.ERROR,
                        "the node process exited (code " + p.exitValue() + "): " + lastLine(log) + " — full output in "
                                + log);
            }
            if (clock.millis() > end) {
                throw new ServiceException(
                        Kind.TIMEOUT, "nodes did not start within " + timeout.toSeconds() + " s — see " + log);
            }
            pause.pause(Duration.ofMillis(50));
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
    List<PartyId> stop(NetworkDb net, Collection<NodeRecord> nodes) {
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

    private void terminate(long pid, long start) {
        ProcessLiveness.signal(pid, 15);
        long end = clock.millis() + STOP_TIMEOUT.toMillis();
        while (ProcessLiveness.isAlive(pid, start)) {
            if (clock.millis() > end) {
                ProcessLiveness.signal(pid, 9);
                long kill = clock.millis() + 5_000;
                while (ProcessLiveness.isAlive(pid, start) && clock.millis() < kill) {
                    pause.pause(Duration.ofMillis(20));
                }
                return;
            }
            pause.pause(Duration.ofMillis(20));
        }
    }

    /**
     * Waits until the host has recorded every one of {@code uids} as stopped. Fails with
     * {@link Kind#TIMEOUT} naming exactly the nodes still running after {@link #STOP_TIMEOUT};
     * a host that exited meanwhile stopped them all.
     */
    private void awaitCleared(NetworkDb net, List<PartyId> uids, long pid, long pidStart) {
        long end = clock.millis() + STOP_TIMEOUT.toMillis();
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
            if (clock.millis() > end) {
                break;
            }
            pause.pause(Duration.ofMillis(20));
        }
        throw new ServiceException(
                Kind.TIMEOUT,
                "host process " + pid + " did not stop " + left.size() + " of "
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
}
