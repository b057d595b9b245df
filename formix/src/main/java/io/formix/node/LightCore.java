package io.formix.node;

import io.formix.mpc.SharingScheme;
import io.formix.node.Effect.Effects;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.ProtocolException;
import io.formix.protocol.ResponseSchema;
import io.formix.state.LightStore;
import io.formix.state.LightStore.Entry;
import io.formix.state.LightStore.State;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;

/**
 * A light node's side of the protocol, without I/O: {@link #handle} takes an event and the time and
 * returns the effects; state goes through the {@link LightStore} port, randomness comes from the
 * {@link SecureRandom} and the schemes it is given (mpc draws the shares). The answer and its shares
 * are persisted before any share is sent, so a restart resends the <em>same</em> shares. Transitions
 * (the state is the light node.db state of one computation):
 *
 * <table>
 * <caption>Light-node transitions</caption>
 * <tr><th>from</th><th>event</th><th>guard</th><th>to</th><th>effects</th></tr>
 * <tr><td>—</td><td>{@code compute} from h1</td><td>auto, before the deadline, an answer fits</td><td>answered</td><td>SendAll shares</td></tr>
 * <tr><td>—</td><td>{@code compute}</td><td>manual, before the deadline</td><td>pending</td><td>Log (waits for {@code comp approve})</td></tr>
 * <tr><td>—</td><td>{@code compute}</td><td>at or after the deadline</td><td>refused</td><td>SendAll declines</td></tr>
 * <tr><td>—, approved</td><td>{@code compute}, {@link Tick}</td><td>no integer of 0..100 fits the schema</td><td>refused</td><td>SendAll declines</td></tr>
 * <tr><td>approved</td><td>{@link Tick}, {@link Resume}</td><td>an answer fits</td><td>answered</td><td>SendAll shares</td></tr>
 * <tr><td>answered</td><td>{@link Delivered} (all)</td><td></td><td>sent</td><td>Log</td></tr>
 * <tr><td>answered</td><td>{@link Tick}, {@link Resume}</td><td></td><td>answered</td><td>SendAll the stored shares again</td></tr>
 * <tr><td>refused</td><td>{@link Delivered} (all)</td><td></td><td>declined</td><td>Log</td></tr>
 * <tr><td>refused</td><td>{@link Tick}, {@link Resume}</td><td></td><td>refused</td><td>SendAll declines again</td></tr>
 * <tr><td>—</td><td>{@code compute} with a query</td><td>unparsable, unknown dataset, unfit, may wrap, a
 *     data-free control fails</td><td>refused</td><td>SendAll declines (generic reason; the precise one stored)</td></tr>
 * <tr><td>—</td><td>{@code compute} with a query</td><td>{@code --approval policy}, not a manual source</td>
 *     <td>approved</td><td>Evaluate</td></tr>
 * <tr><td>—</td><td>{@code compute} with a query</td><td>otherwise</td><td>pending</td><td>Log (waits for
 *     {@code comp review}/{@code approve}/{@code answer})</td></tr>
 * <tr><td>approved (query)</td><td>{@link Tick}, {@link Resume}</td><td>no evaluation in flight</td><td>approved</td>
 *     <td>Evaluate (or, with the owner's answer, as {@link Evaluated})</td></tr>
 * <tr><td>approved (query)</td><td>{@link Evaluated}</td><td>before the deadline, same hash, every control
 *     passes (ledger recorded)</td><td>answered</td><td>SendAll shares of the cells</td></tr>
 * <tr><td>approved (query)</td><td>{@link Evaluated}</td><td>failed, late or a control fails</td><td>refused</td>
 *     <td>SendAll declines (generic reason)</td></tr>
 * </table>
 *
 * <p>{@code pending} → {@code approved}/{@code refused} is the owner's ({@code comp approve} writes
 * the store); the next tick carries on. Not thread-safe: the driver runs one event at a time.
 */
final class LightCore {

    /** The range of the first version's answers. */
    static final int ANSWER_MIN = 0, ANSWER_MAX = 100;

    static final long RETRY_MS = 1_000;
    static final long POLL_MS = 200;

