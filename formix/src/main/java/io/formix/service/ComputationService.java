package io.formix.service;

import io.formix.node.ProposalException;
import io.formix.node.Proposer;
import io.formix.service.ServiceException.Kind;
import io.formix.state.ComputationRecord;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Computations: propose one, follow it until it ends (with the watchdog), list and show them, and
 * let the owner of a manual-approval light node approve or decline one.
 */
public final class ComputationService {

    /** Extra time a follower gives the heavy nodes beyond their own timeouts before it fails the computation. */
    public static final Duration WATCHDOG = Duration.ofSeconds(5);
    /** How often a follower reads the computation's row again. */
    static final Duration POLL = Duration.ofMillis(100);

    /**
     * What the proposer asks for; null fields take their defaults (threshold 3 or fewer, grace 5 s,
     * the first three heavy nodes).
     */
    public record Proposal(
            String prompt,
            String schema,
            Integer threshold,
            Duration deadline,
            List<String> heavy,
            Duration grace,
            String scheme,
            String query,
            String dpEpsilon,
            String from) {

        /** A proposal that names no proposer. */
        public Proposal(
                String prompt,
                String schema,
                Integer threshold,
                Duration deadline,
                List<String> heavy,
                Duration grace,
                String scheme,
                String query,
                String dpEpsilon) {
            this(prompt, schema, threshold, deadline, heavy, grace, scheme, query, dpEpsilon, null);
        }

        /** A proposal without a query. */
        public Proposal(
                String prompt,
                String schema,
                Integer threshold,
                Duration deadline,
                List<String> heavy,
                Duration grace,
                String scheme) {
            this(prompt, schema, threshold, deadline, heavy, grace, scheme, null, null);
        }

        /** A proposal with the default scheme (additive 3-of-3). */
        public Proposal(
                String prompt,
                String schema,
                Integer threshold,
                Duration deadline,
                List<String> heavy,
                Duration grace) {
            this(prompt, schema, threshold, deadline, heavy, grace, null);
        }
    }

    /** A computation still running, as a follower last read it; {@code leftMillis} ≤ 0 once it closes. */
    public record Progress(String status, int answers, int invited, long leftMillis) {}

    private final Home home;
    private final Clock clock;
    private final Pause pause;
    private final Registry registry;

    public ComputationService(Home home, Clock clock, Pause pause, Consumer<String> notices) {
        this.home = home;
        this.clock = clock;
        this.pause = pause;
        this.registry = new Registry(home, notices);
    }

    /**
     * Validates and records a proposal for heavy node 1 to broadcast. Every heavy node of this
     * home must run; one of another host is taken as up (heavy node 1 fails the computation with
     * the reason if it is not).
     */
    public ComputationView propose(Proposal p) {
        try (NetworkDb net = home.openNetwork()) {
            registry.sync(net);
            List<PartyId> heavies = null;
            if (p.heavy() != null) {
                heavies = new ArrayList<>();
                for (String h : p.heavy()) {
                    heavies.add(NodeLookup.uid(h.strip()));
                }
            }
            PartyId from = p.from() == null ? null : proposerNode(net, p.from());
            ComputationRecord c;
            try {
                c = Proposer.propose(
                        net,
                        clock,
                        new Proposer.Request(
                                p.prompt(),
                                p.schema(),
                                p.threshold(),
                                p.deadline(),
                                heavies,
                                p.grace(),
                                p.scheme(),
                                p.query(),
                                epsilon(p.dpEpsilon()),
                                from),
                        r -> !r.local() || HostProcesses.isRunning(r));
            } catch (ProposalException e) {
                throw new ServiceException(Kind.REFUSED, e.getMessage());
            }
            checkCarrier(net, c);
            return ComputationView.of(c);
        }
    }

    /**
     * The node {@code --from} names: a well-formed uid (else a usage error) of an admitted node of
     * this home (else not found, or refused for a node of another host or one not admitted).
     */
    private static PartyId proposerNode(NetworkDb net, String uid) {
        if (!PartyId.isValid(uid.strip())) {
            throw new ServiceException(
                    Kind.USAGE, "--from: '" + TerminalText.safe(uid) + "' is not a node uid (e.g. light-0001)");
        }
        NodeRecord r = NodeLookup.find(net, uid.strip());
        if (!r.local()) {
            throw new ServiceException(
                    Kind.REFUSED,
                    "--from " + r.uid() + ": that node runs on another host (its key is not in this home) — propose "
                            + "from a node of this home, or from that host");
        }
        if (!r.admitted()) {
            throw new ServiceException(
                    Kind.REFUSED, "--from " + r.uid() + ": that node is not admitted to the network yet");
        }
        return r.uid();
    }

