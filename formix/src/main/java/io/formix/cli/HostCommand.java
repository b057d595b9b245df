package io.formix.cli;

import io.formix.node.NodeHost;
import io.formix.node.ProcessLiveness;
import io.formix.registry.Heartbeats;
import io.formix.registry.Membership;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistryKeys;
import io.formix.registry.RegistrySync;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.transport.ChannelLockedException;
import io.formix.transport.PartyId;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.PartyId;
import io.formix.transport.seal.NodeKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The hidden {@code formix host} command: runs the listed nodes in this process until SIGTERM (or
 * until every node was stopped through {@code node stop}). {@code node start} and
 * {@code network up} launch it in the background; {@code node start --foreground} runs the same code
 * in the terminal.
 */
@Command(name = "host", hidden = true, description = "run nodes in this process (used by node start)")
final class HostCommand implements Callable<Integer> {

    /** How often a host reads the network's documents again (new nodes, a new roster, rotated keys). */
    static final Duration SYNC_EVERY = Duration.ofSeconds(2);

    @ParentCommand
    Main main;

    /** Renews the heartbeats of the heavy nodes this host runs, and withdraws those of stopped ones. */
    static final class Beats implements Runnable {
        private final FormixHome home;
        private final NetworkPin pin;
        private final PrintWriter out;
        private final Map<PartyId, NodeKeys> heavies = new HashMap<>();
        /** Null until the host runs: until then every hosted heavy node is about to run. */
        volatile NodeHost host;

        Beats(FormixHome home, NetworkPin pin, List<NodeRecord> records, PrintWriter out) {
            this.home = home;
            this.pin = pin;
            this.out = out;
            for (NodeRecord r : records) {
                if (r.isHeavy()) {
                    try {
                        heavies.put(r.uid(), Membership.keys(home, r.uid()));
                    } catch (IOException e) {
                        out.println("heartbeat: cannot load the keys of " + r.uid() + ": " + e.getMessage());
                    }
                }
            }
        }

        @Override
        public synchronized void run() {
            NodeHost h = host;
            List<PartyId> running = h == null ? List.copyOf(heavies.keySet()) : h.running();
            for (Map.Entry<PartyId, NodeKeys> e : heavies.entrySet()) {
                try {
                    if (running.contains(e.getKey())) {
                        Heartbeats.publish(home, pin, e.getKey(), e.getValue(), Instant.now());
                    } else {
                        Heartbeats.withdraw(home, e.getKey());
                    }
                } catch (IOException | RuntimeException ex) {
                    out.println("heartbeat of " + e.getKey() + ": " + ex.getMessage());
                    out.flush();
                }
            }
        }

        synchronized void withdrawAll() {
            for (PartyId uid : heavies.keySet()) {
                try {
                    Heartbeats.withdraw(home, uid);
                } catch (IOException ignored) {
                    // best effort: a stale heartbeat turns stale by itself
                }
            }
        }
    }

    /**
     * One registry sync: {@code network.db} and the key directory brought up to date with the
     * folder. Refused documents are printed (to the host's log) when they change, not every time.
     */
    static final class RegistryWatch implements Runnable {
        private final FormixHome home;
        private final NetworkDb net;
        private final RegistryKeys keys;
        private final PrintWriter out;
        private List<String> lastProblems = List.of();
        volatile String failure;
        /** The sealing of the running endpoints, once they run: their key stores are read again after each sync. */
        volatile Transports.Sealing sealing;

        RegistryWatch(FormixHome home, NetworkDb net, RegistryKeys keys, PrintWriter out) {
            this.home = home;
            this.net = net;
            this.keys = keys;
            this.out = out;
        }

        /** The folder as last synced; a sync is skipped while it stays the same (but made every {@link #FULL_EVERY}). */
        private String lastStamp;
        private long lastFull;
        private static final long FULL_EVERY = 30_000;

