package io.formix.service;

import io.formix.registry.Membership;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistrySync;
import io.formix.registry.RosterPages;
import io.formix.service.ServiceException.Kind;
import io.formix.state.ComputationRecord;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The network: create or join one across machines, admit nodes, bring this home's nodes up (or
 * down through {@link NodeService#stopAll}) and sum it all up.
 */
public final class NetworkService {

    private final Home home;
    private final Clock clock;
    private final Registry registry;
    private final NodeService nodes;

    public NetworkService(Home home, Clock clock, Pause pause, Consumer<String> notices) {
        this.home = home;
        this.clock = clock;
        this.registry = new Registry(home, notices);
        this.nodes = new NodeService(home, clock, pause, notices);
    }

    /** Creates a network administered from this home (its nodes get a random tag). */
    public NetworkViews.Pin create() throws IOException {
        try (NetworkDb net = home.initAndOpen()) {
            try {
                return NetworkViews.Pin.of(Membership.create(home.files(), net, true));
            } catch (RegistryException e) {
                throw new ServiceException(Kind.REFUSED, e.getMessage());
            }
        }
    }

    /** Joins the network in the data folder if the admin key of {@code fingerprint} signed it. */
    public NetworkViews.Pin join(String fingerprint) throws IOException {
        try (NetworkDb net = home.initAndOpen()) {
            NetworkPin pin;
            try {
                pin = Membership.join(home.files(), net, fingerprint.strip());
            } catch (RegistryException e) {
                throw new ServiceException(
                        e.getMessage().startsWith("no network descriptor") ? Kind.NOT_FOUND : Kind.REFUSED,
                        e.getMessage());
            }
            registry.sync(net);
            return NetworkViews.Pin.of(pin);
        }
    }

    /** Node descriptors in the folder not admitted yet. */
    public List<NetworkViews.Pending> pending() {
        try (NetworkDb net = home.openNetwork()) {
            RegistrySync.Result r = registry.sync(net);
            return r.pending().stream()
                    .map(c -> new NetworkViews.Pending(c.uid().value(), c.role().wireName(), c.fingerprint()))
                    .toList();
        }
    }

    /** Admits the named pending nodes (null: all of them) in a new roster version signed here. */
    public NetworkViews.Admitted admit(List<String> uids) throws IOException {
        try (NetworkDb net = home.openNetwork()) {
            List<PartyId> ids =
                    uids == null ? null : uids.stream().map(NodeLookup::uid).toList();
            List<PartyId> done = registry.admit(net, ids);
            long version = RosterPages.versionOf(
                    net.pin().map(NetworkPin::rosterVersion).orElse(-1L));
            return new NetworkViews.Admitted(done.stream().map(PartyId::value).toList(), version);
        }
    }

    /**
     * Creates the nodes missing to reach {@code heavy} heavy and {@code light} light nodes in this
     * home, admits this home's pending nodes when it holds the admin key, and starts every node
     * not running. {@code progress} gets the summary line before the start, which may take a while.
     */
    public NodeService.Started up(int heavy, int light, String approval, Consumer<String> progress) throws IOException {
        return up(heavy, light, approval, null, progress);
    }

    /**
     * {@link #up(int, int, String, Consumer)}, first recording whether this home's hosts use the fast
     * kernels ({@code fastKernels}; null keeps the home's setting): hosts started later keep it.
     */
    public NodeService.Started up(int heavy, int light, String approval, Boolean fastKernels, Consumer<String> progress)
            throws IOException {
        if (heavy < 0 || light < 0 || heavy > 1000 || light > 100_000) {
            throw new ServiceException(Kind.USAGE, "--heavy must be 0..1000 and --light 0..100000");
        }
        try (NetworkDb net = home.initAndOpen()) {
            if (fastKernels != null) {
                HostJit.store(home.files(), fastKernels);
            }
            NetworkPin pin = registry.ensure(net);
            registry.sync(net);
            int haveHeavy = net.localNodes(Role.HEAVY).size();
            int haveLight = net.localNodes(Role.LIGHT).size();
            long now = clock.millis();
            Approval lightApproval = Approval.parse(approval);
            List<NodeRecord> made = new ArrayList<>();
            if (heavy > haveHeavy) {
                made.addAll(net.createNodes(Role.HEAVY, heavy - haveHeavy, Approval.AUTO, now, pin.tag()));
            }
            if (light > haveLight) {
                made.addAll(net.createNodes(Role.LIGHT, light - haveLight, lightApproval, now, pin.tag()));
            }
            // Nodes made before this home had a network (an older version) get keys too.
            for (NodeRecord r : net.localNodes(null)) {
                if (!r.admitted()
                        && net.identity(r.uid()).isEmpty()
                        && made.stream().noneMatch(m -> m.uid().equals(r.uid()))) {
                    made.add(r);
                }
            }
            registry.publish(net, pin, made);
            if (registry.isAdmin()) {
                // Up means everything of this home runs: local nodes still pending are admitted too.
                List<PartyId> pending = new ArrayList<>();
                net.localNodes(null).forEach(r -> {
                    if (!r.admitted()) {
                        pending.add(r.uid());
                    }
                });
                if (!pending.isEmpty()) {
                    registry.admit(net, pending);
                }
            }
            List<NodeRecord> all = nodes.runnable(net, net.localNodes(null));
            progress.accept("network at " + home.home() + ": " + Math.max(heavy, haveHeavy) + " heavy, "
                    + Math.max(light, haveLight) + " light (transport " + home.transport()
                    + (HostJit.flag(home.files()).equals(HostJit.FAST) ? ", fast kernels" : "") + ")");
            return nodes.startMissing(net, all);
        }
    }

    /** Nodes by role and status, computations by status, and the network. */
    public NetworkViews.Status status() {
        try (NetworkDb net = home.openNetwork()) {
            Map<String, Map<String, Integer>> byRole = new TreeMap<>();
            registry.sync(net);
            for (NodeRecord r : net.nodes(null)) {
                byRole.computeIfAbsent(r.role().label(), k -> new TreeMap<>())
                        .merge(HostProcesses.status(r), 1, Integer::sum);
            }
            Map<String, Integer> comps = new TreeMap<>();
            for (ComputationRecord c : net.computations()) {
                comps.merge(c.status().label(), 1, Integer::sum);
            }
            return new NetworkViews.Status(
                    home.home().toString(),
                    home.dataDir().toString(),
                    home.transport(),
                    byRole,
                    comps,
                    net.pin().map(NetworkViews.Network::of).orElse(null));
        }
    }
}
