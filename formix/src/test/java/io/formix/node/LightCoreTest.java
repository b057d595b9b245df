package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.protocol.Bodies;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ProtocolException;
import io.formix.protocol.ResponseSchema;
import io.formix.state.LightStore;
import io.formix.state.LightStore.State;
import io.formix.transport.PartyId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The light-node core: events in, effects out, a fixed clock, an in-memory store. */
class LightCoreTest {

    static final PartyId ME = PartyId.of("light-0001");
    static final long T0 = 1_700_000_000_000L;
    static final long DEADLINE = T0 + 10_000;
    static final String ID = "c00000001";

    static Envelope compute(PartyId from, ResponseSchema schema, long deadline) {
        return Envelope.of(
                MessageType.COMPUTE,
                from,
                ME,
                ID,
                new ComputeBody("q", schema, Bodies.DEFAULT_SCHEME, 1, deadline, 2_000, HeavyCoreTest.HEAVY, List.of())
                        .toJson());
    }

    static LightCore core(LightStore store, boolean auto) {
        return new LightCore(ME, store, HeavyCoreTest.ROLES, auto, new SecureRandom(), SharingSchemes::forId);
    }

    static Effect.SendAll sendAll(List<Effect> fx) {
        return fx.stream()
                .filter(Effect.SendAll.class::isInstance)
                .map(Effect.SendAll.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no SendAll in " + fx));
    }

    @Test
    void anAutomaticNodeAnswersPersistsThenSendsOneShareToEachHeavyNode() throws Exception {
        LightStore store = LightStore.inMemory();
        LightCore core = core(store, true);
        Effect.SendAll send = sendAll(
                core.handle(new LightCore.Announced(compute(HeavyCoreTest.H1, ResponseSchema.DEFAULT, DEADLINE)), T0));
        LightStore.Entry e = store.entry(ID).orElseThrow();
        assertEquals(State.ANSWERED, e.state(), "answer and shares persisted before any send");
        assertTrue(send.shares());
        assertEquals(
                HeavyCoreTest.HEAVY, send.messages().stream().map(Envelope::to).toList());
        List<VectorShare> shares = new ArrayList<>();
        for (Envelope m : send.messages()) {
            assertEquals(MessageType.SHARE, m.type());
            shares.add(ShareCodec.decodeShare(Bodies.Share.parse(m.body()).encoded(), 1));
        }
        SharingScheme scheme = SharingSchemes.forId(Bodies.DEFAULT_SCHEME);
        assertEquals(e.answer(), scheme.reconstruct(shares)[0], "the three shares reconstruct the stored answer");

        core.handle(new LightCore.Delivered(ID, true, true), T0 + 1);
        assertEquals(State.SENT, store.entry(ID).orElseThrow().state());
        assertFalse(core.wantsTick(T0 + 10 * LightCore.RETRY_MS));
        assertEquals(Long.MAX_VALUE, core.nextTick(), "no tick wanted before another event");
    }

    @Test
    void sharesThatCouldNotAllBeSentAreSentAgainTheSameFromTheNextTicks() throws Exception {
        LightStore store = LightStore.inMemory();
        LightCore core = core(store, true);
        Effect.SendAll first = sendAll(
                core.handle(new LightCore.Announced(compute(HeavyCoreTest.H1, ResponseSchema.DEFAULT, DEADLINE)), T0));
        core.handle(new LightCore.Delivered(ID, true, false), T0 + 1);
        assertFalse(core.wantsTick(T0 + LightCore.RETRY_MS), "not before the retry interval");
        assertTrue(core.wantsTick(T0 + 1 + LightCore.RETRY_MS));
        assertEquals(T0 + 1 + LightCore.RETRY_MS, core.nextTick(), "what the host's ticker reads of a light node");
        Effect.SendAll again = sendAll(core.handle(new LightCore.Tick(), T0 + 1 + LightCore.RETRY_MS));
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(
                    Bodies.Share.parse(first.messages().get(i).body()).encoded(),
                    Bodies.Share.parse(again.messages().get(i).body()).encoded(),
                    "the same stored share");
        }
        assertEquals(State.ANSWERED, store.entry(ID).orElseThrow().state());
    }