        @Override
        public synchronized void run() {
            String stamp = RegistrySync.stamp(home);
            long now = System.currentTimeMillis();
            if (failure == null && stamp.equals(lastStamp) && now - lastFull < FULL_EVERY) {
                return;
            }
            lastStamp = stamp;
            lastFull = now;
            try {
                RegistrySync.Result r = RegistrySync.sync(home, net);
                keys.refresh(net, r.network());
                report(r.problems());
                failure = null;
                // A rotation republishes the node's descriptor, which changes the stamp: its new
                // key (and the old key's shorter expiry) take effect here without a restart.
                Transports.Sealing s = sealing;
                if (s != null) {
                    for (String line : s.reloadOwnKeys()) {
                        out.println("registry: " + TerminalText.safe(line));
                    }
                    out.flush();
                }
            } catch (RegistryException e) {
                failure = e.getMessage();
                report(List.of(e.getMessage()));
            } catch (RuntimeException e) {
                failure = "registry sync failed: " + e;
                report(List.of(failure));
            }
        }

        private void report(List<String> problems) {
            if (!problems.equals(lastProblems)) {
                for (String p : problems) {
                    out.println("registry: " + TerminalText.safe(p));
                }
                out.flush();
                lastProblems = problems;
            }
        }
    }

    @Option(names = "--uids", split = ",", description = "nodes to run")
    List<String> uids = new ArrayList<>();

    @Option(names = "--uids-file", description = "file with one node uid per line")
    Path uidsFile;

    @Override
    public Integer call() throws IOException {
        List<String> all = new ArrayList<>(uids);
        if (uidsFile != null) {
            for (String l : Files.readAllLines(uidsFile)) {
                if (!l.isBlank()) {
                    all.add(l.strip());
                }
            }
        }
        NetworkDb net = main.openNetwork();
        List<NodeRecord> records = new ArrayList<>();
        for (String u : all) {
            PartyId uid = PartyId.of(u);
            records.add(net.node(uid).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no node " + uid)));
        }
        return run(main, net, records, main.commandLine().getOut(), false);
    }

    /** Hosts {@code records} until SIGTERM/Ctrl-C or until all of them were stopped. */
    static int run(Main main, NetworkDb net, List<NodeRecord> records, PrintWriter out, boolean foreground) {
        NetworkPin pin = net.pin().orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "this home belongs to no "
                + "network — formix network create, formix network join --fingerprint FP, or formix network up"));
        RegistryKeys keys = new RegistryKeys();
        RegistryWatch watch = new RegistryWatch(main.formixHome(), net, keys, out);
        watch.run();
        if (watch.failure != null) {
            throw new CliException(ExitCodes.ERROR, watch.failure);
        }
        boolean plaintext = Boolean.getBoolean(Transports.PLAINTEXT_PROPERTY);
        Transports.Sealing sealing = plaintext ? null
                : new Transports.Sealing(NetworkId.fromHex(pin.networkId()), keys, main.formixHome());
        watch.sealing = sealing;
        if (plaintext) {
            out.println("WARNING: -D" + Transports.PLAINTEXT_PROPERTY + " is set: messages are NOT sealed (benchmarks only)");
        }
        ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "formix-registry-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(watch, SYNC_EVERY.toMillis(), SYNC_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        // Heartbeats first: a node is "running" for the other hosts as soon as it is for this one.
        Beats beats = new Beats(main.formixHome(), pin, records, out);
        beats.run();
        NodeHost host;
        try {
            host = NodeHost.start(main.formixHome(), net, Transports.factory(main, net, records, sealing),
                    Clock.systemUTC(), records, NodeHost.Settings.DEFAULT);
        } catch (ChannelLockedException e) {
            syncer.shutdownNow();
            beats.withdrawAll();
            throw new CliException(ExitCodes.REFUSED, "a node is already running in another process (" + e.getMessage()
                    + ") — see formix node list");
        } catch (IOException e) {
            syncer.shutdownNow();
            beats.withdrawAll();
            throw new CliException(ExitCodes.ERROR, "cannot start nodes: " + e.getMessage());
        }
        beats.host = host;
        syncer.scheduleWithFixedDelay(beats, Heartbeats.EVERY.toMillis(), Heartbeats.EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            beats.withdrawAll();
            host.close();
            net.close();
            done.countDown();
        }, "formix-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println((foreground ? "running " : "host pid " + ProcessLiveness.selfPid() + " running ")
                + records.size() + " node(s)" + (foreground ? " in the foreground — Ctrl-C to stop" : ""));
        out.flush();
        while (!host.isEmpty()) {
            NodeControl.sleep(200);
        }
        syncer.shutdownNow();
        beats.withdrawAll();
        host.close();
        out.println("all nodes stopped");
        out.flush();
        return ExitCodes.OK;
    }
}
