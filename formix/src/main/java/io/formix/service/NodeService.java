package io.formix.service;

import io.formix.node.ChannelHealth;
import io.formix.node.Rejections;
import io.formix.registry.Heartbeats;
import io.formix.registry.KeyRotation;
import io.formix.registry.Membership;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistrySync;
import io.formix.service.ServiceException.Kind;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.io.file.PathUtils;

/**
 * Nodes of this home: create, list, show, start and stop (through host processes), remove. Lines
 * for the user that are not the result (a warning, nodes left out) go to {@code notices}.
 */
public final class NodeService {

    /**
     * What a start did: the host process and the nodes it now runs (none: nothing needed starting).
     *
     * @param wanted how many nodes were asked for and may run here, running or not
     */
    public record Started(long pid, List<String> uids, int wanted) {}

    /** The longest --keep: a previous key is meant to fade out, not to live on beside the new one. */
    public static final Duration MAX_KEEP = Duration.ofDays(365);

    private final Home home;
    private final Clock clock;
    private final Consumer<String> notices;
    private final Registry registry;
    private final HostProcesses hosts;
    private final HostService host;

    public NodeService(Home home, Clock clock, Pause pause, Consumer<String> notices) {
        this.home = home;
        this.clock = clock;
        this.notices = notices;
        this.registry = new Registry(home, notices);
        this.hosts = new HostProcesses(home, clock, pause);
        this.host = new HostService(home, clock, pause);
    }

    /** Registers {@code count} new nodes of {@code role} (light: with {@code approval}), publishing their keys. */
    public List<NodeView> create(String role, int count, String approval) throws IOException {
        if (count < 1 || count > 100_000) {
            throw new ServiceException(Kind.USAGE, "--count must be 1..100000");
        }
        Role wantedRole = Role.parse(role);
        Approval a = Approval.parse(approval);
        try (NetworkDb net = home.initAndOpen()) {
            NetworkPin pin = registry.ensure(net);
            List<NodeRecord> made = net.createNodes(wantedRole, count, a, clock.millis(), pin.tag());
            registry.publish(net, pin, made);
            return made.stream()
                    .map(r -> NodeView.of(net.node(r.uid()).orElseThrow()))
                    .toList();
        }
    }

    /** Every node (null role: both roles); a heavy node of another host runs if its signed heartbeat is fresh. */
    public List<NodeView> list(String role) {
        try (NetworkDb net = home.openNetwork()) {
            RegistrySync.Result synced = registry.sync(net);
            Map<PartyId, Instant> alive = Heartbeats.read(home.files(), synced.network(), synced.roster());
            Instant now = clock.instant();
            return net.nodes(role == null ? null : Role.parse(role)).stream()
                    .map(r -> NodeView.of(
                            r,
                            !r.local() && Heartbeats.fresh(alive.get(r.uid()), now)
                                    ? "running"
                                    : HostProcesses.status(r)))
                    .toList();
        }
    }

    /** One node, with what its owner sees in its node.db. */
    public NodeDetail show(String uid) {
        FormixHome files = home.files();
        try (NetworkDb net = home.openNetwork()) {
            NodeRecord r = NodeLookup.find(net, uid);
            NodeView v = NodeView.of(r);
            List<Map<String, Object>> stalls =
                    "running".equals(v.status()) ? ChannelHealth.read(files.nodeDir(r.uid())) : List.of();
            List<Map<String, Object>> rejected = Rejections.read(files.nodeDir(r.uid()));
            String db = files.nodeDb(r.uid()).toString();
            String log = files.nodeLog(r.uid()).toString();
            NodeStores stores = new NodeStores(files);
            if (r.isHeavy()) {
                return new NodeDetail(v, db, log, stalls, rejected, null, stores.heavyEntries(r));
            }
            List<NodeDetail.Answer> answers = new ArrayList<>();
            List<NodeDetail.LightEntry> comps = new ArrayList<>();
            stores.lightEntries(r, answers, comps);
            return new NodeDetail(v, db, log, stalls, rejected, answers, comps);
        }
    }

    /** Starts, in one background host, those of the nodes (null: all of this home) that are not running. */
    public Started start(List<String> uids) {
        try (NetworkDb net = home.openNetwork()) {
            registry.sync(net);
            return startMissing(net, runnable(net, NodeLookup.targets(net, uids)));
        }
    }

