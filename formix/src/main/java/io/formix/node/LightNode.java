package io.formix.node;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.VectorShare;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.protocol.ResponseSchema;
import io.formix.state.LightStore;
import io.formix.state.LightStore.Entry;
import io.formix.state.LightStore.State;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * A light node: answers each computation (after its owner's approval if {@code manual}) with a
 * uniform integer from {@link java.security.SecureRandom} within 0..100 and the schema, keeps the
 * answer in its own {@code node.db}, and sends share i to heavy node i. Answer and shares are
 * persisted before anything is sent, so a restart resends the same shares and never re-answers.
 */
final class LightNode extends Node {

    /** The range of the first version's answers. */
    static final int ANSWER_MIN = 0;
    static final int ANSWER_MAX = 100;
    private static final long RETRY_MS = 1_000;

    private final LightStore store;
    private final Approval approval;
    private volatile boolean watching;
    private volatile long nextPoll;

    LightNode(PartyId uid, NodeLog log, Transport transport, HostServices services, LightStore store,
              Approval approval) {
        super(uid, log, transport, services);
        this.store = store;
        this.approval = approval;
    }

    @Override
    void onMessage(Envelope e) throws ProtocolException {
        if (e.type() == MessageType.RESULT) {
            Outcomes.record(this, e, Bodies.Result.parse(e.body()),
                    store.entry(e.computation()).map(Entry::prompt).orElse(""));
            return;
        }
        if (e.type() != MessageType.COMPUTE) {
            throw new ProtocolException("unexpected '" + e.type().wire() + "' message for a light node");
        }
        Bodies.Compute c = Bodies.Compute.parse(e.body());
        if (!c.heavy().get(0).equals(e.from())) {
            throw new ProtocolException("computation announced by " + e.from() + ", not by its heavy node 1 "
                    + c.heavy().get(0));
        }
        if (services.registry().role(e.from()).orElse(null) != Role.HEAVY) {
            throw new ProtocolException("announcer " + e.from() + " is not a registered heavy node");
        }
        long now = services.now();
        boolean expired = now >= c.deadline();
        if (!expired && approval == Approval.AUTO && answerAtOnce(e, c, now)) {
            return;
        }
        State initial = expired ? State.REFUSED : approval == Approval.AUTO ? State.APPROVED : State.PENDING;
        if (!store.receive(e.computation(), c.prompt(), c.schema().toJsonText(), c.scheme(), c.deadline(), c.heavy(),
                initial, now)) {
            log.info("computation " + e.computation() + " announced again: already handled");
            return;
        }
        log.info("received computation " + e.computation() + " from " + e.from() + " (deadline in "
                + Math.max(0, c.deadline() - now) + " ms)");
        switch (initial) {
            case APPROVED -> store.entry(e.computation()).ifPresent(this::answer);
            case PENDING -> {
                watching = true;
                log.info("computation " + e.computation() + " waits for approval: formix comp approve "
                        + e.computation() + " --node " + uid);
            }
            default -> store.entry(e.computation()).ifPresent(en -> sendDeclines(en, "arrived after the deadline"));
        }
    }

    @Override
    boolean wantsTick(long now) {
        return watching && now >= nextPoll;
    }

    @Override
    void tick() {
        if (!watching) {
            return;
        }
        long now = services.now();
        if (now < nextPoll) {
            return;
        }
        nextPoll = now + 200;
        resume();
    }

    @Override
    void resume() {
        boolean more = false;
        for (Entry en : store.all()) {
            switch (en.state()) {
                case APPROVED -> answer(en);
                case ANSWERED -> more |= !sendShares(en);
                case REFUSED -> sendDeclines(en, en.reason() == null ? "declined by the owner" : en.reason());
                case PENDING -> more |= en.deadline() > services.now();
                default -> {
                }
            }
        }
        watching = more;
        if (more) {
            nextPoll = services.now() + RETRY_MS;
        }
    }

    /**
     * The common case, automatic approval: draw, record the computation with its answer and shares
     * in one transaction, send. Returns false when no answer fits the schema (the caller then
     * records and declines it the long way).
     */
    private boolean answerAtOnce(Envelope e, Bodies.Compute c, long now) {
        long lo = c.schema().lowestInteger(ANSWER_MIN);
        long hi = c.schema().highestInteger(ANSWER_MAX);
        if (lo > hi) {
            return false;
        }
        int value = draw(c.schema(), lo, hi);
        List<byte[]> shares = share(c.scheme(), value);
        if (!store.receiveAnswered(e.computation(), c.prompt(), c.schema().toJsonText(), c.scheme(), c.deadline(),
                c.heavy(), value, shares, now)) {
            log.info("computation " + e.computation() + " announced again: already handled");
            return true;
        }
        log.info("received computation " + e.computation() + " from " + e.from() + " (deadline in "
                + (c.deadline() - now) + " ms); answered, sending " + shares.size() + " shares");
        store.entry(e.computation()).ifPresent(x -> {
            if (!sendShares(x)) {
                watching = true;
                nextPoll = services.now() + RETRY_MS;
            }
        });
        return true;
    }

    private int draw(ResponseSchema schema, long lo, long hi) {
        int value = (int) (lo + services.random().nextInt((int) (hi - lo + 1)));
        if (!schema.accepts(value)) {
            throw new IllegalStateException("a drawn answer fell outside the schema");
        }
        return value;
    }

    /** Draws the answer, persists it with its shares, then sends the shares. */
    private void answer(Entry en) {
        ResponseSchema schema = ResponseSchema.parse(en.schema());
        long lo = schema.lowestInteger(ANSWER_MIN);
        long hi = schema.highestInteger(ANSWER_MAX);
        if (lo > hi) {
            if (store.refuse(en.id(), "no integer in " + ANSWER_MIN + ".." + ANSWER_MAX + " satisfies the schema")) {
                store.entry(en.id()).ifPresent(x -> sendDeclines(x, x.reason()));
            }
            return;
        }
        int value = draw(schema, lo, hi);
        List<byte[]> shares = share(en.scheme(), value);
        if (!store.answer(en.id(), value, shares, services.now())) {
            return; // answered before (a duplicate announcement or a race with resume): keep the first
        }
        log.info("answered computation " + en.id() + "; sending " + shares.size() + " shares");
        store.entry(en.id()).ifPresent(x -> {
            if (!sendShares(x)) {
                watching = true;
                nextPoll = services.now() + RETRY_MS;
            }
        });
    }

    /**
     * Shares {@code value} with the computation's scheme (mpc draws the randomness); element i is
     * the encoded share for heavy node i.
     */
    private List<byte[]> share(String scheme, int value) {
        List<byte[]> out = new ArrayList<>();
        for (VectorShare s : services.scheme(scheme).share(new int[] {value})) {
            out.add(ShareCodec.encode(s));
        }
        return out;
    }

    private boolean sendShares(Entry en) {
        boolean all = true;
        for (int i = 0; i < en.heavy().size(); i++) {
            all &= send(Envelope.of(MessageType.SHARE, uid, en.heavy().get(i), en.id(),
                    new Bodies.Share(en.encodedShares().get(i)).toJson()));
        }
        if (all) {
            store.markSent(en.id());
            log.info("shares of computation " + en.id() + " sent to " + en.heavy());
        }
        return all;
    }

    private void sendDeclines(Entry en, String reason) {
        boolean all = true;
        for (PartyId h : en.heavy()) {
            all &= send(Envelope.of(MessageType.DECLINE, uid, h, en.id(), new Bodies.Decline(reason).toJson()));
        }
        if (all) {
            store.markDeclined(en.id());
            log.info("declined computation " + en.id() + ": " + reason);
        }
    }

    @Override
    void closeStore() {
        store.close();
    }
}