    @Test
    void aManualNodeWaitsForItsOwnerThenAnswersOnTheNextTick() throws Exception {
        LightStore store = LightStore.inMemory();
        LightCore core = core(store, false);
        List<Effect> fx =
                core.handle(new LightCore.Announced(compute(HeavyCoreTest.H1, ResponseSchema.DEFAULT, DEADLINE)), T0);
        assertTrue(fx.stream().noneMatch(e -> e instanceof Effect.SendAll));
        assertEquals(State.PENDING, store.entry(ID).orElseThrow().state());
        assertTrue(core.wantsTick(T0));
        assertTrue(core.handle(new LightCore.Tick(), T0).stream().noneMatch(e -> e instanceof Effect.SendAll));
        assertTrue(store.decide(ID, true, null), "the owner approves (comp approve)");
        assertFalse(core.wantsTick(T0 + LightCore.RETRY_MS - 1));
        Effect.SendAll send = sendAll(core.handle(new LightCore.Tick(), T0 + LightCore.RETRY_MS));
        assertTrue(send.shares());
        assertEquals(State.ANSWERED, store.entry(ID).orElseThrow().state());
    }

    @Test
    void anAnnouncementAtTheDeadlineIsDeclinedToEveryHeavyNode() throws Exception {
        LightStore store = LightStore.inMemory();
        LightCore core = core(store, true);
        Effect.SendAll send = sendAll(core.handle(
                new LightCore.Announced(compute(HeavyCoreTest.H1, ResponseSchema.DEFAULT, DEADLINE)), DEADLINE));
        assertFalse(send.shares());
        assertEquals(3, send.messages().size());
        assertEquals(
                "arrived after the deadline",
                Bodies.Decline.parse(send.messages().get(0).body()).reason());
        core.handle(new LightCore.Delivered(ID, false, true), DEADLINE + 1);
        LightStore.Entry e = store.entry(ID).orElseThrow();
        assertEquals(State.DECLINED, e.state());
        assertEquals(null, e.answer(), "no answer was drawn");
    }

    @Test
    void aSchemaNoAnswerFitsIsDeclinedWithTheReason() throws Exception {
        LightStore store = LightStore.inMemory();
        LightCore core = core(store, true);
        Effect.SendAll send = sendAll(core.handle(
                new LightCore.Announced(compute(
                        HeavyCoreTest.H1, ResponseSchema.parse("{\"type\":\"integer\",\"minimum\":101}"), DEADLINE)),
                T0));
        assertFalse(send.shares());
        assertEquals(
                "no integer in 0..100 satisfies the schema",
                Bodies.Decline.parse(send.messages().get(0).body()).reason());
    }

    @Test
    void anAnnouncementNotFromHeavyNode1IsRefusedAndARepeatChangesNothing() throws Exception {
        LightStore store = LightStore.inMemory();
        LightCore core = core(store, true);
        ProtocolException e = assertThrows(
                ProtocolException.class,
                () -> core.handle(
                        new LightCore.Announced(compute(HeavyCoreTest.H2, ResponseSchema.DEFAULT, DEADLINE)), T0));
        assertTrue(e.getMessage().contains("not by its heavy node 1"), e.getMessage());
        assertTrue(store.all().isEmpty());
        core.handle(new LightCore.Announced(compute(HeavyCoreTest.H1, ResponseSchema.DEFAULT, DEADLINE)), T0);
        Integer first = store.entry(ID).orElseThrow().answer();
        List<Effect> again = core.handle(
                new LightCore.Announced(compute(HeavyCoreTest.H1, ResponseSchema.DEFAULT, DEADLINE)), T0 + 5);
        assertTrue(again.stream()
                .anyMatch(x -> x instanceof Effect.Log l && l.text().contains("announced again")));
        assertEquals(first, store.entry(ID).orElseThrow().answer(), "the first answer stands");
    }
}
