package io.formix.node;

import io.formix.node.Effect.Effects;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.ProtocolException;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.Intake;
import io.formix.state.HeavyStore.State;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The part of {@link HeavyCore} that takes shares and declines from light nodes: checks the sender
 * (a registered light node, invited, and a share for this heavy node's components), stores it once
 * (a duplicate or a late share is only noted), and closes collection early once every invited light
 * node has answered or declined. Keeps two caches of the store so a share costs no re-read of the
 * invited list: the fixed facts of each computation and who has responded.
 */
final class HeavyIntake {

    private final HeavyCore core;
    /** Open computations' invited lights that answered or declined here (a cache of the store). */
    private final Map<String, Set<PartyId>> responded = new HashMap<>();
    /** Fixed facts (invited set, roles, deadline) of computations seen here; the state may be stale. */
    private final Map<String, Entry> facts = new HashMap<>();
    /** Heavy node 1's responses so far, by computation, not yet published. */
    private final Map<String, Integer> progress = new HashMap<>();
    /**
     * Lights whose share was stored before this node knew the computation (so before its ring and
     * length could be checked), by computation: checked when the set of held shares is taken.
     */
    private final Map<String, Set<PartyId>> early = new HashMap<>();

    HeavyIntake(HeavyCore core) {
        this.core = core;
    }

    Map<String, Integer> progress() {
        return progress;
    }

    void forget(String id) {
        responded.remove(id);
        facts.remove(id);
        progress.remove(id);
    }

    /** Drops the caches of computations that are no longer open. */
    void forgetAllBut(List<Entry> open) {
        if (facts.size() > open.size() + 16) {
            Set<String> ids = new HashSet<>();
            open.forEach(x -> ids.add(x.id()));
            facts.keySet().retainAll(ids);
            responded.keySet().retainAll(ids);
        }
    }

    private Optional<Entry> known(String id) {
        Entry e = facts.get(id);
        if (e == null) {
            Optional<Entry> loaded = core.store.entry(id);
            loaded.ifPresent(x -> facts.put(id, x));
            return loaded;
        }
        return Optional.of(e);
    }

    Set<PartyId> responded(Entry e) {
        return responded.computeIfAbsent(e.id(), id -> {
            // Hashed: added to on every share, and only its size and membership are asked.
            Set<PartyId> s = new HashSet<>(core.store.shareHolders(id));
            s.addAll(core.store.decliners(id));
            s.retainAll(e.invited());
            return s;
        });
    }

    /**
     * Whether every invited light of {@code e} answered or declined here. The size test comes first:
     * it is asked on every share and every tick, and containsAll walks every invited light.
     */
    boolean allResponded(Entry e) {
        Set<PartyId> r = responded(e);
        return r.size() >= e.invited().size() && r.containsAll(e.invited());
    }

    private Optional<Entry> lightMessage(Envelope m) throws ProtocolException {
        if (core.roles.role(m.from()).orElse(null) != Role.LIGHT) {
            throw new ProtocolException(
                    m.type().wire() + " from " + m.from() + ", which is not a registered light node");
        }
        Optional<Entry> e = known(m.computation());
        if (e.isPresent() && !e.get().invited().contains(m.from())) {
            throw new ProtocolException(m.from() + " was not invited to computation " + m.computation());
        }
        return e;
    }

    /** After an accepted share or decline: counts it, and closes early once every invited light responded. */
    private void responded(Optional<Entry> facts, PartyId light, long now, Effects fx) {
        if (facts.isEmpty()) {
            return;
        }
        Set<PartyId> r = responded(facts.get());
        r.add(light);
        if (facts.get().myIndex() == 1) {
            progress.put(facts.get().id(), r.size());
        }
        if (allResponded(facts.get())) {
            core.store
                    .entry(facts.get().id())
                    .filter(x -> x.state() == State.COLLECTING)
                    .ifPresent(x -> core.close(x, "every light node answered or declined", now, fx));
        }
    }

    /** The lights of {@code id} whose share was stored before the computation was known here. */
    Set<PartyId> early(String id) {
        return early.getOrDefault(id, Set.of());
    }

    void onShare(Envelope m, Bodies.Share share, long now, Effects fx) throws ProtocolException {
        Optional<Entry> e = lightMessage(m);
        if (e.isPresent()) {
            core.checkShare(e.get(), share.encoded());
        }
        Intake intake = core.store.addShare(m.computation(), m.from(), share.encoded(), now);
        if (e.isEmpty() && intake == Intake.ACCEPTED) {
            if (early.size() > 10_000) {
                early.clear(); // bounded: only shares for computations not yet announced land here
            }
            early.computeIfAbsent(m.computation(), k -> new HashSet<>()).add(m.from());
        }
        switch (intake) {
            case ACCEPTED -> responded(e, m.from(), now, fx);
            case DUPLICATE ->
                fx.info("duplicate share from " + m.from() + " for " + m.computation() + " ignored (counted once)");
            case LATE ->
                fx.info("share from " + m.from() + " for " + m.computation()
                        + " arrived after the close: ignored (counted as late)");
        }
    }

    void onDecline(Envelope m, Bodies.Decline d, long now, Effects fx) throws ProtocolException {
        Optional<Entry> e = lightMessage(m);
        if (core.store.addDecline(m.computation(), m.from()) == Intake.ACCEPTED) {
            fx.info(m.from() + " declined computation " + m.computation());
            responded(e, m.from(), now, fx);
        }
    }
}
