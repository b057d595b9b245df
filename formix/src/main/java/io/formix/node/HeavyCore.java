package io.formix.node;

import io.formix.node.Effect.Effects;
import io.formix.protocol.Bodies;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.ProtocolException;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.State;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A heavy node's side of the protocol, without I/O: {@link #handle} takes an event and the time and
 * returns the effects; persistent state goes through the {@link HeavyStore} port (the driver wraps
 * each call in one transaction). No thread, no clock, no transport: tests drive it with a fixed
 * {@code now} and an in-memory store. The transition table (the state is the node.db state of one
 * computation; "h1" is its heavy node 1, "h2/3" the others):
 *
 * <table>
 * <caption>Heavy-node transitions</caption>
 * <tr><th>from</th><th>event</th><th>guard</th><th>to</th><th>effects</th></tr>
 * <tr><td>—</td><td>{@link Proposal} (h1)</td><td>valid</td><td>broadcasting</td><td>Advance broadcast, Broadcast</td></tr>
 * <tr><td>—</td><td>{@link Proposal} (h1)</td><td>invalid</td><td>—</td><td>Fail, Outcome</td></tr>
 * <tr><td>—</td><td>{@code compute} from h1 (h2/3)</td><td>names this node</td><td>collecting</td><td>Log</td></tr>
 * <tr><td>broadcasting</td><td>{@link BroadcastDone}</td><td></td><td>collecting</td><td>Advance collecting, undelivered recorded</td></tr>
 * <tr><td>broadcasting, collecting</td><td>{@code share}/{@code decline}</td><td>invited, first</td><td>same</td><td>stored (Answers on a later tick, h1)</td></tr>
 * <tr><td>collecting</td><td>{@code share}/{@code decline}</td><td>every invited light responded</td><td>closed</td><td>as the deadline close</td></tr>
 * <tr><td>collecting</td><td>{@link Drained}</td><td>now ≥ deadline</td><td>closed</td><td>h1: Answers, Advance aggregating; h2/3: Send received</td></tr>
 * <tr><td>closed … failed</td><td>{@code share}</td><td></td><td>same</td><td>counted late</td></tr>
 * <tr><td>closed (h1)</td><td>{@code received}, {@link Tick}</td><td>both reports, final set ≥ threshold</td><td>aggregating</td><td>Send aggregate</td></tr>
 * <tr><td>closed (h1)</td><td>{@code received}, {@link Tick}</td><td>both reports, final set &lt; threshold</td><td>failed</td><td>Fail, Send abort, Outcome</td></tr>
 * <tr><td>closed (h1)</td><td>{@link Tick}</td><td>a report missing, now ≥ deadline + grace</td><td>failed</td><td>Fail, Send abort, Outcome</td></tr>
 * <tr><td>aggregating (h1)</td><td>{@code partial}, {@link Tick}</td><td>all partial sums, same contributor digest</td><td>revealed</td><td>Reveal, Outcome</td></tr>
 * <tr><td>aggregating (h1)</td><td>{@code partial}</td><td>digests or components disagree</td><td>failed</td><td>Fail, Send abort, Outcome</td></tr>
 * <tr><td>aggregating (h1)</td><td>{@link Tick}</td><td>a partial sum missing, now ≥ deadline + 2·grace</td><td>failed</td><td>Fail, Send abort, Outcome</td></tr>
 * <tr><td>closed, aggregating (h2/3)</td><td>{@code aggregate} from h1</td><td>a share for every light of the set</td><td>aggregating</td><td>Send partial</td></tr>
 * <tr><td>any open (h2/3)</td><td>{@code abort} from h1</td><td></td><td>failed</td><td>Log</td></tr>
 * <tr><td>closed, aggregating (h2/3)</td><td>{@link Tick}</td><td>now ≥ deadline + 3·grace</td><td>failed</td><td>Fail</td></tr>
 * <tr><td>any</td><td>{@link Resume}</td><td></td><td>same</td><td>h1: Broadcast again if broadcasting; h2/3: Send received (closed) or partial (aggregating)</td></tr>
 * </table>
 *
 * <p>With a scheme where any two heavy nodes are a quorum (replicated 2-of-3, see
 * {@link HeavyAgreement#tolerant}) these rows replace the ones above (T = deadline + 1.5·grace,
 * {@link HeavyAgreement#takeoverAt}):
 *
 * <table>
 * <caption>Heavy-node transitions of a replicated computation</caption>
 * <tr><th>from</th><th>event</th><th>guard</th><th>to</th><th>effects</th></tr>
 * <tr><td>—</td><td>{@link Proposal} (h1)</td><td>valid</td><td>broadcasting</td><td>Advance broadcast, Send compute to h2, h3, then Broadcast to the lights</td></tr>
 * <tr><td>collecting</td><td>close</td><td></td><td>closed</td><td>every heavy node: Send received to the two others</td></tr>
 * <tr><td>closed (h1)</td><td>{@code received}, {@link Tick}</td><td>one report, now ≥ deadline + grace</td><td>aggregating</td><td>Send aggregate to the reporter</td></tr>
 * <tr><td>closed (h1)</td><td>{@link Tick}</td><td>no report, now ≥ deadline + grace</td><td>failed</td><td>Fail, Send abort, Outcome</td></tr>
 * <tr><td>aggregating (h1)</td><td>{@code partial}, {@link Tick}</td><td>a quorum of partial sums, same digest</td><td>revealed</td><td>Reveal, Outcome</td></tr>
 * <tr><td>closed, aggregating (h2/3)</td><td>{@code aggregate} from h1 or h2</td><td></td><td>aggregating</td><td>Send partial to the sender over the set fixed first</td></tr>
 * <tr><td>closed, aggregating, takeover (h2/3)</td><td>{@link Tick}</td><td>now ≥ T, ended in network.db ({@link Ends})</td><td>revealed | failed</td><td>Log</td></tr>
 * <tr><td>closed (h2)</td><td>{@link Tick}</td><td>now ≥ T, open, h3's report held, final set ≥ threshold</td><td>takeover</td><td>Send aggregate to h3</td></tr>
 * <tr><td>closed (h2)</td><td>{@link Tick}</td><td>now ≥ T, open, no report from h3 (or below threshold)</td><td>failed</td><td>Fail, Send abort, Outcome</td></tr>
 * <tr><td>aggregating (h2)</td><td>{@link Tick}</td><td>now ≥ T, open</td><td>takeover</td><td>Send aggregate (its set) to h3</td></tr>
 * <tr><td>takeover (h2)</td><td>{@code partial} from h3</td><td>components agree</td><td>revealed</td><td>Reveal, Outcome (else failed)</td></tr>
 * <tr><td>takeover (h2)</td><td>{@link Tick}</td><td>now ≥ deadline + 3·grace</td><td>failed</td><td>Fail, Send abort, Outcome</td></tr>
 * <tr><td>closed, aggregating (h3)</td><td>{@link Tick}</td><td>now ≥ deadline + 3·grace, open</td><td>failed</td><td>Fail</td></tr>
 * </table>
 *
 * <p>Every handler is idempotent (inserts are keyed, transitions conditional), so a replayed message
 * or a restart changes nothing that happened already. Not thread-safe: one mailbox thread per node.
 */
final class HeavyCore {

    /** An event for the core. */
    sealed interface Event {}

    /**
     * A proposal heavy node 1 found in {@code network.db}, with the light nodes registered now and
     * the sharing scheme to use (today always {@link io.formix.protocol.Bodies#DEFAULT_SCHEME}).
     */
    record Proposal(ComputationRecord record, List<PartyId> lights, String scheme) implements Event {}

    /** A message, already decoded, whose sender the transport vouched for. */
    record Message(Envelope envelope) implements Event {}

    /** Periodic work: timeouts, progress. */
    record Tick() implements Event {}

    /** Every message already delivered has been handled: the deadline closes may run. */
    record Drained() implements Event {}

    /** The broadcast of {@code computation} has ended; {@code undelivered} says who never got it and why. */
    record BroadcastDone(String computation, Map<PartyId, String> undelivered) implements Event {}

    /** The node (re)started: pick up persisted work. */
    record Resume() implements Event {}

    /** Who is a registered node, and with which role. */
    interface Roles {
        Optional<Role> role(PartyId uid);
    }

    /**
     * How a computation ended, as {@code network.db} says (written there by whichever heavy node
     * ended it, or by a {@code result} from another host); empty while it is open.
     */
    interface Ends {
        Ends NONE = id -> Optional.empty();

        Optional<Status> end(String computation);
    }

    static final long PROGRESS_EVERY_MS = 100;

    final PartyId uid;
    final HeavyStore store;
    final Roles roles;
    final Ends ends;
    private final HeavyAnnouncement announcement;
    private final HeavyAgreement agreement;
    final HeavyIntake intake;
    private long nextProgress;

    HeavyCore(PartyId uid, HeavyStore store, Roles roles) {
        this(uid, store, roles, Ends.NONE);
    }

    HeavyCore(PartyId uid, HeavyStore store, Roles roles, Ends ends) {
        this.uid = uid;
        this.store = store;
        this.roles = roles;
        this.ends = ends;
        this.announcement = new HeavyAnnouncement(this);
        this.agreement = new HeavyAgreement(this);
        this.intake = new HeavyIntake(this);
    }

    /**
     * Handles one event at {@code now}; the caller runs it inside one store transaction.
     *
     * @throws ProtocolException if a message is refused (nothing was changed); the reason is one line
     */
    List<Effect> handle(Event event, long now) throws ProtocolException {
        Effects fx = new Effects();
        if (event instanceof Proposal p) {
            announcement.propose(p, now, fx);
        } else if (event instanceof Message m) {
            onMessage(m.envelope(), now, fx);
        } else if (event instanceof Tick) {
            tick(now, fx);
        } else if (event instanceof Drained) {
            closeDue(now, fx);
        } else if (event instanceof BroadcastDone b) {
            announcement.broadcastDone(b, now, fx);
        } else if (event instanceof Resume) {
            resume(now, fx);
        }
        return fx.list();
    }

    /** The earliest deadline of a computation still collecting here ({@code Long.MAX_VALUE}: none). */
    long nextDeadline() {
        long earliest = Long.MAX_VALUE;
        for (Entry e : store.open()) {
            if (e.state() == State.COLLECTING) {
                earliest = Math.min(earliest, e.deadline());
            }
        }
        return earliest;
    }

    private void resume(long now, Effects fx) {
        for (Entry e : store.open()) {
            if (e.state() == State.TAKEOVER) {
                agreement.askForPartial(e, fx);
            } else if (e.myIndex() != 1 && e.state() == State.CLOSED) {
                agreement.sendReceived(e, fx);
            } else if (e.myIndex() != 1 && e.state() == State.AGGREGATING && e.finalSet() != null) {
                agreement.sendPartial(e, e.finalSet(), fx);
            }
            advance(e, now, fx);
        }
    }

    private void tick(long now, Effects fx) {
        List<Entry> open = store.open();
        intake.forgetAllBut(open);
        for (Entry e : open) {
            advance(e, now, fx);
        }
        if (now >= nextProgress) {
            nextProgress = now + PROGRESS_EVERY_MS;
            intake.progress().forEach((id, n) -> fx.add(new Effect.Answers(id, n)));
            intake.progress().clear();
        }
    }

    /** Moves one computation forward as far as its state and the clock allow. */
    void advance(Entry e, long now, Effects fx) {
        switch (e.state()) {
            case BROADCASTING -> announcement.broadcast(e, fx);
            case COLLECTING -> {
                if (intake.allResponded(e)) {
                    close(e, "every light node answered or declined", now, fx);
                }
            }
            case CLOSED, AGGREGATING, TAKEOVER -> agreement.advance(e, now, fx);
            default -> {}
        }
    }

    private void closeDue(long now, Effects fx) {
        for (Entry e : store.open()) {
            if (e.state() == State.COLLECTING && now >= e.deadline()) {
                close(e, "deadline", now, fx);
            }
        }
    }

    /** Draws the noise of differential privacy from {@code r} (tests fix it; a {@code SecureRandom} otherwise). */
    void noiseFrom(java.util.Random r) {
        agreement.steps.noise = r;
    }

    /** Refuses a share that is not for this heavy node's components of the computation's scheme. */
    void checkShare(Entry e, byte[] encoded) throws ProtocolException {
        agreement.checkShare(e, encoded);
    }

    void close(Entry e, String why, long now, Effects fx) {
        if (!store.transition(e.id(), State.COLLECTING, State.CLOSED, now)) {
            return;
        }
        intake.forget(e.id());
        Set<PartyId> held = agreement.heldInvited(e);
        fx.info("computation " + e.id() + ": closed (" + why + ") holding shares of " + held.size() + " of "
                + e.invited().size() + " light nodes");
        Entry closed = store.entry(e.id()).orElseThrow();
        if (e.myIndex() == 1) {
            fx.add(new Effect.Answers(e.id(), held.size()));
            fx.add(new Effect.Advance(e.id(), Status.AGGREGATING, -1));
            if (agreement.tolerant(e)) {
                agreement.sendReceived(closed, fx);
            }
            advance(closed, now, fx);
        } else {
            agreement.sendReceived(closed, fx);
        }
    }

    // ------------------------------------------------------------------ messages

    private void onMessage(Envelope m, long now, Effects fx) throws ProtocolException {
        switch (m.type()) {
            case SHARE -> intake.onShare(m, Bodies.Share.parse(m.body()), now, fx);
            case DECLINE -> intake.onDecline(m, Bodies.Decline.parse(m.body()), now, fx);
            case COMPUTE -> onCompute(m, ComputeBody.parse(m.body()), now, fx);
            case RECEIVED, AGGREGATE, PARTIAL, ABORT -> agreement.onMessage(m, now, fx);
            default -> throw new ProtocolException("unexpected '" + m.type().wire() + "' for a heavy node");
        }
    }

    private void onCompute(Envelope m, ComputeBody c, long now, Effects fx) throws ProtocolException {
        int index = c.heavy().indexOf(uid);
        if (index < 1) {
            throw new ProtocolException(
                    "computation " + m.computation() + " does not name " + uid + " as heavy node 2 or 3");
        }
        if (!c.heavy().get(0).equals(m.from())) {
            throw new ProtocolException("computation announced by " + m.from() + ", not by its heavy node 1");
        }
        agreement.checkQuery(m.computation(), c);
        Entry e = new Entry(
                m.computation(),
                index + 1,
                c.prompt(),
                c.schema().toJsonText(),
                c.scheme(),
                c.threshold(),
                c.deadline(),
                c.graceMs(),
                List.copyOf(c.heavy()),
                new TreeSet<>(c.invited()),
                State.COLLECTING,
                null,
                null,
                c.query(),
                c.dpEpsilon());
        if (store.create(e, now)) {
            fx.info("computation " + m.computation() + ": heavy node " + (index + 1) + ", collecting from "
                    + c.invited().size() + " light nodes");
        }
        intake.forget(m.computation());
        store.entry(m.computation()).ifPresent(x -> advance(x, now, fx));
    }
}
