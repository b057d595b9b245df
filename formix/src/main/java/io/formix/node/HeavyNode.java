package io.formix.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.Intake;
import io.formix.state.HeavyStore.Report;
import io.formix.state.HeavyStore.State;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * A heavy node. As heavy node 1 of a computation it picks the proposal up from {@code network.db},
 * broadcasts it, collects its shares, gathers the other two heavy nodes' received sets, fixes the
 * final set (the lights whose shares reached all three), checks the threshold, collects the partial
 * sums and reveals the total. As heavy node 2 or 3 it collects, reports its set at its close, and
 * returns its partial sum over the final set. Every step is a persisted transition of
 * {@link HeavyStore}, so a restart carries on; every handler is idempotent.
 *
 * <p>Timeouts, so nothing hangs: heavy node 1 fails the computation when a report is missing at
 * {@code deadline + grace} or a partial sum at {@code deadline + 2·grace}; heavy nodes 2 and 3 fail
 * it in {@code network.db} when heavy node 1 has not ended it by {@code deadline + 3·grace}.
 */
final class HeavyNode extends Node {

    private static final long PROPOSAL_RESCAN_MS = 1_000;
    private static final long PROGRESS_EVERY_MS = 100;

    private final HeavyStore store;
    /** Open computations' invited lights that answered or declined here (a cache of the store). */
    private final Map<String, Set<PartyId>> responded = new HashMap<>();
    private final Map<String, Integer> progress = new HashMap<>();
    /** Fixed facts of computations seen here (see {@link #known}). */
    private final Map<String, Entry> facts = new HashMap<>();
    /** Computations whose broadcast is still being sent. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private long seenVersion = Long.MIN_VALUE;
    /** Earliest deadline of a computation still collecting here (Long.MAX_VALUE: none). */
    private volatile long nextDeadline = Long.MAX_VALUE;
    private long nextRescan;
    private long nextProgress;

    HeavyNode(PartyId uid, NodeLog log, Transport transport, HostServices services, HeavyStore store) {
        super(uid, log, transport, services);
        this.store = store;
    }

    // ------------------------------------------------------------------ periodic work

    @Override
    void resume() {
        for (Entry e : store.open()) {
            if (e.myIndex() != 1 && e.state() == State.CLOSED) {
                sendReceived(e);
            } else if (e.myIndex() != 1 && e.state() == State.AGGREGATING && e.finalSet() != null) {
                sendPartial(e, e.finalSet());
            }
            advance(e);
        }
        pickUpProposals();
    }

    @Override
    void tick() {
        long now = services.now();
        long v = services.net().dataVersion();
        if (v != seenVersion || now >= nextRescan) {
            seenVersion = v;
            nextRescan = now + PROPOSAL_RESCAN_MS;
            pickUpProposals();
        }
        long earliest = Long.MAX_VALUE;
        List<Entry> open = store.open();
        if (facts.size() > open.size() + 16) {
            Set<String> ids = new java.util.HashSet<>();
            open.forEach(x -> ids.add(x.id()));
            facts.keySet().retainAll(ids);
        }
        for (Entry e : open) {
            advance(e);
            if (e.state() == State.COLLECTING) {
                earliest = Math.min(earliest, e.deadline());
            }
        }
        nextDeadline = earliest;
        if (now >= nextProgress && !progress.isEmpty()) {
            nextProgress = now + PROGRESS_EVERY_MS;
            progress.forEach((id, n) -> services.net().setAnswers(id, n));
            progress.clear();
        }
    }

    private void pickUpProposals() {
        for (ComputationRecord r : services.net().computations(Status.PROPOSED, uid)) {
            startAsHeavy1(r);
        }
    }

