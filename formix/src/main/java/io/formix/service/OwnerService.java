package io.formix.service;

import io.formix.data.DataSourceStore;
import io.formix.data.SourceKind;
import io.formix.policy.PolicyException;
import io.formix.policy.PolicyStore;
import io.formix.policy.ProposalHash;
import io.formix.policy.Verdict;
import io.formix.query.Query;
import io.formix.query.QueryException;
import io.formix.query.QueryParser;
import io.formix.service.OwnerViews.ComputationReview;
import io.formix.service.OwnerViews.InboxItem;
import io.formix.service.ServiceException.Kind;
import io.formix.state.LightStore;
import io.formix.state.LightStore.Entry;
import io.formix.state.LightStore.State;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What the owner of a light node of this home does with the computations it received ({@code comp
 * inbox/review/approve/decline/answer}). Every decision is written to the node's own {@code
 * node.db}; the running node carries it out at its next tick (within a second). An approval of a
 * computation that carries a query is bound to the proposal's hash ({@link ProposalHash}): the
 * hash given with {@code --hash}, or the one the last {@code comp review} recorded; a proposal
 * whose hash differs needs a new review.
 */
public final class OwnerService {

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    /** The longest reason an owner gives a decline. */
    public static final int MAX_REASON = 512;

    private final Home home;
    private final Clock clock;