    /** An event for the core. */
    sealed interface Event {}

    /** A {@code compute} announcement, already decoded. */
    record Announced(Envelope envelope) implements Event {}

    /** Periodic work: approvals made by the owner, sends to retry. */
    record Tick() implements Event {}

    /** The node (re)started. */
    record Resume() implements Event {}

    /** The messages of a {@link Effect.SendAll} were handed to the transport ({@code all}) or not. */
    record Delivered(String computation, boolean shares, boolean all) implements Event {}

    /**
     * An {@link Effect.Evaluate} came back: the {@code answer}, or why it {@code failure}d; both null
     * when it could not run now (the evaluations are busy: it is asked again from the next ticks).
     */
    record Evaluated(String computation, io.formix.query.Answer answer, String failure) implements Event {}

    /** Shares a query's answer cells with a 64-bit scheme: one {@code ShareCodec} encoding per heavy node. */
    interface Sharer {
        List<byte[]> share(String scheme, long[] cells);
    }

    private final PartyId uid;
    private final LightStore store;
    private final HeavyCore.Roles roles;
    private final boolean auto;
    private final SecureRandom random;
    private final Function<String, SharingScheme> schemes;
    private final LightQueries queries;
    private boolean watching;
    private long nextPoll;

    LightCore(
            PartyId uid,
            LightStore store,
            HeavyCore.Roles roles,
            boolean auto,
            SecureRandom random,
            Function<String, SharingScheme> schemes) {
        this(
                uid,
                store,
                roles,
                auto,
                random,
                schemes,
                LightData.NONE,
                (s, c) -> QueryShares.share(schemes.apply(s), c));
    }

    LightCore(
            PartyId uid,
            LightStore store,
            HeavyCore.Roles roles,
            boolean auto,
            SecureRandom random,
            Function<String, SharingScheme> schemes,
            LightData data,
            Sharer sharer) {
        this.uid = uid;
        this.store = store;
        this.roles = roles;
        this.auto = auto;
        this.random = random;
        this.schemes = schemes;
        this.queries = new LightQueries(uid, store, data, sharer);
    }

    /** Whether a {@link Tick} has work at {@code now} (cheap: read by the host's ticker). */
    boolean wantsTick(long now) {
        return now >= nextTick();
    }

    /** When a {@link Tick} next has work ({@code Long.MAX_VALUE}: not before another event). */
    long nextTick() {
        return watching ? nextPoll : Long.MAX_VALUE;
    }

    List<Effect> handle(Event event, long now) throws ProtocolException {
        Effects fx = new Effects();
        if (event instanceof Announced a) {
            onCompute(a.envelope(), now, fx);
        } else if (event instanceof Tick) {
            if (watching && now >= nextPoll) {
                nextPoll = now + POLL_MS;
                resume(now, fx);
            }
        } else if (event instanceof Resume) {
            resume(now, fx);
        } else if (event instanceof Delivered d) {
            delivered(d, now, fx);
        } else if (event instanceof Evaluated v && !queries.evaluated(v, now, fx)) {
            watching = true;
            nextPoll = now + RETRY_MS;
        }
        return fx.list();
    }

    private void onCompute(Envelope e, long now, Effects fx) throws ProtocolException {
        ComputeBody c = ComputeBody.parse(e.body());
        if (!c.heavy().get(0).equals(e.from())) {
            throw new ProtocolException("computation announced by " + e.from() + ", not by its heavy node 1 "
                    + c.heavy().get(0));
        }
        if (roles.role(e.from()).orElse(null) != Role.HEAVY) {
            throw new ProtocolException("announcer " + e.from() + " is not a registered heavy node");
        }
        if (c.query() != null) {
            watching |= queries.onCompute(e, c, now, fx);
            return;
        }
        boolean expired = now >= c.deadline();
        if (!expired && auto && answerAtOnce(e, c, now, fx)) {
            return;
        }
        State initial = expired ? State.REFUSED : auto ? State.APPROVED : State.PENDING;
        if (!store.receive(
                e.computation(),
                c.prompt(),
                c.schema().toJsonText(),
                c.scheme(),
                c.deadline(),
                c.heavy(),
                initial,
                now)) {
            fx.info("computation " + e.computation() + " announced again: already handled");
            return;
        }
        fx.info("received computation " + e.computation() + " from " + e.from() + " (deadline in "
                + Math.max(0, c.deadline() - now) + " ms)");
        switch (initial) {
            case APPROVED -> store.entry(e.computation()).ifPresent(x -> answer(x, now, fx));
            case PENDING -> {
                watching = true;
                fx.info("computation " + e.computation() + " waits for approval: formix comp approve " + e.computation()
                        + " --node " + uid);
            }
            default ->
                store.entry(e.computation())
                        .ifPresent(x -> fx.add(LightMessages.declines(uid, x, "arrived after the deadline")));
        }
    }

