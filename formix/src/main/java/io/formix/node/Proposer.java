package io.formix.node;

import io.formix.protocol.Bodies;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Validates a proposal and records it in {@code network.db} as {@code proposed}; heavy node 1
 * notices it and broadcasts. Nothing is sent when validation fails. Checks: the schema subset,
 * a non-empty prompt, a future deadline, a threshold between 1 and the number of light nodes,
 * three distinct admitted heavy nodes that are running (default: the first three in roster order,
 * so every host picks the same).
 */
public final class Proposer {

    /** Longest accepted deadline. */
    public static final Duration MAX_DEADLINE = Duration.ofDays(1);
    /** Default threshold: the smallest crowd worth hiding in. */
    public static final int DEFAULT_THRESHOLD = 3;
    /** Default grace after the deadline for the heavy nodes to exchange their sets and sums. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private static final SecureRandom IDS = new SecureRandom();

    /**
     * What the proposer asks for; null fields take their defaults.
     *
     * @param scheme the sharing scheme: {@code additive} ({@code additive-3}, the default) or
     *               {@code replicated} ({@code replicated-2of3})
     * @param from   the node of this home that proposes ({@code --from}, recorded as the proposer
     *               and named to the light nodes), or null: unknown
     */
    public record Request(
            String prompt,
            String schemaJson,
            Integer threshold,
            Duration deadline,
            List<PartyId> heavy,
            Duration grace,
            String scheme,
            String query,
            java.math.BigDecimal dpEpsilon,
            PartyId from) {

        public Request(
                String prompt,
                String schemaJson,
                Integer threshold,
                Duration deadline,
                List<PartyId> heavy,
                Duration grace,
                String scheme,
                String query,
                java.math.BigDecimal dpEpsilon) {
            this(prompt, schemaJson, threshold, deadline, heavy, grace, scheme, query, dpEpsilon, null);
        }

        public Request(
                String prompt,
                String schemaJson,
                Integer threshold,
                Duration deadline,
                List<PartyId> heavy,
                Duration grace,
                String scheme) {
            this(prompt, schemaJson, threshold, deadline, heavy, grace, scheme, null, null);
        }

        public Request(
                String prompt,
                String schemaJson,
                Integer threshold,
                Duration deadline,
                List<PartyId> heavy,
                Duration grace) {
            this(prompt, schemaJson, threshold, deadline, heavy, grace, null);
        }
    }

    /** The scheme id a user's name stands for: {@code additive} → additive-3, {@code replicated} → replicated-2of3. */
    public static String schemeId(String name) throws ProposalException {
        if (name == null || name.equals("additive") || name.equals(ComputationRecord.DEFAULT_SCHEME)) {
            return ComputationRecord.DEFAULT_SCHEME;
        }
        if (name.equals("replicated") || name.equals("replicated-2of3")) {
            return "replicated-2of3";
        }
        throw new ProposalException(
                "unknown --scheme — use additive (needs all three heavy nodes) or replicated (survives one failing)");
    }

    private Proposer() {}