    /** Validates a proposal again (the proposer may be buggy or stale) and broadcasts it. */
    private void startAsHeavy1(ComputationRecord r) {
        long now = services.now();
        ResponseSchema schema;
        try {
            schema = ResponseSchema.parse(r.schema());
        } catch (IllegalArgumentException ex) {
            services.net().fail(r.id(), "invalid schema: " + ex.getMessage(), 0, 0, now);
            return;
        }
        String problem = null;
        if (new TreeSet<>(r.heavy()).size() != 3) {
            problem = "the three heavy nodes must be distinct";
        } else if (r.deadline() <= now) {
            problem = "the deadline had passed when heavy node 1 picked the proposal up";
        } else {
            for (PartyId h : r.heavy()) {
                if (services.registry().role(h).orElse(null) != Role.HEAVY) {
                    problem = h + " is not a registered heavy node";
                }
            }
        }
        if (problem != null) {
            log.warn("refused computation " + r.id() + ": " + problem);
            services.net().fail(r.id(), problem, 0, 0, now);
            sendResult(r.id(), List.of(), List.of(uid));
            return;
        }
        List<PartyId> lights = new ArrayList<>();
        for (NodeRecord n : services.net().members(Role.LIGHT)) {
            lights.add(n.uid());
            services.registry().remember(n);
        }
        store.create(r.id(), 1, r.prompt(), schema.toJsonText(), r.threshold(), r.deadline(), r.graceMs(), r.heavy(),
                lights, State.BROADCASTING, now);
        services.net().advance(r.id(), Status.BROADCAST, lights.size());
        log.info("computation " + r.id() + ": broadcasting to " + lights.size() + " light nodes");
        store.entry(r.id()).ifPresent(this::advance);
    }

