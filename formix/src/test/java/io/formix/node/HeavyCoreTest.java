package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.HeavyStore;
import io.formix.state.HeavyStore.State;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The heavy-node core without threads, transports or a clock: three cores over in-memory stores,
 * messages routed by hand, time passed in. Every timeout of docs/protocol.md is checked on both
 * sides of its edge.
 */
class HeavyCoreTest {

    static final PartyId H1 = PartyId.of("heavy-1");
    static final PartyId H2 = PartyId.of("heavy-2");
    static final PartyId H3 = PartyId.of("heavy-3");
    static final List<PartyId> HEAVY = List.of(H1, H2, H3);
    static final List<PartyId> LIGHTS =
            List.of(PartyId.of("light-0001"), PartyId.of("light-0002"), PartyId.of("light-0003"));
    static final long T0 = 1_700_000_000_000L;
    static final long DEADLINE = T0 + 10_000;
    static final long GRACE = 2_000;
    static final String ID = "c00000001";

    static final HeavyCore.Roles ROLES = uid -> HEAVY.contains(uid)
            ? Optional.of(Role.HEAVY)
            : LIGHTS.contains(uid) ? Optional.of(Role.LIGHT) : Optional.empty();

    /** Three heavy cores, and what they asked the outside world to do. */
    static final class Cluster {
        final Map<PartyId, HeavyStore> stores = new HashMap<>();
        final Map<PartyId, HeavyCore> cores = new HashMap<>();
        final List<Effect> outside = new ArrayList<>();
        /** Messages addressed to a heavy node that the test holds back instead of delivering. */
        final Set<PartyId> down = new java.util.HashSet<>();
        /** Messages between heavy nodes that are lost on the way (a node dying right after sending them). */
        java.util.function.Predicate<Envelope> lost = m -> false;
        /** The computations' ends as the shared network.db has them (the first end wins). */
        final Map<String, Status> network = new HashMap<>();
        /** When set, a broadcast to the light nodes never completes (heavy node 1 dies while sending it). */
        boolean holdBroadcast;

        Cluster() {
            for (PartyId h : HEAVY) {
                stores.put(h, HeavyStore.inMemory());
                cores.put(h, new HeavyCore(h, stores.get(h), ROLES, id -> Optional.ofNullable(network.get(id))));
            }
        }

        /** Runs {@code event} on heavy node {@code at}, then routes the effects (no threads). */
        List<Effect> run(PartyId at, HeavyCore.Event event, long now) throws ProtocolException {
            HeavyStore store = stores.get(at);
            List<Effect> fx = store.inTransaction(() -> {
                try {
                    return cores.get(at).handle(event, now);
                } catch (ProtocolException e) {
                    throw new IllegalStateException(e);
                }
            });
            for (Effect e : fx) {
                route(e, now);
            }
            return fx;
        }

        private void route(Effect e, long now) throws ProtocolException {
            if (e instanceof Effect.Send s && HEAVY.contains(s.message().to())) {
                deliver(s.message(), now);
            } else if (e instanceof Effect.Broadcast b) {
                for (Envelope m : b.messages()) {
                    if (HEAVY.contains(m.to())) {
                        deliver(m, now);
                    }
                }
                outside.add(e);
                if (!holdBroadcast) {
                    run(H1, new HeavyCore.BroadcastDone(b.computation(), Map.of()), now);
                }
            } else {
                if (e instanceof Effect.Reveal r) {
                    network.putIfAbsent(r.computation(), Status.REVEALED);
                } else if (e instanceof Effect.Fail f) {
                    network.putIfAbsent(f.computation(), Status.FAILED);
                }
                outside.add(e);
            }
        }

        void deliver(Envelope m, long now) throws ProtocolException {
            if (!down.contains(m.to()) && !lost.test(m)) {
                run(m.to(), new HeavyCore.Message(Envelope.decode(m.encode())), now);
            }
        }

        String scheme = Bodies.DEFAULT_SCHEME;