    /**
     * The common case, automatic approval: draw, record the computation with its answer and shares
     * in one insert, send. False when no answer fits the schema (then it is declined the long way).
     */
    private boolean answerAtOnce(Envelope e, ComputeBody c, long now, Effects fx) {
        Integer value = LightMessages.draw(c.schema(), random);
        if (value == null) {
            return false;
        }
        List<byte[]> shares = LightMessages.encode(schemes.apply(c.scheme()), value);
        if (!store.receiveAnswered(
                e.computation(),
                c.prompt(),
                c.schema().toJsonText(),
                c.scheme(),
                c.deadline(),
                c.heavy(),
                value,
                shares,
                now)) {
            fx.info("computation " + e.computation() + " announced again: already handled");
            return true;
        }
        fx.info("received computation " + e.computation() + " from " + e.from() + " (deadline in "
                + (c.deadline() - now) + " ms); answered, sending " + shares.size() + " shares");
        store.entry(e.computation()).ifPresent(x -> fx.add(LightMessages.shares(uid, x)));
        return true;
    }

    private void resume(long now, Effects fx) {
        boolean more = false;
        for (Entry en : store.all()) {
            switch (en.state()) {
                case APPROVED -> {
                    if (en.asked() != null) {
                        queries.approved(en, now, fx);
                    } else {
                        answer(en, now, fx);
                    }
                }
                case ANSWERED -> fx.add(LightMessages.shares(uid, en));
                case REFUSED ->
                    fx.add(LightMessages.declines(
                            uid, en, en.reason() == null ? "declined by the owner" : en.reason()));
                case PENDING -> more |= en.deadline() > now;
                default -> {}
            }
        }
        watching = more;
        if (more) {
            nextPoll = now + RETRY_MS;
        }
    }

    /** Draws the answer, persists it with its shares, then sends the shares. */
    private void answer(Entry en, long now, Effects fx) {
        Integer value = LightMessages.draw(ResponseSchema.parse(en.schema()), random);
        if (value == null) {
            if (store.refuse(en.id(), "no integer in " + ANSWER_MIN + ".." + ANSWER_MAX + " satisfies the schema")) {
                store.entry(en.id()).ifPresent(x -> fx.add(LightMessages.declines(uid, x, x.reason())));
            }
            return;
        }
        List<byte[]> shares = LightMessages.encode(schemes.apply(en.scheme()), value);
        if (!store.answer(en.id(), value, shares, now)) {
            return; // answered before (a duplicate announcement or a race with resume): keep the first
        }
        fx.info("answered computation " + en.id() + "; sending " + shares.size() + " shares");
        store.entry(en.id()).ifPresent(x -> fx.add(LightMessages.shares(uid, x)));
    }

    private void delivered(Delivered d, long now, Effects fx) {
        if (!d.all()) {
            watching = true; // retried from the next ticks
            nextPoll = now + RETRY_MS;
            return;
        }
        Entry en = store.entry(d.computation()).orElse(null);
        if (d.shares() && store.markSent(d.computation())) {
            fx.info("shares of computation " + d.computation() + " sent to " + (en == null ? "" : en.heavy()));
        } else if (!d.shares() && store.markDeclined(d.computation())) {
            fx.info("declined computation " + d.computation() + ": " + (en == null ? "" : en.reason()));
        }
    }
}