    /**
     * Sends the announcement to heavy nodes 2, 3 and every invited light node through the host's
     * send pool, without holding this node's lock: shares that come back while the broadcast is
     * still going (it may wait on unreachable peers) are handled as they arrive. When every send
     * has finished, the computation moves to {@code collecting}. A restart re-broadcasts
     * (announcements are idempotent).
     */
    private void broadcast(Entry e) {
        if (!inFlight.add(e.id())) {
            return;
        }
        Bodies.Compute forHeavies = new Bodies.Compute(e.prompt(), ResponseSchema.parse(e.schema()), e.threshold(),
                e.deadline(), e.graceMs(), e.heavy(), new ArrayList<>(e.invited()));
        Bodies.Compute forLights = new Bodies.Compute(e.prompt(), ResponseSchema.parse(e.schema()), e.threshold(),
                e.deadline(), e.graceMs(), e.heavy(), List.of());
        List<CompletableFuture<Boolean>> sends = new ArrayList<>();
        try {
            for (int i = 1; i < 3; i++) {
                var env = Envelope.of(MessageType.COMPUTE, uid, e.heavy().get(i), e.id(), forHeavies.toJson());
                sends.add(CompletableFuture.supplyAsync(() -> send(env), services.senders()));
            }
            var body = forLights.toJson();
            for (PartyId light : e.invited()) {
                var env = Envelope.of(MessageType.COMPUTE, uid, light, e.id(), body);
                sends.add(CompletableFuture.supplyAsync(() -> send(env), services.senders()));
            }
        } catch (RejectedExecutionException ex) {
            inFlight.remove(e.id());
            return; // the host is closing; a restart re-broadcasts
        }
        CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).whenComplete((v, ex) -> {
            int failed = 0;
            for (int i = 2; i < sends.size(); i++) {
                failed += Boolean.TRUE.equals(sends.get(i).getNow(false)) ? 0 : 1;
            }
            synchronized (this) {
                inFlight.remove(e.id());
                if (stopping) {
                    return;
                }
                if (store.transition(e.id(), State.BROADCASTING, State.COLLECTING)) {
                    services.net().advance(e.id(), Status.COLLECTING, -1);
                    log.info("computation " + e.id() + ": broadcast done (" + (e.invited().size() - failed)
                            + " delivered, " + failed + " unreachable); collecting until the deadline");
                    store.entry(e.id()).ifPresent(this::advance);
                }
            }
        });
    }

    /** Moves one computation forward as far as its state and the clock allow. */
    private void advance(Entry e) {
        long now = services.now();
        switch (e.state()) {
            case BROADCASTING -> broadcast(e);
            case COLLECTING -> {
                if (allResponded(e)) {
                    closeCollection(e, "every light node answered or declined");
                }
            }
            case CLOSED -> {
                if (e.myIndex() == 1) {
                    decideFinalSet(e, now);
                } else {
                    watchHeavy1(e, now);
                }
            }
            case AGGREGATING -> {
                if (e.myIndex() == 1) {
                    reveal(e, now);
                } else {
                    watchHeavy1(e, now);
                }
            }
            default -> {
            }
        }
    }

    /*
     * The deadline close happens in onIdle, once the receiver has drained what was already
     * delivered, so a share that arrived before the deadline is never left unread in the transport
     * (the host bounds how long a flood can postpone it).
     */

    @Override
    boolean hasIdleWork(long now) {
        return now >= nextDeadline;
    }

    @Override
    java.time.Duration receivePoll(java.time.Duration standard) {
        return java.time.Duration.ofMillis(Math.min(100, standard.toMillis()));
    }

    @Override
    void onIdle() {
        long now = services.now();
        long earliest = Long.MAX_VALUE;
        for (Entry e : store.open()) {
            if (e.state() == State.COLLECTING && now >= e.deadline()) {
                closeCollection(e, "deadline");
            } else if (e.state() == State.COLLECTING) {
                earliest = Math.min(earliest, e.deadline());
            }
        }
        nextDeadline = earliest;
    }

    private boolean allResponded(Entry e) {
        Set<PartyId> r = responded(e);
        return r.containsAll(e.invited());
    }

    private Set<PartyId> responded(Entry e) {
        return responded.computeIfAbsent(e.id(), id -> {
            Set<PartyId> s = new TreeSet<>(store.shareHolders(id));
            s.addAll(store.decliners(id));
            s.retainAll(e.invited());
            return s;
        });
    }

    private void closeCollection(Entry e, String why) {
        Optional<Set<PartyId>> held = store.close(e.id(), services.now());
        if (held.isEmpty()) {
            return;
        }
        responded.remove(e.id());
        log.info("computation " + e.id() + ": closed (" + why + ") holding shares of " + held.get().size() + " of "
                + e.invited().size() + " light nodes");
        Entry closed = store.entry(e.id()).orElseThrow();
        if (e.myIndex() == 1) {
            services.net().setAnswers(e.id(), held.get().size());
            progress.remove(e.id());
            services.net().advance(e.id(), Status.AGGREGATING, -1);
            advance(closed);
        } else {
            sendReceived(closed);
        }
    }

    private void sendReceived(Entry e) {
        Set<PartyId> held = store.heldInvited(e.id());
        send(Envelope.of(MessageType.RECEIVED, uid, e.heavy().get(0), e.id(),
                new Bodies.Received(held, store.lateCount(e.id())).toJson()));
    }

    private void decideFinalSet(Entry e, long now) {
        Map<PartyId, Report> reports = store.reports(e.id());
        List<PartyId> missing = new ArrayList<>();
        for (int i = 1; i < 3; i++) {
            if (!reports.containsKey(e.heavy().get(i))) {
                missing.add(e.heavy().get(i));
            }
        }
        if (!missing.isEmpty()) {
            if (now >= e.deadline() + e.graceMs()) {
                fail(e, "heavy node " + join(missing) + " did not report its shares within " + e.graceMs()
                        + " ms after the deadline — check it is running (formix node start " + join(missing) + ")");
            }
            return;
        }
        Set<PartyId> finalSet = store.heldInvited(e.id());
        int late = store.lateCount(e.id());
        for (Report r : reports.values()) {
            finalSet.retainAll(r.lights());
            late += r.late();
        }
        if (finalSet.size() < e.threshold()) {
            fail(e, "threshold not met: only " + finalSet.size() + " of " + e.invited().size()
                    + " light nodes had shares at all three heavy nodes, threshold is " + e.threshold()
                    + " — nothing revealed");
            return;
        }
        int mine = store.aggregate(e.id(), finalSet);
        store.addPartial(e.id(), uid, mine);
        log.info("computation " + e.id() + ": final set of " + finalSet.size() + " light nodes (" + late
                + " late shares ignored); asking for partial sums");
        for (int i = 1; i < 3; i++) {
            send(Envelope.of(MessageType.AGGREGATE, uid, e.heavy().get(i), e.id(),
                    new Bodies.Aggregate(finalSet).toJson()));
        }
        store.entry(e.id()).ifPresent(x -> reveal(x, now));
    }

    private void reveal(Entry e, long now) {
        Map<PartyId, Integer> partials = store.partials(e.id());
        List<PartyId> missing = new ArrayList<>();
        for (PartyId h : e.heavy()) {
            if (!partials.containsKey(h)) {
                missing.add(h);
            }
        }
        if (!missing.isEmpty()) {
            if (now >= e.deadline() + 2 * e.graceMs()) {
                fail(e, "heavy node " + join(missing) + " did not send its partial sum in time — check it is running");
            }
            return;
        }
        int total = 0;
        for (int p : partials.values()) {
            total += p;
        }
        int participants = e.finalSet() == null ? 0 : e.finalSet().size();
        int late = store.lateCount(e.id());
        for (Report r : store.reports(e.id()).values()) {
            late += r.late();
        }
        store.finish(e.id(), State.REVEALED, null);
        services.net().reveal(e.id(), total, participants, late, now);
        log.info("computation " + e.id() + ": revealed the total over " + participants + " light nodes");
        sendResult(e.id(), e.invited(), e.heavy());
    }

    private void fail(Entry e, String reason) {
        int participants = e.finalSet() == null ? -1 : e.finalSet().size();
        store.finish(e.id(), State.FAILED, reason);
        services.net().fail(e.id(), reason, participants, store.lateCount(e.id()), services.now());
        log.warn("computation " + e.id() + " failed: " + reason);
        sendResult(e.id(), e.invited(), e.heavy());
        for (int i = 1; i < 3; i++) {
            send(Envelope.of(MessageType.ABORT, uid, e.heavy().get(i), e.id(), new Bodies.Abort(reason).toJson()));
        }
    }

    /** Heavy nodes 2 and 3 end a computation that heavy node 1 left hanging. */
    private void watchHeavy1(Entry e, long now) {
        if (now < e.deadline() + 3 * e.graceMs()) {
            return;
        }
        String reason = "heavy node 1 (" + e.heavy().get(0) + ") did not finish the computation within "
                + 3 * e.graceMs() + " ms after the deadline — check it is running";
        store.finish(e.id(), State.FAILED, reason);
        if (services.net().fail(e.id(), reason, -1, 0, now)) {
            log.warn("computation " + e.id() + " failed: " + reason);
        }
    }

    // ------------------------------------------------------------------ messages

    @Override
    void onMessage(Envelope m) throws ProtocolException {
        switch (m.type()) {
            case SHARE -> onShare(m, Bodies.Share.parse(m.body()));
            case DECLINE -> onDecline(m, Bodies.Decline.parse(m.body()));
            case COMPUTE -> onCompute(m, Bodies.Compute.parse(m.body()));
            case RECEIVED -> onReceived(m, Bodies.Received.parse(m.body()));
            case AGGREGATE -> onAggregate(m, Bodies.Aggregate.parse(m.body()));
            case PARTIAL -> onPartial(m, Bodies.Partial.parse(m.body()));
            case ABORT -> onAbort(m, Bodies.Abort.parse(m.body()));
            case PROPOSE -> onPropose(m, Bodies.Compute.parse(m.body()));
            case RESULT -> Outcomes.record(this, m, Bodies.Result.parse(m.body()),
                    store.entry(m.computation()).map(Entry::prompt).orElse(""));
            default -> throw new ProtocolException("unexpected '" + m.type().wire() + "' for a heavy node");
        }
    }

    /**
     * A computation's fixed facts (invited set, roles, deadline) without re-reading and re-parsing
     * the invited list for every share; its state may be stale, so callers only use the facts.
     */
    private Optional<Entry> known(String id) {
        Entry e = facts.get(id);
        if (e == null) {
            Optional<Entry> loaded = store.entry(id);
            loaded.ifPresent(x -> facts.put(id, x));
            return loaded;
        }
        return Optional.of(e);
    }

    /** The early close: every invited light node answered or declined here (a no-op unless collecting). */
    private void closeIfAllResponded(Entry facts) {
        if (allResponded(facts)) {
            store.entry(facts.id()).filter(x -> x.state() == State.COLLECTING)
                    .ifPresent(x -> closeCollection(x, "every light node answered or declined"));
        }
    }

    private Optional<Entry> lightMessage(Envelope m) throws ProtocolException {
        if (services.registry().role(m.from()).orElse(null) != Role.LIGHT) {
            throw new ProtocolException(m.type().wire() + " from " + m.from() + ", which is not a registered light node");
        }
        Optional<Entry> e = known(m.computation());
        if (e.isPresent() && !e.get().invited().contains(m.from())) {
            throw new ProtocolException(m.from() + " was not invited to computation " + m.computation());
        }
        return e;
    }

    private void onShare(Envelope m, Bodies.Share share) throws ProtocolException {
        Optional<Entry> e = lightMessage(m);
        Intake intake = store.addShare(m.computation(), m.from(), share.value(), services.now());
        switch (intake) {
            case ACCEPTED -> {
                if (e.isPresent()) {
                    responded(e.get()).add(m.from());
                    if (e.get().myIndex() == 1) {
                        progress.put(m.computation(), responded(e.get()).size());
                    }
                    closeIfAllResponded(e.get());
                }
            }
            case DUPLICATE -> log.info("duplicate share from " + m.from() + " for " + m.computation()
                    + " ignored (counted once)");
            case LATE -> log.info("share from " + m.from() + " for " + m.computation()
                    + " arrived after the close: ignored (counted as late)");
        }
    }

    private void onDecline(Envelope m, Bodies.Decline d) throws ProtocolException {
        Optional<Entry> e = lightMessage(m);
        if (store.addDecline(m.computation(), m.from()) == Intake.ACCEPTED) {
            log.info(m.from() + " declined computation " + m.computation());
            if (e.isPresent()) {
                responded(e.get()).add(m.from());
                closeIfAllResponded(e.get());
            }
        }
    }

    private void onCompute(Envelope m, Bodies.Compute c) throws ProtocolException {
        int index = c.heavy().indexOf(uid);
        if (index != 1 && index != 2) {
            throw new ProtocolException("computation " + m.computation() + " does not name " + uid
                    + " as heavy node 2 or 3");
        }
        if (!c.heavy().get(0).equals(m.from())) {
            throw new ProtocolException("computation announced by " + m.from() + ", not by its heavy node 1");
        }
        if (store.create(m.computation(), index + 1, c.prompt(), c.schema().toJsonText(), c.threshold(),
                c.deadline(), c.graceMs(), c.heavy(), c.invited(), State.COLLECTING, services.now())) {
            log.info("computation " + m.computation() + ": heavy node " + (index + 1) + ", collecting from "
                    + c.invited().size() + " light nodes");
        }
        responded.remove(m.computation());
        nextDeadline = Math.min(nextDeadline, c.deadline());
        store.entry(m.computation()).ifPresent(this::advance);
    }

    private Entry heavyMessage(Envelope m, boolean fromHeavy1) throws ProtocolException {
        Entry e = store.entry(m.computation()).orElseThrow(() -> new ProtocolException(
                m.type().wire() + " for unknown computation " + m.computation()));
        int senderIndex = e.heavy().indexOf(m.from());
        if (fromHeavy1 ? senderIndex != 0 : senderIndex < 1 || e.myIndex() != 1) {
            throw new ProtocolException(m.type().wire() + " from " + m.from() + ", which has no such role in "
                    + m.computation());
        }
        return e;
    }

    private void onReceived(Envelope m, Bodies.Received r) throws ProtocolException {
        Entry e = heavyMessage(m, false);
        if (store.addReport(e.id(), m.from(), r.lights(), r.late())) {
            log.info("computation " + e.id() + ": " + m.from() + " reports shares of " + r.lights().size()
                    + " light nodes");
        }
        advance(store.entry(e.id()).orElseThrow());
    }

    private void onAggregate(Envelope m, Bodies.Aggregate a) throws ProtocolException {
        Entry e = heavyMessage(m, true);
        if (e.state().isFinal()) {
            return;
        }
        if (e.state() != State.CLOSED && e.state() != State.AGGREGATING) {
            throw new ProtocolException("aggregate for " + e.id() + " while still " + e.state().label());
        }
        sendPartial(e, a.lights());
    }

    private void sendPartial(Entry e, Set<PartyId> finalSet) {
        int sum;
        try {
            sum = store.aggregate(e.id(), finalSet);
        } catch (IllegalStateException ex) {
            log.warn("computation " + e.id() + ": " + ex.getMessage());
            return;
        }
        send(Envelope.of(MessageType.PARTIAL, uid, e.heavy().get(0), e.id(), new Bodies.Partial(sum).toJson()));
        log.info("computation " + e.id() + ": partial sum over " + finalSet.size() + " light nodes sent to "
                + e.heavy().get(0));
    }

    private void onPartial(Envelope m, Bodies.Partial p) throws ProtocolException {
        Entry e = heavyMessage(m, false);
        store.addPartial(e.id(), m.from(), p.sum());
        advance(store.entry(e.id()).orElseThrow());
    }

    private void onAbort(Envelope m, Bodies.Abort a) throws ProtocolException {
        Entry e = heavyMessage(m, true);
        if (store.finish(e.id(), State.FAILED, a.reason())) {
            log.info("computation " + e.id() + " aborted by " + m.from() + ": " + a.reason());
        }
    }

    /**
     * A proposal made on another host: recorded in this host's {@code network.db} as
     * {@code proposed} (with its proposer, who gets the result) and picked up like a local one,
     * which validates it again. Only admitted nodes get here (the host refuses unknown senders).
     */
    private void onPropose(Envelope m, Bodies.Compute c) throws ProtocolException {
        if (!c.heavy().get(0).equals(uid)) {
            throw new ProtocolException("proposal " + m.computation() + " names " + c.heavy().get(0)
                    + " as heavy node 1, not " + uid);
        }
        ComputationRecord r = new ComputationRecord(m.computation(), c.prompt(), c.schema().toJsonText(), c.threshold(),
                c.deadline(), c.graceMs(), c.heavy(), Status.PROPOSED, 0, 0, 0, -1, null, 0, services.now(), 0);
        if (services.net().insertProposal(r, m.from())) {
            log.info("computation " + m.computation() + ": proposed by " + m.from() + " on another host");
            pickUpProposals();
        } else {
            log.info("proposal " + m.computation() + " from " + m.from() + " is already known: ignored");
        }
    }

    /**
     * Tells the nodes of other hosts how computation {@code id} ended (they do not share this
     * {@code network.db}): every heavy node, the invited light nodes and the proposer, those of
     * them that run elsewhere. Nothing is sent on a single machine.
     */
    private void sendResult(String id, Collection<PartyId> invited, List<PartyId> heavy) {
        Optional<ComputationRecord> row = services.net().computation(id);
        if (row.isEmpty() || !row.get().status().isFinal()) {
            return;
        }
        Set<PartyId> to = new java.util.LinkedHashSet<>();
        for (int i = 1; i < heavy.size(); i++) {
            to.add(heavy.get(i));
        }
        to.addAll(invited);
        services.net().proposer(id).ifPresent(to::add);
        // Every other heavy node too (a few): a host that runs only heavy nodes hears of it as well.
        services.net().members(Role.HEAVY).forEach(n -> to.add(n.uid()));
        to.remove(uid);
        to.removeIf(p -> !services.registry().isRemote(p));
        if (to.isEmpty()) {
            return;
        }
        ComputationRecord c = row.get();
        JsonNode body = new Bodies.Result(c.status().label(), c.result(), c.participants(), c.invited(), c.answers(),
                c.late(), c.reason(), ResponseSchema.parse(c.schema()), c.threshold(), c.deadline(), c.graceMs(),
                c.heavy(), c.createdAt(), c.endedAt()).toJson();
        for (PartyId p : to) {
            Envelope env = Envelope.of(MessageType.RESULT, uid, p, id, body);
            try {
                services.senders().execute(() -> send(env));
            } catch (RejectedExecutionException ex) {
                return; // closing
            }
        }
        log.info("computation " + id + ": outcome sent to " + to.size() + " node(s) on other hosts");
    }

    private static String join(List<PartyId> ids) {
        StringBuilder b = new StringBuilder();
        for (PartyId id : ids) {
            b.append(b.length() == 0 ? "" : " ").append(id.value());
        }
        return b.toString();
    }

    @Override
    void closeStore() {
        store.close();
    }
}