    /**
     * Validates and records the proposal.
     *
     * @param running tells whether a node is running (process alive)
     * @throws ProposalException with a one-line reason and what to do
     */
    public static ComputationRecord propose(NetworkDb net, Clock clock, Request req, Predicate<NodeRecord> running)
            throws ProposalException {
        if (req.prompt() == null || req.prompt().isBlank()) {
            throw new ProposalException("the prompt is empty — pass --prompt TEXT");
        }
        if (req.prompt().length() > 4_096) {
            throw new ProposalException("the prompt is longer than 4096 characters — shorten it");
        }
        ResponseSchema schema;
        try {
            schema = req.schemaJson() == null ? ResponseSchema.DEFAULT : ResponseSchema.parse(req.schemaJson());
        } catch (IllegalArgumentException e) {
            throw new ProposalException("invalid --schema: " + e.getMessage());
        }
        if (schema.lowestInteger(LightNode.ANSWER_MIN) > schema.highestInteger(LightNode.ANSWER_MAX)) {
            throw new ProposalException("the schema admits no integer in " + LightNode.ANSWER_MIN + ".."
                    + LightNode.ANSWER_MAX + ", the answers light nodes give — widen minimum/maximum");
        }
        Duration deadline = req.deadline() == null ? Duration.ofSeconds(30) : req.deadline();
        if (deadline.isNegative() || deadline.isZero()) {
            throw new ProposalException("the deadline must be in the future — pass e.g. --deadline 30s");
        }
        if (deadline.compareTo(MAX_DEADLINE) > 0) {
            throw new ProposalException("the deadline is more than " + MAX_DEADLINE.toHours() + " h away — shorten it");
        }
        Duration grace = req.grace() == null ? DEFAULT_GRACE : req.grace();
        if (grace.isNegative() || grace.toMillis() > 3_600_000) {
            throw new ProposalException("the grace period must be 0..1h");
        }
        String scheme = schemeId(req.scheme());
        boolean replicated = !scheme.equals(ComputationRecord.DEFAULT_SCHEME);
        if (req.query() != null && req.schemaJson() != null) {
            throw new ProposalException("--query and --schema exclude each other — a query's answers are typed by it");
        }
        int lights = net.members(Role.LIGHT).size();
        String query =
                req.query() == null ? null : QueryProposal.check(req.query(), req.dpEpsilon(), replicated, lights);
        if (query == null && req.dpEpsilon() != null) {
            throw new ProposalException("--dp-epsilon needs --query: the noise is scaled to a query's bounds");
        }
        if (query != null) {
            scheme = QueryProposal.scheme(replicated);
        }
        List<NodeRecord> heavies = heavyNodes(net, req.heavy());
        List<NodeRecord> down = new ArrayList<>();
        for (NodeRecord h : heavies) {
            if (!running.test(h)) {
                down.add(h);
            }
        }
        // replicated sharing needs two of the three; heavy node 1 announces the computation, so it must run
        if (!down.isEmpty() && (!replicated || down.size() > 1 || down.get(0).equals(heavies.get(0)))) {
            NodeRecord h = down.get(0);
            throw new ProposalException(
                    "heavy node " + h.uid() + " is not running — start it with: formix node " + "start " + h.uid());
        }
        int threshold = req.threshold() == null ? Math.min(DEFAULT_THRESHOLD, Math.max(1, lights)) : req.threshold();
        if (threshold < 1 || threshold > Bodies.MAX_LIGHTS) {
            throw new ProposalException("the threshold must be at least 1, got " + threshold);
        }
        if (threshold > lights) {
            throw new ProposalException("the threshold " + threshold + " exceeds the " + lights
                    + " light nodes of the network — lower --threshold or add light nodes");
        }
        long now = clock.millis();
        List<PartyId> ids = new ArrayList<>();
        heavies.forEach(h -> ids.add(h.uid()));
        ComputationRecord r = new ComputationRecord(
                newId(),
                req.prompt(),
                schema.toJsonText(),
                threshold,
                now + deadline.toMillis(),
                grace.toMillis(),
                ids,
                Status.PROPOSED,
                0,
                0,
                0,
                -1,
                null,
                0,
                now,
                0,
                scheme,
                query,
                query == null ? null : req.dpEpsilon(),
                null,
                req.from());
        net.insertComputation(r);
        return r;
    }

    private static List<NodeRecord> heavyNodes(NetworkDb net, List<PartyId> requested) throws ProposalException {
        if (requested == null || requested.isEmpty()) {
            List<NodeRecord> all = net.members(Role.HEAVY);
            if (all.size() < 3) {
                throw new ProposalException("a computation needs 3 heavy nodes, the network has " + all.size()
                        + " — create them with: formix node create --role heavy --count " + (3 - all.size()));
            }
            return all.subList(0, 3);
        }
        if (requested.size() != 3 || new TreeSet<>(requested).size() != 3) {
            throw new ProposalException("--heavy must name three distinct heavy nodes, e.g. heavy-1,heavy-2,heavy-3");
        }
        List<NodeRecord> out = new ArrayList<>();
        for (PartyId uid : requested) {
            Optional<NodeRecord> n = net.node(uid).filter(NodeRecord::admitted);
            if (n.isEmpty()) {
                throw new ProposalException("no node " + uid + " — see formix node list --role heavy");
            }
            if (n.get().role() != Role.HEAVY) {
                throw new ProposalException(uid + " is a light node; --heavy needs heavy nodes");
            }
            out.add(n.get());
        }
        return out;
    }

    static String newId() {
        byte[] b = new byte[4];
        IDS.nextBytes(b);
        return "c" + HexFormat.of().formatHex(b);
    }
}