        void propose(int threshold, long now) throws ProtocolException {
            ComputationRecord r = new ComputationRecord(
                    ID,
                    "q",
                    ResponseSchema.DEFAULT.toJsonText(),
                    threshold,
                    DEADLINE,
                    GRACE,
                    HEAVY,
                    Status.PROPOSED,
                    0,
                    0,
                    0,
                    -1,
                    null,
                    0,
                    T0,
                    0);
            run(H1, new HeavyCore.Proposal(r, LIGHTS, scheme), now);
        }

        /** {@code light} answers {@code value}: one share to each heavy node (unless it is down). */
        void answer(PartyId light, int value, long now) throws ProtocolException {
            VectorShare[] shares = SharingSchemes.forId(scheme).share(new int[] {value});
            for (int i = 0; i < 3; i++) {
                deliver(share(light, HEAVY.get(i), shares[i]), now);
            }
        }

        HeavyStore.Entry entry(PartyId h) {
            return stores.get(h).entry(ID).orElseThrow();
        }

        <T extends Effect> List<T> outside(Class<T> type) {
            List<T> out = new ArrayList<>();
            outside.stream().filter(type::isInstance).forEach(e -> out.add(type.cast(e)));
            return out;
        }
    }

    static Envelope share(PartyId light, PartyId heavy, VectorShare s) {
        return Envelope.of(MessageType.SHARE, light, heavy, ID, new Bodies.Share(ShareCodec.encode(s)).toJson());
    }

    static boolean logged(List<Effect> fx, String text) {
        return fx.stream().anyMatch(e -> e instanceof Effect.Log l && l.text().contains(text));
    }

    @Test
    void threeCoresRevealTheSumOfTheAnswersThroughMpc() throws Exception {
        Cluster c = new Cluster();
        c.propose(3, T0);
        assertEquals(1, c.outside(Effect.Broadcast.class).size());
        assertEquals(3, c.outside(Effect.Broadcast.class).get(0).messages().size(), "3 lights");
        assertEquals(State.COLLECTING, c.entry(H2).state(), "heavy node 2 got compute with the invited list");
        c.answer(LIGHTS.get(0), 40, T0 + 1);
        c.answer(LIGHTS.get(1), 2, T0 + 2);
        c.answer(LIGHTS.get(2), -1, T0 + 3);
        List<Effect.Reveal> revealed = c.outside(Effect.Reveal.class);
        assertEquals(1, revealed.size(), "closed early, agreed, summed and revealed: " + c.outside);
        assertEquals(41, revealed.get(0).total(), "40 + 2 - 1 mod 2^32");
        assertEquals(3, revealed.get(0).participants());
        assertEquals(State.REVEALED, c.entry(H1).state());
        assertEquals(State.AGGREGATING, c.entry(H2).state());
        assertTrue(c.outside(Effect.Fail.class).isEmpty());
    }

    @Test
    void theSchemeIsDataReplicatedTwoOfThreeRunsThroughTheSameCoresAndTables() throws Exception {
        Cluster c = new Cluster();
        c.scheme = "replicated-2of3";
        c.propose(3, T0);
        assertEquals("replicated-2of3", c.entry(H3).scheme(), "compute carried the scheme to heavy node 3");
        c.answer(LIGHTS.get(0), 100, T0 + 1);
        c.answer(LIGHTS.get(1), 7, T0 + 2);
        c.answer(LIGHTS.get(2), 0, T0 + 3);
        assertEquals(
                2,
                ShareCodec.decodeShare(c.stores.get(H2).shares(ID).get(LIGHTS.get(0)), 1)
                        .componentIndices()
                        .length,
                "each heavy node holds two components, in the same table");
        List<Effect.Reveal> revealed = c.outside(Effect.Reveal.class);
        assertEquals(1, revealed.size(), c.outside.toString());
        assertEquals(107, revealed.get(0).total());
    }

    @Test
    void duplicateSharesCountOnceAndLateSharesAreCountedNotStored() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        VectorShare[] s = SharingSchemes.additive(3).share(new int[] {7});
        List<Effect> first = c.run(H1, new HeavyCore.Message(share(LIGHTS.get(0), H1, s[0])), T0 + 1);
        assertFalse(logged(first, "duplicate"));
        List<Effect> again = c.run(H1, new HeavyCore.Message(share(LIGHTS.get(0), H1, s[0])), T0 + 2);
        assertTrue(
                logged(again, "duplicate share from light-0001 for " + ID + " ignored (counted once)"),
                again.toString());
        assertEquals(1, c.stores.get(H1).shareHolders(ID).size());

