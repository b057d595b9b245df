package io.formix.service;

import io.formix.node.NodeHost;
import io.formix.node.ProcessLiveness;
import io.formix.registry.Heartbeats;
import io.formix.registry.RegistryKeys;
import io.formix.service.ServiceException.Kind;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.transport.ChannelLockedException;
import io.formix.transport.PartyId;
import io.formix.transport.seal.NetworkId;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs nodes in this process: what {@code formix host} does in the background for
 * {@code node start} and {@code network up}, and {@code node start --foreground} in the terminal.
 * Besides the nodes, a host syncs the registry every {@link #SYNC_EVERY} and renews the heartbeats
 * of its heavy nodes every {@link Heartbeats#EVERY}.
 */
public final class HostService {

    /** How often a host reads the network's documents again (new nodes, a new roster, rotated keys). */
    static final Duration SYNC_EVERY = Duration.ofSeconds(2);

    private final Home home;
    private final Clock clock;
    private final Pause pause;

    public HostService(Home home, Clock clock, Pause pause) {
        this.home = home;
        this.clock = clock;
        this.pause = pause;
    }

    /** Hosts the named nodes until SIGTERM or until every one of them was stopped; progress goes to {@code out}. */
    public void host(List<String> uids, PrintWriter out) {
        NetworkDb net = home.openNetwork();
        List<NodeRecord> records = new ArrayList<>();
        try {
            for (String u : uids) {
                PartyId uid = PartyId.of(u);
                records.add(net.node(uid).orElseThrow(() -> new ServiceException(Kind.NOT_FOUND, "no node " + uid)));
            }
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        run(net, records, out, false);
    }

    /**
     * Hosts {@code records} until SIGTERM/Ctrl-C or until all of them were stopped; {@code net}
     * stays open as long (the shutdown hook closes it).
     */
    void run(NetworkDb net, List<NodeRecord> records, PrintWriter out, boolean foreground) {
        NetworkPin pin = net.pin()
                .orElseThrow(
                        () -> new ServiceException(
                                Kind.NOT_FOUND,
                                "this home belongs to no "
                                        + "network — formix network create, formix network join --fingerprint FP, or formix network up"));
        RegistryKeys keys = new RegistryKeys();
        RegistryWatch watch = new RegistryWatch(home.files(), net, keys, clock, out);
        watch.run();
        if (watch.failure != null) {
            throw new ServiceException(Kind.ERROR, watch.failure);
        }
        boolean plaintext = Boolean.getBoolean(Transports.PLAINTEXT_PROPERTY);
        Transports.Sealing sealing =
                plaintext ? null : new Transports.Sealing(NetworkId.fromHex(pin.networkId()), keys, home.files());
        watch.sealing = sealing;
        if (plaintext) {
            out.println("WARNING: -D" + Transports.PLAINTEXT_PROPERTY
                    + " is set: messages are NOT sealed (benchmarks only)");
        }
        ScheduledExecutorService syncer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "formix-registry-sync");
            t.setDaemon(true);
            return t;
        });
        syncer.scheduleWithFixedDelay(watch, SYNC_EVERY.toMillis(), SYNC_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        // Heartbeats first: a node is "running" for the other hosts as soon as it is for this one.
        HeartbeatTask beats = new HeartbeatTask(home.files(), pin, clock, records, out);
        beats.run();
        NodeHost host;
        try {
            host = NodeHost.start(
                    home.files(),
                    net,
                    Transports.factory(home, net, records, sealing),
                    clock,
                    records,
                    NodeHost.Settings.DEFAULT);
        } catch (ChannelLockedException e) {
            syncer.shutdownNow();
            beats.withdrawAll();
            throw new ServiceException(
                    Kind.REFUSED,
                    "a node is already running in another process (" + e.getMessage() + ") — see formix node list");
        } catch (IOException e) {
            syncer.shutdownNow();
            beats.withdrawAll();
            throw new ServiceException(Kind.ERROR, "cannot start nodes: " + e.getMessage());
        }
        beats.host = host;
        syncer.scheduleWithFixedDelay(
                beats, Heartbeats.EVERY.toMillis(), Heartbeats.EVERY.toMillis(), TimeUnit.MILLISECONDS);
        Thread hook = new Thread(
                () -> {
                    beats.withdrawAll();
                    host.close();
                    net.close();
                },
                "formix-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println((foreground ? "running " : "host pid " + ProcessLiveness.selfPid() + " running ") + records.size()
                + " node(s)" + (foreground ? " in the foreground — Ctrl-C to stop" : ""));
        out.flush();
        while (!host.isEmpty()) {
            pause.pause(Duration.ofMillis(200));
        }
        syncer.shutdownNow();
        beats.withdrawAll();
        host.close();
        out.println("all nodes stopped");
        out.flush();
    }
}