    public OwnerService(Home home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /** The computations light node {@code node} holds pending, before their deadline, oldest first. */
    public List<InboxItem> inbox(String node) {
        PartyId uid = lightNode(node);
        long now = clock.millis();
        return withStore(uid, s -> {
            List<InboxItem> out = new ArrayList<>();
            for (Entry e : s.inState(State.PENDING)) {
                if (e.deadline() <= now) {
                    continue;
                }
                String dataset = null;
                String needs = "approve";
                if (e.asked() != null) {
                    dataset = parse(e).dataset();
                    needs = kind(uid, dataset) == SourceKind.MANUAL ? "answer" : "review";
                }
                out.add(new InboxItem(
                        e.id(),
                        e.prompt(),
                        dataset,
                        needs,
                        e.asked() != null && e.asked().reviewedHash() != null,
                        e.deadline(),
                        e.deadline() - now,
                        e.asked() == null ? null : e.asked().proposer()));
            }
            return out;
        });
    }

    /**
     * The review of computation {@code id} on {@code node}, computed locally now (nothing leaves the
     * node); records the proposal hash it shows, which a later {@code comp approve} binds to.
     */
    public ComputationReview review(String id, String node) {
        PartyId uid = lightNode(node);
        Entry e = withStore(uid, s -> find(s, uid, id));
        if (e.asked() == null) {
            throw new ServiceException(
                    Kind.REFUSED,
                    id + " carries no query (its answer is drawn within its schema): approve it with formix comp "
                            + "approve " + id + " --node " + uid);
        }
        ReviewView view = new PolicyService(home, clock)
                .review(
                        uid.value(),
                        new PolicyService.DryRun(
                                e.prompt(),
                                e.asked().query(),
                                e.asked().threshold(),
                                e.heavy().stream().map(PartyId::value).toList(),
                                e.asked().proposer(),
                                e.asked().dpEpsilon()));
        withStore(uid, s -> s.reviewed(id, view.proposalHash()));
        String approval;
        try (PolicyStore p = PolicyStore.open(home.files(), uid)) {
            approval = p.approval().label();
        }
        long now = clock.millis();
        return new ComputationReview(id, e.state().label(), e.deadline(), e.deadline() - now, approval, view);
    }

    /**
     * Approves computation {@code id} on {@code node}. With a query, the approval binds to {@code
     * hash} (or, when null, the hash the last review recorded) and is refused unless it is the
     * proposal's; returns the hash approved ({@code null} for a computation without a query).
     */
    public String approve(String id, String node, String hash) {
        PartyId uid = lightNode(node);
        return withStore(uid, s -> {
            Entry e = open(s, uid, id);
            if (e.asked() == null) {
                if (!s.decide(id, true, null)) {
                    throw already(e, uid);
                }
                return null;
            }
            if (kind(uid, parse(e).dataset()) == SourceKind.MANUAL) {
                throw new ServiceException(
                        Kind.REFUSED,
                        "dataset " + parse(e).dataset() + " is answered by hand: formix comp answer " + id + " --node "
                                + uid + " (--value V | --choice C | --file F)");
            }
            String bound = bind(e, uid, hash);
            if (!s.approveQuery(id, bound, null)) {
                throw already(e, uid);
            }
            return bound;
        });
    }

    /** Declines computation {@code id} on {@code node}: the heavy nodes get a generic reason, {@code reason} stays here. */
    public void decline(String id, String node, String reason) {
        PartyId uid = lightNode(node);
        if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON)) {
            throw new ServiceException(Kind.USAGE, "--reason takes 1.." + MAX_REASON + " characters");
        }
        String detail = reason == null ? "declined by the owner" : "declined by the owner: " + reason;
        withStore(uid, s -> {
            Entry e = find(s, uid, id);
            boolean done = e.asked() == null
                    ? s.refuse(id, "declined by the owner", detail)
                    : s.refuse(id, Verdict.GENERIC, detail);
            if (!done) {
                throw already(e, uid);
            }
            return null;
        });
    }

    /**
     * The owner answers computation {@code id} of a manual source by hand: {@code value} is checked
     * against the query's type ({@link ManualAnswer}), bound to the proposal hash like an approval.
     * Returns the cells the node will share.
     */
    public long[] answer(String id, String node, ManualAnswer value, String hash) {
        PartyId uid = lightNode(node);
        return withStore(uid, s -> {
            Entry e = open(s, uid, id);
            if (e.asked() == null) {
                throw new ServiceException(
                        Kind.REFUSED,
                        id + " carries no query (its answer is drawn within its schema): approve it with formix comp "
                                + "approve " + id + " --node " + uid);
            }
            Query q = parse(e);
            if (kind(uid, q.dataset()) != SourceKind.MANUAL) {
                throw new ServiceException(
                        Kind.REFUSED,
                        "dataset " + q.dataset() + " is not answered by hand: the node computes its answer — "
                                + "formix comp approve " + id + " --node " + uid);
            }
            long[] cells = value.cells(q);
            String bound = bind(e, uid, hash);
            if (!s.approveQuery(id, bound, cells)) {
                throw already(e, uid);
            }
            return cells;
        });
    }

    /** The hash to bind an approval of {@code e} to: {@code given} or the reviewed one, which must be the proposal's. */
    private String bind(Entry e, PartyId uid, String given) {
        if (given != null && !HASH.matcher(given).matches()) {
            throw new ServiceException(Kind.USAGE, "--hash takes the 64 hex digits formix comp review printed");
        }
        String bound = given != null ? given : e.asked().reviewedHash();
        if (bound == null) {
            throw new ServiceException(
                    Kind.REFUSED,
                    "review " + e.id() + " first: formix comp review " + e.id() + " --node " + uid
                            + " (an approval binds to the hash of the proposal you reviewed)");
        }
        String current = hash(e);
        if (!bound.equals(current)) {
            throw new ServiceException(
                    Kind.REFUSED,
                    "the proposal " + e.id() + " on " + uid + " has hash " + current + ", not " + bound
                            + " — it is not the one you reviewed: review it again");
        }
        return bound;
    }

    /** The proposal hash of a query computation as the node stored it. */
    static String hash(Entry e) {
        return ProposalHash.of(
                e.prompt(),
                parse(e),
                e.asked().threshold(),
                e.heavy().stream().map(PartyId::value).toList(),
                e.asked().dpEpsilon());
    }

    private static Query parse(Entry e) {
        try {
            return QueryParser.parse(e.asked().query());
        } catch (QueryException x) {
            throw new ServiceException(Kind.REFUSED, "the query of " + e.id() + " is not one: " + x.getMessage());
        }
    }

    /** A pending computation before its deadline, or the reason it cannot be decided. */
    private Entry open(LightStore s, PartyId uid, String id) {
        Entry e = find(s, uid, id);
        if (e.state() != State.PENDING) {
            throw already(e, uid);
        }
        if (clock.millis() >= e.deadline()) {
            throw new ServiceException(
                    Kind.REFUSED, id + " expired on " + uid + " (its deadline passed): nothing can be sent any more");
        }
        return e;
    }

    private static ServiceException already(Entry e, PartyId uid) {
        return new ServiceException(
                Kind.REFUSED, e.id() + " is already " + e.state().label() + " on " + uid + ": nothing to decide");
    }

    private static Entry find(LightStore s, PartyId uid, String id) {
        if (!PartyId.isValid(id)) {
            throw new ServiceException(
                    Kind.USAGE,
                    "'" + TerminalText.safe(id.length() > 40 ? id.substring(0, 40) + "…" : id)
                            + "' is not a computation id (e.g. c3f9a01b2)");
        }
        return s.entry(id)
                .orElseThrow(() -> new ServiceException(
                        Kind.NOT_FOUND,
                        uid + " has not received " + id + " — see formix comp inbox --node " + uid
                                + " (is it running? formix node start " + uid + ")"));
    }

    private SourceKind kind(PartyId uid, String dataset) {
        try (DataSourceStore d = DataSourceStore.open(home.files(), uid)) {
            return d.get(dataset).map(x -> x.spec().kind()).orElse(null);
        }
    }

    private PartyId lightNode(String node) {
        return NodeLookup.localLightNode(home, node, "computations");
    }

    private <T> T withStore(PartyId uid, Function<LightStore, T> work) {
        if (!Files.exists(home.files().nodeDb(uid))) {
            throw new ServiceException(
                    Kind.NOT_FOUND,
                    uid + " has received no computation yet — is it running? (formix node start " + uid + ")");
        }
        try (LightStore s = LightStore.open(home.files(), uid)) {
            return work.apply(s);
        } catch (PolicyException e) {
            throw new ServiceException(Kind.REFUSED, e.getMessage());
        }
    }
}