        c.run(H1, new HeavyCore.Drained(), DEADLINE);
        assertEquals(State.CLOSED, c.entry(H1).state());
        List<Effect> late = c.run(H1, new HeavyCore.Message(share(LIGHTS.get(1), H1, s[0])), DEADLINE + 1);
        assertTrue(logged(late, "share from light-0002 for " + ID + " arrived after the close"), late.toString());
        assertEquals(1, c.stores.get(H1).lateCount(ID));
        assertEquals(Set.of(LIGHTS.get(0)), c.stores.get(H1).shareHolders(ID));
    }

    @Test
    void sharesFromNodesThatAreNotInvitedLightsAreRefusedAndChangeNothing() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        VectorShare[] s = SharingSchemes.additive(3).share(new int[] {7});
        HeavyCore core = c.cores.get(H1);
        ProtocolException notLight = assertThrows(
                ProtocolException.class, () -> core.handle(new HeavyCore.Message(share(H2, H1, s[0])), T0 + 1));
        assertTrue(
                notLight.getMessage().contains("heavy-2, which is not a registered light node"), notLight.getMessage());
        HeavyCore h2 = c.cores.get(H2);
        ProtocolException wrongParty = assertThrows(
                ProtocolException.class,
                () -> h2.handle(new HeavyCore.Message(share(LIGHTS.get(0), H2, s[0])), T0 + 1));
        assertTrue(wrongParty.getMessage().contains("share for party 0"), wrongParty.getMessage());
        assertTrue(c.stores.get(H1).shareHolders(ID).isEmpty());
        assertTrue(c.stores.get(H2).shareHolders(ID).isEmpty());
    }

    @Test
    void collectionClosesAtTheDeadlineNotBefore() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        c.answer(LIGHTS.get(0), 5, T0 + 1);
        c.run(H1, new HeavyCore.Drained(), DEADLINE - 1);
        assertEquals(State.COLLECTING, c.entry(H1).state());
        assertEquals(DEADLINE, c.cores.get(H1).nextDeadline());
        c.run(H2, new HeavyCore.Drained(), DEADLINE);
        assertEquals(State.CLOSED, c.entry(H2).state(), "heavy node 2 closes on its own at the deadline");
        c.run(H1, new HeavyCore.Drained(), DEADLINE);
        assertEquals(Long.MAX_VALUE, c.cores.get(H1).nextDeadline());
    }

    @Test
    void heavyNode1FailsWhenAReportIsMissingAtDeadlinePlusGrace() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        c.down.add(H3);
        c.answer(LIGHTS.get(0), 5, T0 + 1);
        c.run(H1, new HeavyCore.Drained(), DEADLINE);
        c.run(H2, new HeavyCore.Drained(), DEADLINE);
        c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE - 1);
        assertTrue(c.outside(Effect.Fail.class).isEmpty(), "not before deadline + grace");
        assertEquals(State.CLOSED, c.entry(H1).state());
        c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE + 1);
        List<Effect.Fail> failed = c.outside(Effect.Fail.class);
        assertEquals(1, failed.size());
        assertEquals(
                "heavy node heavy-3 did not report its shares within 2000 ms after the deadline — check it is "
                        + "running (formix node start heavy-3)",
                failed.get(0).reason());
        assertEquals(State.FAILED, c.entry(H1).state());
        assertEquals(State.FAILED, c.entry(H2).state(), "heavy node 2 got the abort");
    }

    @Test
    void heavyNode1FailsWhenAPartialSumIsMissingAtDeadlinePlusTwoGrace() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        c.answer(LIGHTS.get(0), 5, T0 + 1);
        c.run(H1, new HeavyCore.Drained(), DEADLINE);
        c.run(H2, new HeavyCore.Drained(), DEADLINE);
        c.down.add(H3); // reports, but never gets the aggregate request, so never sends its partial sum
        c.run(H3, new HeavyCore.Drained(), DEADLINE);
        assertEquals(State.AGGREGATING, c.entry(H1).state());
        c.run(H1, new HeavyCore.Tick(), DEADLINE + 2 * GRACE - 1);
        assertTrue(c.outside(Effect.Fail.class).isEmpty(), "not before deadline + 2·grace");
        c.run(H1, new HeavyCore.Tick(), DEADLINE + 2 * GRACE + 1);
        List<Effect.Fail> failed = c.outside(Effect.Fail.class);
        assertEquals(1, failed.size());
        assertEquals(
                "heavy node heavy-3 did not send its partial sum in time — check it is running",
                failed.get(0).reason());
        assertTrue(c.outside(Effect.Reveal.class).isEmpty());
    }

    @Test
    void heavyNodes2And3FailAComputationHeavyNode1LeftOpenAtDeadlinePlusThreeGrace() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        c.down.add(H1); // heavy node 1 dies after the broadcast
        c.run(H2, new HeavyCore.Drained(), DEADLINE);
        assertEquals(State.CLOSED, c.entry(H2).state());
        List<Effect> before = c.run(H2, new HeavyCore.Tick(), DEADLINE + 3 * GRACE - 1);
        assertFalse(before.stream().anyMatch(e -> e instanceof Effect.Fail), "not before deadline + 3·grace");
        List<Effect> after = c.run(H2, new HeavyCore.Tick(), DEADLINE + 3 * GRACE + 1);
        Effect.Fail f = after.stream()
                .filter(Effect.Fail.class::isInstance)
                .map(Effect.Fail.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(
                "heavy node 1 (heavy-1) did not finish the computation within 6000 ms after the deadline — "
                        + "check it is running",
                f.reason());
        assertEquals(State.FAILED, c.entry(H2).state());
    }

    @Test
    void belowTheThresholdNothingIsRevealed() throws Exception {
        Cluster c = new Cluster();
        c.propose(2, T0);
        c.answer(LIGHTS.get(0), 5, T0 + 1);
        for (PartyId h : HEAVY) {
            c.run(h, new HeavyCore.Drained(), DEADLINE);
        }
        List<Effect.Fail> failed = c.outside(Effect.Fail.class);
        assertEquals(1, failed.size());
        assertEquals(
                "threshold not met: only 1 of 3 light nodes had shares at all three heavy nodes, threshold is 2 "
                        + "— nothing revealed",
                failed.get(0).reason());
        assertTrue(c.outside(Effect.Reveal.class).isEmpty());
    }

    @Test
    void partialSumsOverDifferentContributorSetsFailTheComputationInsteadOfRevealingAWrongTotal() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        VectorShare[] a = SharingSchemes.additive(3).share(new int[] {5});
        VectorShare[] b = SharingSchemes.additive(3).share(new int[] {9});
        c.answer(LIGHTS.get(0), 5, T0 + 1);
        c.deliver(share(LIGHTS.get(1), H1, b[0]), T0 + 2);
        c.deliver(share(LIGHTS.get(1), H2, b[1]), T0 + 2);
        c.deliver(share(LIGHTS.get(1), H3, b[2]), T0 + 2);
        c.down.add(H1); // heavy node 3 will sum another set than the one agreed
        for (PartyId h : HEAVY) {
            c.run(h, new HeavyCore.Drained(), DEADLINE);
        }
        c.down.remove(H1);
        c.run(
                H1,
                new HeavyCore.Message(Envelope.of(
                        MessageType.RECEIVED,
                        H2,
                        H1,
                        ID,
                        new Bodies.Received(Set.of(LIGHTS.get(0), LIGHTS.get(1)), 0).toJson())),
                DEADLINE + 1);
        c.down.add(H3);
        c.run(
                H1,
                new HeavyCore.Message(Envelope.of(
                        MessageType.RECEIVED,
                        H3,
                        H1,
                        ID,
                        new Bodies.Received(Set.of(LIGHTS.get(0), LIGHTS.get(1)), 0).toJson())),
                DEADLINE + 1);
        // heavy node 3 answers the aggregate over light-0001 only
        c.stores.get(H3).transition(ID, State.CLOSED, State.CLOSED, DEADLINE);
        Effect.Effects fx = new Effect.Effects();
        new HeavyAgreement(c.cores.get(H3)).sendPartial(c.entry(H3), Set.of(LIGHTS.get(0)), fx);
        Envelope wrong = ((Effect.Send) fx.list().get(0)).message();
        c.run(H1, new HeavyCore.Message(Envelope.decode(wrong.encode())), DEADLINE + 2);
        assertTrue(c.outside(Effect.Reveal.class).isEmpty(), "no total from different sets");
        List<Effect.Fail> failed = c.outside(Effect.Fail.class);
        assertEquals(1, failed.size());
        assertTrue(
                failed.get(0).reason().startsWith("the heavy nodes' partial sums do not agree"),
                failed.get(0).reason());
    }

    @Test
    void undeliveredAnnouncementsAreRecordedWithTheirReason() throws Exception {
        HeavyStore store = HeavyStore.inMemory();
        HeavyCore h1 = new HeavyCore(H1, store, ROLES);
        ComputationRecord r = new ComputationRecord(
                ID,
                "q",
                ResponseSchema.DEFAULT.toJsonText(),
                1,
                DEADLINE,
                GRACE,
                HEAVY,
                Status.PROPOSED,
                0,
                0,
                0,
                -1,
                null,
                0,
                T0,
                0);
        List<Effect> fx = h1.handle(new HeavyCore.Proposal(r, LIGHTS, Bodies.DEFAULT_SCHEME), T0);
        assertTrue(fx.stream().anyMatch(e -> e instanceof Effect.Broadcast));
        assertTrue(
                h1.handle(new HeavyCore.Resume(), T0 + 1).stream().noneMatch(e -> e instanceof Effect.Broadcast),
                "one broadcast in flight at a time");
        List<Effect> done = h1.handle(
                new HeavyCore.BroadcastDone(
                        ID,
                        Map.of(
                                LIGHTS.get(0), "local error until the deadline: Too many open files",
                                LIGHTS.get(1), "unreachable: no connection")),
                T0 + 5);
        assertTrue(logged(done, "broadcast done (1 delivered, 2 unreachable)"), done.toString());
        assertEquals(
                Map.of("local error until the deadline: Too many open files", 1, "unreachable: no connection", 1),
                store.undelivered(ID));
        assertEquals(State.COLLECTING, store.entry(ID).orElseThrow().state());
        Effect.Undelivered published = done.stream()
                .filter(Effect.Undelivered.class::isInstance)
                .map(Effect.Undelivered.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(store.undelivered(ID), published.byReason(), "published to network.db for comp show");
    }

    @Test
    void aProposalWhoseDeadlinePassedIsRefusedWithAReason() throws Exception {
        HeavyCore h1 = new HeavyCore(H1, HeavyStore.inMemory(), ROLES);
        ComputationRecord r = new ComputationRecord(
                ID,
                "q",
                ResponseSchema.DEFAULT.toJsonText(),
                1,
                DEADLINE,
                GRACE,
                HEAVY,
                Status.PROPOSED,
                0,
                0,
                0,
                -1,
                null,
                0,
                T0,
                0);
        List<Effect> fx = h1.handle(new HeavyCore.Proposal(r, LIGHTS, Bodies.DEFAULT_SCHEME), DEADLINE);
        Effect.Fail f = fx.stream()
                .filter(Effect.Fail.class::isInstance)
                .map(Effect.Fail.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals("the deadline had passed when heavy node 1 picked the proposal up", f.reason());
        assertTrue(fx.stream().noneMatch(e -> e instanceof Effect.Broadcast));
    }

    @Test
    void aRestartedHeavyNode2SendsItsReportAgain() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        c.run(H2, new HeavyCore.Drained(), DEADLINE);
        HeavyCore restarted = new HeavyCore(H2, c.stores.get(H2), ROLES);
        List<Effect> fx = restarted.handle(new HeavyCore.Resume(), DEADLINE + 5);
        assertTrue(
                fx.stream()
                        .anyMatch(e -> e instanceof Effect.Send s
                                && s.message().type() == MessageType.RECEIVED
                                && s.message().to().equals(H1)),
                fx.toString());
    }
}
