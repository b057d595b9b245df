package io.formix.node;

import static io.formix.node.HeavyCoreTest.DEADLINE;
import static io.formix.node.HeavyCoreTest.GRACE;
import static io.formix.node.HeavyCoreTest.H1;
import static io.formix.node.HeavyCoreTest.H2;
import static io.formix.node.HeavyCoreTest.H3;
import static io.formix.node.HeavyCoreTest.HEAVY;
import static io.formix.node.HeavyCoreTest.ID;
import static io.formix.node.HeavyCoreTest.LIGHTS;
import static io.formix.node.HeavyCoreTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.node.HeavyCoreTest.Cluster;
import io.formix.protocol.MessageType;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Replicated 2-of-3 computations when one heavy node is lost at any moment: three cores over
 * in-memory stores, messages routed by hand, no threads, a fixed clock, and every new timeout
 * checked on both sides of its edge. A lost heavy node is one that stops: messages to it vanish and
 * it handles nothing more (SIGKILL without a restart).
 */
class ReplicatedCoreTest {

    static final long TAKEOVER = DEADLINE + GRACE + GRACE / 2;
    static final int[] ANSWERS = {40, 2, 99};
    static final long TOTAL = 141;

    static Cluster replicated() {
        Cluster c = new Cluster();
        c.scheme = "replicated-2of3";
        return c;
    }

    static void answerAll(Cluster c) throws Exception {
        for (int i = 0; i < LIGHTS.size(); i++) {
            c.answer(LIGHTS.get(i), ANSWERS[i], T0 + 1 + i);
        }
    }

    /** Every live heavy node reaches the deadline (its receiver drained its inbox). */
    static void deadline(Cluster c) throws Exception {
        for (PartyId h : HEAVY) {
            if (!c.down.contains(h)) {
                c.run(h, new HeavyCore.Drained(), DEADLINE);
            }
        }
    }

    static void assertRevealed(Cluster c, long total, int participants) {
        List<Effect.Reveal> revealed = c.outside(Effect.Reveal.class);
        assertEquals(1, revealed.size(), c.outside.toString());
        assertEquals(total, revealed.get(0).total());
        assertEquals(participants, revealed.get(0).participants());
        assertTrue(c.outside(Effect.Fail.class).isEmpty(), c.outside.toString());
        assertEquals(Status.REVEALED, c.network.get(ID));
    }

    static Effect.Fail assertFailedOnly(Cluster c) {
        assertTrue(c.outside(Effect.Reveal.class).isEmpty(), "never a total: " + c.outside);
        List<Effect.Fail> failed = c.outside(Effect.Fail.class);
        assertTrue(!failed.isEmpty(), c.outside.toString());
        return failed.get(0);
    }

    // ------------------------------------------------------------------ heavy node 2 or 3 lost

