package io.formix.service;

import io.formix.data.DataException;
import io.formix.data.DataSource;
import io.formix.data.DataSourceStore;
import io.formix.data.DataSources;
import io.formix.dp.NoiseSpec;
import io.formix.policy.ApprovalMode;
import io.formix.policy.Control;
import io.formix.policy.DisclosurePolicy;
import io.formix.policy.PolicyException;
import io.formix.policy.PolicyStore;
import io.formix.policy.ProposalFacts;
import io.formix.policy.Usage;
import io.formix.query.Answer;
import io.formix.query.Evaluator;
import io.formix.query.Query;
import io.formix.query.QueryException;
import io.formix.query.QueryParser;
import io.formix.service.ServiceException.Kind;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The disclosure policy of a light node of this home ({@code formix node policy}), and the local
 * review of a query against it ({@code formix data review}): both read the node's own
 * {@code node.db}; nothing is sent.
 */
public final class PolicyService {

    private final Home home;
    private final Clock clock;

    public PolicyService(Home home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /**
     * A change to a policy: start from the node's policy, apply the recommended set when
     * {@code recommended}, then every control {@code set} sets, then turn off the controls in {@code off}.
     */
    public record Change(boolean recommended, DisclosurePolicy set, List<String> off, ApprovalMode approval) {
        public Change {
            off = off == null ? List.of() : List.copyOf(off);
        }

        /** A change of the controls only. */
        public Change(boolean recommended, DisclosurePolicy set, List<String> off) {
            this(recommended, set, off, null);
        }

        /** Whether it changes anything at all (else: show the policy). */
        public boolean empty() {
            return !recommended && set.off().size() == Control.values().length && off.isEmpty() && approval == null;
        }
    }

    /**
     * The policy of a light node, how it approves query computations ({@code manual}: by its owner;
     * {@code policy}: automatically when every control passes) and what its ledger holds.
     */
    public record PolicyView(String node, DisclosurePolicy policy, Map<String, Usage> usage, ApprovalMode approval) {

        /** The controls that are off, by name. */
        public List<String> off() {
            return policy.off().stream().map(Control::label).toList();
        }

        /** {@code {"node", "controls": {name: value|null}, "off": [...], "usage": [{dataset, today, epsilonSpent}]}}. */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", node);
            Map<String, Object> c = new LinkedHashMap<>();
            for (Control k : Control.values()) {
                c.put(k.label(), policy.value(k));
            }
            m.put("controls", c);
            m.put("off", off());
            m.put("approval", approval.label());
            List<Map<String, Object>> u = new ArrayList<>();
            usage.forEach((d, x) -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("dataset", d);
                e.put("today", x.answeredToday());
                e.put("epsilonSpent", x.epsilonSpent());
                u.add(e);
            });
            m.put("usage", u);
            return m;
        }
    }

    /** The policy of the local light node {@code uid}. */
    public PolicyView show(String uid) {
        PartyId id = localLightNode(uid);
        return withStore(
                id, s -> new PolicyView(id.value(), s.policy(), s.usageByDataset(clock.instant()), s.approval()));
    }

    /**
     * Applies {@code change} to the policy of the local light node {@code uid}. A control both set
     * and turned off, or a control name that does not exist, is a usage error.
     */
    public PolicyView update(String uid, Change change) {
        PartyId id = localLightNode(uid);
        List<Control> off = new ArrayList<>();
        try {
            for (String name : change.off()) {
                Control c = Control.parse(name);
                if (change.set().isOn(c)) {
                    throw new ServiceException(
                            Kind.USAGE,
                            "--off " + c.label() + " and --" + c.label() + " contradict each other — give one");
                }
                off.add(c);
            }
        } catch (PolicyException e) {
            throw new ServiceException(Kind.USAGE, e.getMessage());
        }
        return withStore(id, s -> {
            DisclosurePolicy p = s.policy();
            if (change.recommended()) {
                p = p.overlay(DisclosurePolicy.RECOMMENDED);
            }
            p = p.overlay(change.set());
            for (Control c : off) {
                p = p.with(c, null);
            }
            s.set(p, clock.instant());
            if (change.approval() != null) {
                s.setApproval(change.approval(), clock.instant());
            }
            return new PolicyView(id.value(), p, s.usageByDataset(clock.instant()), s.approval());
        });
    }

    /** A proposal to review locally: what a proposer would send, and who proposes. */
    public record DryRun(
            String prompt, String query, long threshold, List<String> heavy, String proposer, BigDecimal dpEpsilon) {}

    /**
     * What the local light node {@code uid} would do with proposal {@code d}: its query evaluated
     * on the node's own data, the policy's verdict, and the hash an approval binds to. Nothing is
     * sent and nothing is recorded in the ledger. An evaluation that fails is shown as the decline
     * it would be.
     */
    public ReviewView review(String uid, DryRun d) {
        PartyId id = localLightNode(uid);
        if (d.threshold() < 1) {
            throw new ServiceException(Kind.USAGE, "--threshold must be at least 1");
        }
        List<String> heavy = d.heavy() != null ? d.heavy() : defaultHeavy();
        if (heavy.size() != 3 || new java.util.HashSet<>(heavy).size() != 3) {
            throw new ServiceException(
                    Kind.USAGE,
                    "a proposal names three distinct heavy nodes, not " + heavy.size()
                            + (d.heavy() == null ? " (this network has fewer: formix node create --role heavy)" : ""));
        }
        for (String h : heavy) {
            if (!PartyId.isValid(h)) {
                throw new ServiceException(
                        Kind.USAGE,
                        "--heavy: '" + TerminalText.safe(h.length() > 40 ? h.substring(0, 40) + "…" : h)
                                + "' is not a node uid");
            }
        }
        if (d.proposer() != null && !PartyId.isValid(d.proposer())) {
            throw new ServiceException(Kind.USAGE, "--proposer: not a node uid");
        }
        Query q;
        NoiseSpec noise;
        try {
            q = QueryParser.parse(d.query());
            noise = d.dpEpsilon() == null ? null : NoiseSpec.of(q.aggregate(), d.dpEpsilon());
        } catch (QueryException e) {
            throw new ServiceException(Kind.REFUSED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ServiceException(Kind.USAGE, e.getMessage());
        }
        Instant now = clock.instant();
        ProposalFacts facts = new ProposalFacts("review", d.proposer(), d.threshold(), d.dpEpsilon(), now);
        DataSourceStore.Entry entry;
        try (DataSourceStore store = DataSourceStore.open(home.files(), id)) {
            entry = store.get(q.dataset())
                    .orElseThrow(() -> new ServiceException(
                            Kind.NOT_FOUND,
                            "no dataset " + q.dataset() + " on " + id + " — see formix data list " + id));
        }
        Answer answer = null;
        String failure = null;
        DataSource source = null;
        try {
            source = DataSources.open(entry.spec());
            answer = Evaluator.evaluate(q, source, System::nanoTime);
        } catch (DataException | QueryException e) {
            failure = e.getMessage();
        }
        Answer a = answer;
        String f = failure;
        io.formix.data.SourceKind kind = entry.spec().kind();
        return withStore(
                id,
                s -> ReviewView.of(
                        id.value(),
                        d.prompt(),
                        q,
                        entry.spec().descriptor(),
                        kind,
                        heavy,
                        facts,
                        noise,
                        s.policy(),
                        s.usage(q.dataset(), now),
                        a,
                        f));
    }

    private List<String> defaultHeavy() {
        try (NetworkDb net = home.openNetwork()) {
            return net.nodes(NodeRecord.Role.HEAVY).stream()
                    .limit(3)
                    .map(r -> r.uid().value())
                    .toList();
        }
    }

    private <T> T withStore(PartyId id, Function<PolicyStore, T> work) {
        try (PolicyStore s = PolicyStore.open(home.files(), id)) {
            return work.apply(s);
        } catch (PolicyException e) {
            throw new ServiceException(Kind.REFUSED, e.getMessage());
        }
    }

    private PartyId localLightNode(String uid) {
        return NodeLookup.localLightNode(home, uid, "disclosure policies");
    }
}