    /** Runs one node of this home in this process until Ctrl-C or until it is stopped. */
    public void runInForeground(List<String> uids, PrintWriter out) {
        NetworkDb net = home.openNetwork();
        List<NodeRecord> wanted;
        try {
            registry.sync(net);
            wanted = runnable(net, NodeLookup.targets(net, uids));
            if (wanted.size() != 1) {
                throw new ServiceException(Kind.USAGE, "--foreground runs exactly one node — name it");
            }
            NodeRecord r = wanted.get(0);
            if (HostProcesses.isRunning(r)) {
                throw new ServiceException(
                        Kind.REFUSED,
                        r.uid() + " is already running (pid " + r.pid() + ") — stop it first: formix node stop "
                                + r.uid());
            }
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        host.run(net, wanted, out, true);
    }

    /** Stops the nodes (null: all of this home); returns how many were running. */
    public int stop(List<String> uids) {
        try (NetworkDb net = home.openNetwork()) {
            return hosts.stop(net, NodeLookup.targets(net, uids)).size();
        }
    }

    /** Stops every node this home sees; returns how many were running. */
    public int stopAll() {
        try (NetworkDb net = home.openNetwork()) {
            return hosts.stop(net, net.nodes(null)).size();
        }
    }

    /** Removes stopped local nodes: their rows, descriptors, roster entries (admin), node.db and log. */
    public int remove(List<String> uids) throws IOException {
        try (NetworkDb net = home.openNetwork()) {
            List<NodeRecord> rs = new ArrayList<>();
            for (String u : uids) {
                NodeRecord r = NodeLookup.find(net, u);
                if (HostProcesses.isRunning(r)) {
                    throw new ServiceException(
                            Kind.REFUSED, r.uid() + " is running — stop it first: formix node " + "stop " + r.uid());
                }
                rs.add(r);
            }
            List<PartyId> ids = new ArrayList<>();
            for (NodeRecord r : rs) {
                if (!r.local()) {
                    throw new ServiceException(Kind.REFUSED, r.uid() + " runs on another host — remove it there");
                }
                ids.add(r.uid());
            }
            try {
                Membership.remove(home.files(), net, ids);
            } catch (RegistryException e) {
                throw new ServiceException(Kind.ERROR, e.getMessage());
            }
            net.removeNodes(ids);
            for (PartyId id : ids) {
                Path dir = home.files().nodeDir(id);
                if (Files.exists(dir)) {
                    PathUtils.deleteDirectory(dir);
                }
            }
            return ids.size();
        }
    }

    /**
     * Gives a local node a new encryption key; the previous ones keep opening messages for
     * {@code keep} (at most {@link #MAX_KEEP}). Other hosts learn the key at their next sync.
     */
    public NetworkViews.Rotation rotateKey(String uid, Duration keep) throws IOException {
        if (keep.isNegative() || keep.compareTo(MAX_KEEP) > 0) {
            throw new ServiceException(Kind.USAGE, "--keep must be between 0s and " + MAX_KEEP.toDays() + " days");
        }
        try (NetworkDb net = home.openNetwork()) {
            registry.sync(net);
            NodeRecord r = NodeLookup.find(net, uid);
            if (!r.local()) {
                throw new ServiceException(
                        Kind.REFUSED,
                        r.uid() + " runs on another host (its keys are not in "
                                + "this home) — rotate its key there: formix node rotate-key " + r.uid());
            }
            NetworkPin pin = net.pin()
                    .orElseThrow(() -> new ServiceException(Kind.NOT_FOUND, "this home belongs to no network"));
            KeyRotation.Rotation rot;
            try {
                rot = KeyRotation.rotate(home.files(), net, pin, r.uid(), keep, clock.instant());
            } catch (RegistryException e) {
                throw new ServiceException(Kind.ERROR, e.getMessage());
            }
            registry.sync(net);
            List<NetworkViews.PreviousKey> previous = rot.previous().stream()
                    .map(k ->
                            new NetworkViews.PreviousKey(k.kid(), k.expiresAt().toString()))
                    .toList();
            return new NetworkViews.Rotation(r.uid().value(), rot.added().kid(), rot.seq(), previous);
        }
    }

    /** The node's log file (it may not exist yet). */
    public Path logFile(String uid) {
        try (NetworkDb net = home.openNetwork()) {
            return home.files().nodeLog(NodeLookup.find(net, uid).uid());
        }
    }

    /**
     * Those of {@code wanted} this home can run: its own nodes that the roster admits. The others
     * are named in a notice (remote nodes run on their own hosts; pending ones wait for the admin).
     */
    List<NodeRecord> runnable(NetworkDb net, List<NodeRecord> wanted) {
        List<NodeRecord> out = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (NodeRecord r : wanted) {
            if (r.local() && r.admitted()) {
                out.add(r);
            } else if (r.local()) {
                pending.add(r.uid().value());
            }
        }
        if (!pending.isEmpty()) {
            notices.accept(pending.size() + " node(s) not admitted yet, not started (" + pending.get(0)
                    + (pending.size() > 1 ? ", …" : "") + ") — the network admin runs: formix network admit --all");
        }
        return out;
    }

    /** Starts, in one background host, those of {@code wanted} that are not running. */
    Started startMissing(NetworkDb net, List<NodeRecord> wanted) {
        List<PartyId> toStart = new ArrayList<>();
        java.util.function.Predicate<NodeRecord> running = HostProcesses.runningOnce();
        for (NodeRecord r : wanted) {
            if (!running.test(r)) {
                toStart.add(r.uid());
            }
        }
        if (toStart.isEmpty()) {
            return new Started(0, List.of(), wanted.size());
        }
        long pid = hosts.startHost(net, toStart);
        return new Started(pid, toStart.stream().map(PartyId::value).toList(), wanted.size());
    }
}
