package io.formix.node;

import io.formix.dp.NoiseSpec;
import io.formix.mpc.PartialSum;
import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.node.Effect.Effects;
import io.formix.protocol.Bodies;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageLimits;
import io.formix.protocol.MessageType;
import io.formix.protocol.PartialSums;
import io.formix.protocol.ProtocolException;
import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.Report;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * The steps every path of {@link HeavyAgreement} shares: a computation's sharing scheme, the set of
 * lights a heavy node reports, its partial sum over a final set (computed by mpc's
 * {@link ShareAccumulator}; nothing here adds shares), and the two ends of a computation,
 * {@link #revealed} and {@link #fail}, each of which finishes it in the store at most once and
 * emits its effects only then.
 */
final class AgreementSteps {

    final HeavyCore core;
    private final Map<String, SharingScheme> schemes = new HashMap<>();
    final QueryFacts queries = new QueryFacts();
    /** Where the noise of differential privacy is drawn ({@link SecureRandom}; tests fix it). */
    Random noise = new SecureRandom();

    AgreementSteps(HeavyCore core) {
        this.core = core;
    }

    SharingScheme scheme(Entry e) {
        return schemes.computeIfAbsent(e.scheme(), SharingSchemes::forId);
    }

    /**
     * Refuses a share that is not for this heavy node's components of the computation's scheme, of
     * its ring and of its length (the query's cell count; 1 without a query), held to that length's
     * bound before it is decoded.
     */
    void checkShare(Entry e, byte[] encoded) throws ProtocolException {
        int cells = queries.cells(e);
        if (encoded.length > MessageLimits.shareBytes(cells)) {
            throw new ProtocolException("share of " + encoded.length + " bytes for " + e.id() + ", whose answers have "
                    + cells + " cell(s) (at most " + MessageLimits.shareBytes(cells) + " bytes)");
        }
        VectorShare s;
        try {
            s = ShareCodec.decodeShare(encoded, cells, scheme(e).ringBits());
        } catch (IllegalArgumentException ex) {
            throw new ProtocolException("share refused for " + e.id() + " (" + cells + " cell(s) mod 2^"
                    + scheme(e).ringBits() + "): " + ex.getMessage());
        }
        if (s.length() != cells) {
            throw new ProtocolException("share of " + s.length() + " element(s) for " + e.id() + ", whose answers have "
                    + cells + " cell(s)");
        }
        int party = e.myIndex() - 1;
        if (s.party() != party || !Arrays.equals(s.componentIndices(), scheme(e).componentsHeldBy(party))) {
            throw new ProtocolException("share for party " + s.party() + " components "
                    + Arrays.toString(s.componentIndices()) + " sent to heavy node " + e.myIndex() + " of " + e.id());
        }
    }

    /** Whether {@code e}'s scheme survives the loss of one heavy node ({@link HeavyAgreement#tolerant}). */
    boolean tolerant(Entry e) {
        return HeavyAgreement.tolerant(scheme(e));
    }

    /**
     * The invited lights whose share this node holds (the set it reports). A share stored before
     * the computation was known here is checked now; one of the wrong ring or length is left out.
     */
    Set<PartyId> heldInvited(Entry e) {
        Set<PartyId> held = core.store.shareHolders(e.id());
        held.retainAll(e.invited());
        Set<PartyId> early = new TreeSet<>(core.intake.early(e.id()));
        early.retainAll(held);
        if (!early.isEmpty()) {
            core.store.forEachShare(e.id(), (light, b) -> {
                try {
                    if (early.contains(light)) {
                        checkShare(e, b);
                    }
                } catch (ProtocolException ex) {
                    held.remove(light);
                }
            });
        }
        return held;
    }

    /** Reports the held set to heavy node 1 (tolerant schemes: to every other heavy node, as any may coordinate). */
    void sendReceived(Entry e, Effects fx) {
        var body = new Bodies.Received(heldInvited(e), core.store.lateCount(e.id())).toJson();
        for (PartyId h : tolerant(e) ? others(e) : List.of(e.heavy().get(0))) {
            fx.add(new Effect.Send(Envelope.of(MessageType.RECEIVED, core.uid, h, e.id(), body), lastTimeout(e)));
        }
    }

    /**
     * This node's partial sum over exactly {@code set}, computed by mpc.
     *
     * @throws IllegalStateException if this node lacks the share of a light node of {@code set}
     */
    PartialSum partial(Entry e, Set<PartyId> set) {
        Set<String> ids = new TreeSet<>();
        set.forEach(p -> ids.add(p.value()));
        int cells = queries.cells(e);
        int ring = scheme(e).ringBits();
        ShareAccumulator acc = ShareAccumulator.forContributors(scheme(e), e.myIndex() - 1, cells, ids);
        // one share decoded at a time: memory O(cells), whatever the number of light nodes
        core.store.forEachShare(e.id(), (light, b) -> {
            if (set.contains(light)) {
                acc.add(light.value(), ShareCodec.decodeShare(b, cells, ring));
            }
        });
        if (!acc.isComplete()) {
            throw new IllegalStateException("final set of " + e.id() + " names "
                    + acc.missing().size() + " light node(s) without a share here");
        }
        PartialSum sum = acc.partialSum();
        NoiseSpec spec = queries.noise(e);
        if (spec == null) {
            return sum;
        }
        // differential privacy: this node's own noise on its partial sum, before it leaves (additive only)
        long[][] sums = new long[sum.componentIndices().length][];
        for (int k = 0; k < sums.length; k++) {
            sums[k] = k == 0 ? spec.addNoise(sum.sumLongs(k), noise) : sum.sumLongs(k);
        }
        return new PartialSum(sum.party(), sum.componentIndices(), sums, sum.contributors());
    }

    /**
     * Sends this node's partial sum over {@code finalSet} to {@code to} and fixes {@code finalSet} as
     * this node's final set; if the sum cannot be computed it only warns and sends nothing.
     */
    void sendPartial(Entry e, Set<PartyId> finalSet, PartyId to, Effects fx) {
        PartialSum p;
        try {
            p = noisedBefore(e);
            if (p == null) {
                p = partial(e, finalSet);
                if (queries.noise(e) != null) { // kept, so a resend never draws the noise again
                    core.store.addPartial(e.id(), core.uid, PartialSums.encode(p));
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | ProtocolException ex) {
            fx.warn("computation " + e.id() + ": " + ex.getMessage());
            return;
        }
        core.store.fixFinalSet(e.id(), finalSet);
        fx.add(new Effect.Send(
                Envelope.of(MessageType.PARTIAL, core.uid, to, e.id(), new Bodies.Partial(p).toJson()),
                lastTimeout(e)));
        fx.info("computation " + e.id() + ": partial sum over " + finalSet.size() + " light nodes sent to " + to);
    }

    /**
     * The noised partial sum this node sent before for {@code e}, or null. With differential privacy
     * a heavy node sends one draw only: two draws of the same sum would let the receiver average
     * the noise down.
     */
    private PartialSum noisedBefore(Entry e) throws ProtocolException {
        String kept =
                queries.noise(e) == null ? null : core.store.partials(e.id()).get(core.uid);
        return kept == null ? null : PartialSums.decode(kept);
    }

    /**
     * The total of {@code sums} in {@code e}'s ring ({@code scheme.reveal} or {@code revealLongs}, which
     * check the contributor digests): a 32-bit total, or the typed value of a query's 64-bit total.
     *
     * @throws IllegalArgumentException if the partial sums do not agree or do not fit the query
     */
    Total open(Entry e, List<PartialSum> sums, int participants) {
        if (scheme(e).ringBits() == 64) {
            return new Total(-1, queries.value(e, scheme(e).revealLongs(sums), participants));
        }
        return new Total(Integer.toUnsignedLong(scheme(e).reveal(sums)[0]), null);
    }

    /** A revealed total: {@code total32} for a computation without a query, else the typed {@code value}. */
    record Total(long total32, String value) {}

    /** Ends {@code e} as revealed with {@code total} (unless it already ended): the result and the outcome. */
    void revealed(Entry e, Total total, int participants, long now, Effects fx) {
        int late = core.store.lateCount(e.id());
        for (Report r : core.store.reports(e.id()).values()) {
            late += r.late();
        }
        if (!core.store.finish(e.id(), State.REVEALED, null)) {
            return;
        }
        fx.add(new Effect.Reveal(e.id(), total.total32(), participants, late, now, total.value()));
        fx.info("computation " + e.id() + ": revealed the total over " + participants + " light nodes");
        fx.add(new Effect.Outcome(e.id(), e.invited(), e.heavy()));
    }

    /** Ends {@code e} as failed for {@code reason} (unless it already ended) and tells the other heavy nodes. */
    void fail(Entry e, String reason, long now, Effects fx) {
        int participants = e.finalSet() == null ? -1 : e.finalSet().size();
        if (!core.store.finish(e.id(), State.FAILED, reason)) {
            return;
        }
        fx.add(new Effect.Fail(e.id(), reason, participants, core.store.lateCount(e.id()), now));
        fx.warn("computation " + e.id() + " failed: " + reason);
        fx.add(new Effect.Outcome(e.id(), e.invited(), e.heavy()));
        for (PartyId h : others(e)) {
            fx.add(new Effect.Send(
                    Envelope.of(MessageType.ABORT, core.uid, h, e.id(), new Bodies.Abort(reason).toJson()),
                    lastTimeout(e)));
        }
    }

    /**
     * Ends {@code e} as failed here only (unless it already ended): a heavy node other than the
     * coordinator gives up, records the reason and tells no one.
     */
    void failHere(Entry e, String reason, long now, Effects fx) {
        if (core.store.finish(e.id(), State.FAILED, reason)) {
            fx.add(new Effect.Fail(e.id(), reason, -1, 0, now));
            fx.warn("computation " + e.id() + " failed: " + reason);
        }
    }

    /** Until when a message of {@code e} is worth retrying: its last timeout. */
    static long lastTimeout(Entry e) {
        return e.deadline() + 3 * e.graceMs();
    }

    /** The heavy nodes of {@code e} other than this one. */
    List<PartyId> others(Entry e) {
        List<PartyId> out = new ArrayList<>(e.heavy());
        out.remove(core.uid);
        return out;
    }

    static String join(List<PartyId> ids) {
        StringBuilder b = new StringBuilder();
        for (PartyId id : ids) {
            b.append(b.length() == 0 ? "" : " ").append(id.value());
        }
        return b.toString();
    }
}