    /** The ε of {@code --dp-epsilon}, or null; a value that is not a decimal number is refused. */
    private static java.math.BigDecimal epsilon(String text) {
        if (text == null) {
            return null;
        }
        try {
            if (text.strip().length() <= 40) {
                return new java.math.BigDecimal(text.strip());
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ServiceException(
                Kind.REFUSED, "--dp-epsilon must be a decimal number such as 0.5, not " + TerminalText.safe(text));
    }

    /**
     * A proposal whose heavy node 1 runs on another host travels there as a message from a node
     * running in this home (the {@code --from} node when one is named); without one it would wait in
     * vain, so it fails at once with what to do.
     */
    private void checkCarrier(NetworkDb net, ComputationRecord c) {
        PartyId heavy1 = ComputationView.heavy1(c);
        boolean remote = net.node(heavy1).map(r -> !r.local()).orElse(false);
        if (!remote) {
            return;
        }
        String reason;
        if (c.proposer() != null) {
            // the proposer's own node signs the proposal it carries to heavy node 1
            if (net.node(c.proposer()).filter(HostProcesses::isRunning).isPresent()) {
                return;
            }
            reason = "heavy node 1 (" + heavy1 + ") runs on another host, and the proposal --from " + c.proposer()
                    + " travels there as a message from that node, which does not run — start it: formix node start "
                    + c.proposer();
        } else {
            for (NodeRecord r : net.localNodes(null)) {
                if (r.admitted() && HostProcesses.isRunning(r)) {
                    return;
                }
            }
            reason = "heavy node 1 (" + heavy1 + ") runs on another host, and no node of this home runs to "
                    + "carry the proposal there — start one: formix node start --all";
        }
        net.fail(c.id(), reason, 0, 0, clock.millis());
        throw new ServiceException(Kind.REFUSED, reason);
    }

    /**
     * Follows a computation until it ends, passing each new reading to {@code progress} (null:
     * none). If no heavy node ends it by {@link #watchdogAt} (long after every heavy-side
     * timeout, for instance because heavy node 1 does not run), the follower fails it with what to
     * check, so nobody waits forever.
     */
    public ComputationView follow(String id, Consumer<Progress> progress) {
        try (NetworkDb net = home.openNetwork()) {
            while (true) {
                ComputationRecord c = find(net, id);
                long now = clock.millis();
                if (c.status().isFinal()) {
                    return ComputationView.of(c, net.undelivered(id));
                }
                if (now > watchdogAt(c)) {
                    net.fail(
                            id,
                            "no heavy node ended the computation by "
                                    + TimeText.human(3 * c.graceMs() + WATCHDOG.toMillis())
                                    + " after the deadline — check "
                                    + "the heavy nodes run: formix node list --role heavy",
                            -1,
                            0,
                            now);
                    continue;
                }
                if (progress != null) {
                    progress.accept(new Progress(c.status().label(), c.answers(), c.invited(), c.deadline() - now));
                }
                pause.pause(POLL);
            }
        }
    }

    /** The last moment (epoch ms) a computation may still be running before a follower fails it. */
    static long watchdogAt(ComputationRecord c) {
        return c.deadline() + 3 * c.graceMs() + WATCHDOG.toMillis();
    }

    /** Every computation, newest first. */
    public List<ComputationView> list() {
        try (NetworkDb net = home.openNetwork()) {
            return net.computations().stream().map(ComputationView::of).toList();
        }
    }

    public ComputationView show(String id) {
        try (NetworkDb net = home.openNetwork()) {
            return ComputationView.of(find(net, id), net.undelivered(id));
        }
    }

    /**
     * The owner of light node {@code node} approves or declines computation {@code id}, which the
     * node holds pending: the decision is written to the node's own database.
     */
    public void decide(String id, String node, boolean approve) {
        try (NetworkDb net = home.openNetwork()) {
            NodeRecord r = NodeLookup.find(net, node);
            if (r.isHeavy()) {
                throw new ServiceException(Kind.USAGE, node + " is a heavy node; only light nodes answer");
            }
            new NodeStores(home.files()).decide(r, id, approve);
        }
    }

    private static ComputationRecord find(NetworkDb net, String id) {
        return net.computation(id)
                .orElseThrow(
                        () -> new ServiceException(Kind.NOT_FOUND, "no computation " + id + " — see formix comp list"));
    }
}
