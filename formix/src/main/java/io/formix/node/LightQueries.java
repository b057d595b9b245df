package io.formix.node;

import io.formix.data.DataException;
import io.formix.data.DataSources;
import io.formix.data.SourceKind;
import io.formix.data.SourceSpec;
import io.formix.node.Effect.Effects;
import io.formix.policy.ApprovalMode;
import io.formix.policy.PolicyException;
import io.formix.policy.ProposalFacts;
import io.formix.policy.ProposalHash;
import io.formix.policy.Verdict;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.query.Answer;
import io.formix.query.Evaluator;
import io.formix.query.Query;
import io.formix.query.QueryException;
import io.formix.query.QueryParser;
import io.formix.query.WrapGuard;
import io.formix.state.LightStore;
import io.formix.state.LightStore.Asked;
import io.formix.state.LightStore.Entry;
import io.formix.state.LightStore.State;
import io.formix.transport.PartyId;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The part of {@link LightCore} for computations that carry a query: checks on arrival (the query
 * parses, names a dataset of this node it can run on, cannot wrap over the threshold, passes the
 * controls that need no data), approval (by the owner, or by the node's policy with {@code
 * --approval policy}), the evaluation (asked of the driver as {@link Effect.Evaluate}, answered by
 * {@link LightCore.Evaluated}), every control on the answer (recorded in the ledger), the shares.
 * Every refusal tells the heavy nodes {@link Verdict#GENERIC} and keeps its precise reason in the
 * store and the node's log. Not thread-safe, like the core.
 */
final class LightQueries {

    private final PartyId uid;
    private final LightStore store;
    private final LightData data;
    private final LightCore.Sharer sharer;
    /** Computations whose evaluation was asked for and has not come back. */
    private final Set<String> evaluating = new HashSet<>();

    LightQueries(PartyId uid, LightStore store, LightData data, LightCore.Sharer sharer) {
        this.uid = uid;
        this.store = store;
        this.data = data;
        this.sharer = sharer;
    }

    /** A {@code compute} carrying a query; returns whether the computation now waits for its owner. */
    boolean onCompute(Envelope e, ComputeBody c, long now, Effects fx) {
        String id = e.computation();
        // named by heavy node 1 in the compute it signed; null when it knows no proposer
        String proposer = c.proposer() == null ? null : c.proposer().value();
        Query q = null;
        SourceSpec spec = null;
        String detail;
        if (now >= c.deadline()) {
            detail = "arrived after the deadline";
        } else {
            try {
                if (!QueryShares.z64(c.scheme())) {
                    throw new QueryException(
                            "a query's answer is shared over Z/2^64; scheme " + c.scheme() + " is not");
                }
                q = QueryParser.parse(c.query());
                spec = source(q);
                Evaluator.check(q, DataSources.open(spec));
                WrapGuard.check(q, Math.max(c.threshold(), c.invited().size()));
                Verdict v = data.beforeAnswer(
                        q, new ProposalFacts(id, proposer, c.threshold(), c.dpEpsilon(), Instant.ofEpochMilli(now)));
                detail = v.approved() ? null : v.ownerReason();
            } catch (QueryException | DataException | PolicyException ex) {
                detail = ex.getMessage();
            }
        }
        boolean manualSource = spec != null && spec.kind() == SourceKind.MANUAL;
        State initial = detail != null
                ? State.REFUSED
                : !manualSource && data.approval() == ApprovalMode.POLICY ? State.APPROVED : State.PENDING;
        Asked asked = Asked.of(c.query(), c.dpEpsilon(), c.threshold())
                .withDetail(detail)
                .withProposer(proposer);
        String wire = detail == null ? null : now >= c.deadline() ? detail : Verdict.GENERIC;
        if (!store.receiveQuery(
                id,
                c.prompt(),
                c.schema().toJsonText(),
                c.scheme(),
                c.deadline(),
                c.heavy(),
                asked,
                initial,
                wire,
                now)) {
            fx.info("computation " + id + " announced again: already handled");
            return false;
        }
        fx.info("received query computation " + id + " from " + e.from() + ", proposed by "
                + (proposer == null ? "an unknown node" : proposer) + " (deadline in "
                + Math.max(0, c.deadline() - now) + " ms)");
        Entry en = store.entry(id).orElseThrow();
        switch (initial) {
            case REFUSED -> {
                fx.info("declining computation " + id + ": " + detail);
                fx.add(LightMessages.declines(uid, en, wire));
            }
            case APPROVED -> {
                fx.info("computation " + id + " approved by the node's policy; evaluating");
                evaluate(en, q, spec, fx);
            }
            default ->
                fx.info("computation " + id
                        + (manualSource ? " waits for its owner's answer: " : " waits for " + "its owner's review: ")
                        + "formix comp review " + id + " --node " + uid);
        }
        return initial == State.PENDING;
    }

    /** An approved query computation on a tick or resume: evaluate it, or finish the owner's answer. */
    void approved(Entry en, long now, Effects fx) {
        if (evaluating.contains(en.id())) {
            return;
        }
        if (en.asked().cells() != null) {
            finish(en, new Answer(en.asked().cells(), 0, 0, 0, 0), null, now, fx);
            return;
        }
        try {
            Query q = QueryParser.parse(en.asked().query());
            evaluate(en, q, source(q), fx);
        } catch (QueryException | DataException e) {
            refuse(en, e.getMessage(), fx);
        }
    }

    /** Whether an evaluation is in flight. */
    boolean busy() {
        return !evaluating.isEmpty();
    }

    /** The driver's evaluation came back; false if it could not run now (retry from the next ticks). */
    boolean evaluated(LightCore.Evaluated ev, long now, Effects fx) {
        evaluating.remove(ev.computation());
        if (ev.answer() == null && ev.failure() == null) {
            return false;
        }
        Entry en = store.entry(ev.computation()).orElse(null);
        if (en != null && en.state() == State.APPROVED && en.asked() != null) {
            finish(en, ev.answer(), ev.failure(), now, fx);
        }
        return true;
    }

    private void evaluate(Entry en, Query q, SourceSpec spec, Effects fx) {
        if (spec.kind() == SourceKind.MANUAL) {
            refuse(en, "dataset " + spec.name() + " is answered by hand, and no answer was given", fx);
            return;
        }
        evaluating.add(en.id());
        fx.add(new Effect.Evaluate(en.id(), q, spec));
    }

    /** Applies every control to the answer, then shares it; or refuses with the reason. */
    private void finish(Entry en, Answer answer, String failure, long now, Effects fx) {
        if (now >= en.deadline()) {
            refuse(en, "the deadline passed before the answer was ready", fx);
            return;
        }
        if (failure != null) {
            refuse(en, "the local evaluation failed: " + failure, fx);
            return;
        }
        Asked a = en.asked();
        Verdict v;
        try {
            Query q = QueryParser.parse(a.query());
            if (a.approvedHash() != null && !a.approvedHash().equals(hash(en, q))) {
                refuse(en, "the proposal differs from the one the owner approved", fx);
                return;
            }
            if (answer.cells().length != q.aggregate().width()) {
                refuse(
                        en,
                        "the answer has " + answer.cells().length + " numbers, the query's "
                                + q.aggregate().width(),
                        fx);
                return;
            }
            v = data.decide(
                    q,
                    new ProposalFacts(en.id(), a.proposer(), a.threshold(), a.dpEpsilon(), Instant.ofEpochMilli(now)),
                    answer,
                    source(q).kind());
        } catch (QueryException | DataException | PolicyException e) {
            refuse(en, e.getMessage(), fx);
            return;
        }
        if (!v.approved()) {
            refuse(en, v.ownerReason(), fx);
            return;
        }
        List<byte[]> shares;
        try {
            shares = sharer.share(en.scheme(), answer.cells());
        } catch (IllegalStateException | IllegalArgumentException e) {
            refuse(en, "cannot share the answer: " + e.getMessage(), fx);
            return;
        }
        if (!store.answerCells(en.id(), answer.cells(), shares, now)) {
            return; // answered before: keep the first answer
        }
        fx.info("answered computation " + en.id() + " (" + v.ownerReason() + "); sending " + shares.size() + " shares");
        fx.add(LightMessages.shares(uid, en, shares));
    }

    private void refuse(Entry en, String detail, Effects fx) {
        if (store.refuse(en.id(), Verdict.GENERIC, detail)) {
            fx.info("declining computation " + en.id() + ": " + detail);
            store.entry(en.id()).ifPresent(x -> fx.add(LightMessages.declines(uid, x, Verdict.GENERIC)));
        }
    }

    private SourceSpec source(Query q) {
        return data.source(q.dataset())
                .orElseThrow(() -> new QueryException("no dataset " + q.dataset() + " on this node"));
    }

    /** The hash an owner's approval of {@code en} binds to ({@link ProposalHash}). */
    static String hash(Entry en, Query q) {
        return ProposalHash.of(
                en.prompt(),
                q,
                en.asked().threshold(),
                en.heavy().stream().map(PartyId::value).toList(),
                en.asked().dpEpsilon());
    }
}