    @Test
    void heavyNode2Or3MissingFromTheStartHeavyNode1RevealsWithTheOtherAtDeadlinePlusGrace() throws Exception {
        for (PartyId missing : List.of(H2, H3)) {
            Cluster c = replicated();
            c.down.add(missing);
            c.propose(3, T0);
            answerAll(c);
            deadline(c);
            c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE - 1);
            assertEquals(State.CLOSED, c.entry(H1).state(), "waits for the missing report until deadline + grace");
            assertTrue(c.outside(Effect.Reveal.class).isEmpty());
            c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE);
            assertRevealed(c, TOTAL, 3);
        }
    }

    @Test
    void heavyNode2Or3DyingAfterTheBroadcastIsLeftOut() throws Exception {
        for (PartyId dying : List.of(H2, H3)) {
            Cluster c = replicated();
            c.propose(3, T0);
            c.down.add(dying);
            answerAll(c);
            deadline(c);
            c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE);
            assertRevealed(c, TOTAL, 3);
        }
    }

    @Test
    void heavyNode2Or3DyingAfterCollectingIsNotNeededForItsPartialSum() throws Exception {
        for (PartyId dying : List.of(H2, H3)) {
            Cluster c = replicated();
            c.propose(3, T0);
            answerAll(c);
            c.run(dying, new HeavyCore.Drained(), DEADLINE); // closes and reports, then dies
            c.down.add(dying);
            deadline(c);
            assertRevealed(c, TOTAL, 3); // both reports in: the live pair's partial sums are a quorum at once
        }
    }

    @Test
    void heavyNode2Or3DyingAfterSendingItsPartialSumChangesNothing() throws Exception {
        for (PartyId dying : List.of(H2, H3)) {
            Cluster c = replicated();
            c.propose(3, T0);
            answerAll(c);
            PartyId other = dying.equals(H2) ? H3 : H2;
            c.lost = m -> m.type() == MessageType.PARTIAL && m.from().equals(other);
            deadline(c);
            c.down.add(dying);
            assertRevealed(c, TOTAL, 3);
            assertEquals(State.REVEALED, c.entry(H1).state());
        }
    }

    // ------------------------------------------------------------------ heavy node 1 lost: heavy node 2 takes over

    @Test
    void heavyNode1DyingAfterTheBroadcastHeavyNode2TakesOverAtDeadlinePlusOneAndAHalfGrace() throws Exception {
        Cluster c = replicated();
        c.propose(3, T0);
        c.down.add(H1);
        answerAll(c);
        deadline(c);
        c.run(H3, new HeavyCore.Tick(), TAKEOVER);
        assertEquals(State.CLOSED, c.entry(H3).state(), "heavy node 3 never coordinates");
        c.run(H2, new HeavyCore.Tick(), TAKEOVER - 1);
        assertEquals(State.CLOSED, c.entry(H2).state(), "not before deadline + 1.5·grace");
        List<Effect> fx = c.run(H2, new HeavyCore.Tick(), TAKEOVER);
        assertTrue(HeavyCoreTest.logged(fx, "heavy-2 takes over with heavy-3 over 3 light nodes"), fx.toString());
        assertRevealed(c, TOTAL, 3);
        assertEquals(State.REVEALED, c.entry(H2).state());
        assertEquals(State.AGGREGATING, c.entry(H3).state());
        c.run(H3, new HeavyCore.Tick(), TAKEOVER + 1);
        assertEquals(State.REVEALED, c.entry(H3).state(), "heavy node 3 takes network.db's word");
    }

    @Test
    void heavyNode1DyingBeforeTheBroadcastCompletesTheLightsThatGotItStillCount() throws Exception {
        Cluster c = replicated();
        c.holdBroadcast = true;
        List<Effect> fx = c.run(H1, proposal(), T0);
        int firstBroadcast = indexOf(fx, Effect.Broadcast.class);
        // the compute to heavy nodes 2 and 3 is sent before any light node's
        assertTrue(
                fx.subList(0, firstBroadcast).stream()
                                .filter(e -> e instanceof Effect.Send s
                                        && s.message().type() == MessageType.COMPUTE)
                                .count()
                        == 2,
                fx.toString());
        assertTrue(c.outside(Effect.Broadcast.class).get(0).messages().stream().noneMatch(m -> HEAVY.contains(m.to())));
        c.down.add(H1); // killed while the broadcast to the lights was under way
        assertEquals(State.BROADCASTING, c.entry(H1).state());
        c.answer(LIGHTS.get(0), 40, T0 + 1); // these two got the announcement
        c.answer(LIGHTS.get(1), 2, T0 + 2);
        deadline(c);
        c.run(H2, new HeavyCore.Tick(), TAKEOVER);
        List<Effect.Reveal> revealed = c.outside(Effect.Reveal.class);
        assertEquals(1, revealed.size(), c.outside.toString());
        assertEquals(42, revealed.get(0).total());
        assertEquals(2, revealed.get(0).participants());
    }

    @Test
    void heavyNode1DyingAfterCollectingHeavyNode2TakesOver() throws Exception {
        Cluster c = replicated();
        c.propose(3, T0);
        answerAll(c);
        c.run(H1, new HeavyCore.Drained(), DEADLINE); // closes, reports to 2 and 3, then dies
        c.down.add(H1);
        deadline(c);
        c.run(H2, new HeavyCore.Tick(), TAKEOVER);
        assertRevealed(c, TOTAL, 3);
    }

    @Test
    void heavyNode1DyingAfterAskingForPartialSumsHeavyNode2RevealsOverTheSameSet() throws Exception {
        Cluster c = replicated();
        c.propose(2, T0);
        c.answer(LIGHTS.get(0), 40, T0 + 1);
        c.answer(LIGHTS.get(1), 2, T0 + 2);
        c.lost = m -> m.type() == MessageType.PARTIAL && m.to().equals(H1); // heavy node 1 died after its aggregate
        c.run(H2, new HeavyCore.Drained(), DEADLINE);
        c.run(H3, new HeavyCore.Drained(), DEADLINE);
        c.answer(LIGHTS.get(2), 99, DEADLINE); // late at heavy nodes 2 and 3, in time at heavy node 1
        c.run(H1, new HeavyCore.Drained(), DEADLINE);
        c.down.add(H1);
        assertEquals(State.AGGREGATING, c.entry(H2).state());
        assertEquals(Set.of(LIGHTS.get(0), LIGHTS.get(1)), c.entry(H3).finalSet(), "heavy node 1's final set");
        assertTrue(c.outside(Effect.Reveal.class).isEmpty());
        c.run(H2, new HeavyCore.Tick(), TAKEOVER - 1);
        assertEquals(State.AGGREGATING, c.entry(H2).state());
        c.run(H2, new HeavyCore.Tick(), TAKEOVER);
        assertRevealed(c, 42, 2);
    }

    @Test
    void whenHeavyNode1RevealedHeavyNodes2And3TakeNetworkDbsWordInsteadOfTakingOver() throws Exception {
        Cluster c = replicated();
        c.propose(3, T0);
        answerAll(c);
        deadline(c);
        assertRevealed(c, TOTAL, 3);
        c.run(H2, new HeavyCore.Tick(), TAKEOVER);
        assertEquals(State.REVEALED, c.entry(H2).state());
        assertEquals(1, c.outside(Effect.Reveal.class).size(), "revealed once");
    }

    // ------------------------------------------------------------------ never a wrong total

    @Test
    void twoHeavyNodesMissingFailWithTheReasonAndNeverReveal() throws Exception {
        Cluster c = replicated();
        c.propose(1, T0);
        c.down.addAll(List.of(H2, H3));
        answerAll(c);
        deadline(c);
        c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE - 1);
        assertTrue(c.outside(Effect.Fail.class).isEmpty());
        c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE);
        assertEquals(
                "heavy nodes heavy-2 heavy-3 did not report their shares within 2000 ms after the deadline — "
                        + "replicated sharing needs two of the three heavy nodes; nothing revealed",
                assertFailedOnly(c).reason());

        Cluster d = replicated();
        d.propose(1, T0);
        d.down.addAll(List.of(H1, H3));
        answerAll(d);
        deadline(d);
        d.run(H2, new HeavyCore.Tick(), TAKEOVER);
        assertEquals(
                "heavy node 1 (heavy-1) did not coordinate and heavy node heavy-3 did not report its shares "
                        + "within 3000 ms after the deadline — replicated sharing needs two of the three heavy nodes; nothing "
                        + "revealed",
                assertFailedOnly(d).reason());

        Cluster e = replicated();
        e.propose(1, T0);
        e.down.addAll(List.of(H1, H2));
        answerAll(e);
        deadline(e);
        e.run(H3, new HeavyCore.Tick(), DEADLINE + 3 * GRACE - 1);
        assertTrue(e.outside(Effect.Fail.class).isEmpty());
        e.run(H3, new HeavyCore.Tick(), DEADLINE + 3 * GRACE);
        assertEquals(
                "heavy nodes heavy-1 and heavy-2 did not finish the computation within 6000 ms after the deadline"
                        + " — check they are running",
                assertFailedOnly(e).reason());
        assertEquals(State.FAILED, e.entry(H3).state());
    }

    @Test
    void heavyNode2InTakeoverFailsWhenHeavyNode3NeverSendsItsPartialSum() throws Exception {
        Cluster c = replicated();
        c.propose(1, T0);
        c.down.add(H1);
        answerAll(c);
        deadline(c);
        c.down.add(H3); // reported, then died
        c.run(H2, new HeavyCore.Tick(), TAKEOVER);
        assertEquals(State.TAKEOVER, c.entry(H2).state());
        c.run(H2, new HeavyCore.Tick(), DEADLINE + 3 * GRACE - 1);
        assertEquals(State.TAKEOVER, c.entry(H2).state());
        c.run(H2, new HeavyCore.Tick(), DEADLINE + 3 * GRACE);
        assertTrue(
                assertFailedOnly(c)
                        .reason()
                        .startsWith("heavy node 1 (heavy-1) did not finish the computation and "
                                + "heavy node heavy-3 did not send its partial sum to heavy-2"),
                c.outside.toString());
    }

    @Test
    void heavyNode2NeverSumsASetWhoseSharesItLacksItWaitsAndFailsAtDeadlinePlusThreeGrace() throws Exception {
        Cluster c = replicated();
        c.propose(1, T0);
        c.answer(LIGHTS.get(0), 40, T0 + 1);
        VectorShare[] s = SharingSchemes.replicated2of3().share(new int[] {2});
        c.deliver(HeavyCoreTest.share(LIGHTS.get(1), H1, s[0]), T0 + 2); // never reaches heavy node 2
        c.deliver(HeavyCoreTest.share(LIGHTS.get(1), H3, s[2]), T0 + 2);
        // heavy node 2's report is lost, and heavy node 3's partial sum to heavy node 1 too (heavy node 1 dies then)
        c.lost = m -> m.to().equals(H1) && (m.from().equals(H2) || m.type() == MessageType.PARTIAL);
        deadline(c);
        c.run(H1, new HeavyCore.Tick(), DEADLINE + GRACE);
        c.down.add(H1);
        assertEquals(
                Set.of(LIGHTS.get(0), LIGHTS.get(1)),
                c.entry(H3).finalSet(),
                "heavy node 1 fixed it with heavy node 3");
        c.run(H2, new HeavyCore.Tick(), TAKEOVER);
        assertEquals(State.TAKEOVER, c.entry(H2).state());
        assertTrue(
                c.outside(Effect.Reveal.class).isEmpty()
                        && c.outside(Effect.Fail.class).isEmpty(),
                "heavy node 3 answered over heavy node 1's set, which heavy node 2 cannot sum: it waits");
        c.run(H2, new HeavyCore.Tick(), DEADLINE + 3 * GRACE - 1);
        assertTrue(c.outside(Effect.Fail.class).isEmpty());
        c.run(H2, new HeavyCore.Tick(), DEADLINE + 3 * GRACE);
        assertTrue(
                assertFailedOnly(c)
                        .reason()
                        .contains("heavy node heavy-3 summed a final set whose shares heavy-2 " + "does not all hold"),
                c.outside.toString());
    }

    @Test
    void mismatchedPartialSumsFailWithTheReason() throws Exception {
        Cluster c = replicated();
        c.propose(1, T0);
        c.answer(LIGHTS.get(0), 5, T0 + 1);
        // light-0002 shares 9 with heavy nodes 1 and 3 but another sharing (of 9 too) with heavy node 2: the
        // component both heavy node 1 and heavy node 2 hold differs, so their partial sums disagree
        VectorShare[] a = SharingSchemes.replicated2of3().share(new int[] {9});
        VectorShare[] b = SharingSchemes.replicated2of3().share(new int[] {9});
        c.deliver(HeavyCoreTest.share(LIGHTS.get(1), H1, a[0]), T0 + 2);
        c.deliver(HeavyCoreTest.share(LIGHTS.get(1), H2, b[1]), T0 + 2);
        c.deliver(HeavyCoreTest.share(LIGHTS.get(1), H3, a[2]), T0 + 2);
        deadline(c);
        Effect.Fail f = assertFailedOnly(c);
        assertTrue(f.reason().startsWith("the heavy nodes' partial sums do not agree ("), f.reason());
        assertTrue(f.reason().endsWith(") — nothing revealed"), f.reason());
    }

    @Test
    void additiveComputationsStillNeedAllThreeHeavyNodes() throws Exception {
        Cluster c = new Cluster();
        c.propose(1, T0);
        c.down.add(H1);
        answerAll(c);
        deadline(c);
        c.run(H2, new HeavyCore.Tick(), TAKEOVER + GRACE);
        assertEquals(State.CLOSED, c.entry(H2).state(), "no takeover with additive sharing");
        assertTrue(c.outside(Effect.Reveal.class).isEmpty());
    }

    private static HeavyCore.Proposal proposal() {
        return new HeavyCore.Proposal(
                new io.formix.state.ComputationRecord(
                        ID,
                        "q",
                        io.formix.protocol.ResponseSchema.DEFAULT.toJsonText(),
                        2,
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
                        0),
                LIGHTS,
                "replicated-2of3");
    }

    private static int indexOf(List<Effect> fx, Class<?> type) {
        for (int i = 0; i < fx.size(); i++) {
            if (type.isInstance(fx.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
