package io.formix.state;

import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A light node's private {@code node.db}: the computations it was asked, its own answers and the
 * encoded shares it derived from them (one per heavy node, in the order of {@code heavies}). Only
 * this node and its owner read this file. The shares are kept so that a restarted node resends the
 * <em>same</em> shares (resharing would break the sum).
 *
 * <p>The per-computation state machine: {@code pending} (waiting for the owner's approval) →
 * {@code approved} → {@code answered} (answer and shares persisted, not all sent) → {@code sent};
 * or {@code refused} (decided, heavy nodes not yet told) → {@code declined}. Every transition is
 * conditional on the state it leaves.
 *
 * <p>The port of the light node's protocol core: {@link #open} (SQLite, the node's {@code node.db})
 * and {@link #inMemory} (tests). Inserts are idempotent; the store does no arithmetic.
 */
public interface LightStore extends AutoCloseable {

    /** The scheme of computations recorded without one. */
    String DEFAULT_SCHEME = "additive-3";

    /** Light-side states, the only place their names are written (SQL included). */
    enum State {
        PENDING,
        APPROVED,
        ANSWERED,
        SENT,
        REFUSED,
        DECLINED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One computation as this light node sees it; {@code encodedShares} (one per heavy node, in
     * {@code heavy} order, {@link ShareCodec} bytes) is empty before answering.
     */
    record Entry(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            State state,
            Integer answer,
            List<byte[]> encodedShares,
            String reason,
            long receivedAt) {

        /** The share values, heavy node by heavy node (for the owner's view and tests). */
        public int[] shares() {
            SharingScheme s = SharingSchemes.forId(scheme);
            List<Integer> out = new ArrayList<>();
            for (byte[] b : encodedShares) {
                VectorShare v = ShareCodec.decodeShare(b, 1);
                ShareAccumulator one = ShareAccumulator.open(s, v.party(), v.length());
                one.add("x", v);
                for (int k = 0; k < v.componentIndices().length; k++) {
                    for (int x : one.partialSum().sum(k)) {
                        out.add(x);
                    }
                }
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The SQLite store in {@code home/nodes/<uid>/node.db}. */
    static LightStore open(FormixHome home, PartyId uid) {
        return SqliteLightStore.open(home.nodeDb(uid));
    }

    /** A store in memory, for tests of the protocol core. */
    static LightStore inMemory() {
        return new InMemoryLightStore();
    }

    /** Records a newly received computation of the default scheme; false if it was already known. */
    default boolean receive(
            String id, String prompt, String schema, long deadline, List<PartyId> heavy, State initial, long now) {
        return receive(id, prompt, schema, DEFAULT_SCHEME, deadline, heavy, initial, now);
    }

    /** Records a newly received computation; returns false if it was already known. */
    boolean receive(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            State initial,
            long now);

    /**
     * Records a newly received computation already answered (automatic approval), answer and
     * shares included, in one transaction; false if the computation was already known (the first
     * answer stands).
     */
    boolean receiveAnswered(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            int answer,
            List<byte[]> shares,
            long now);

    /** Moves {@code pending} to {@code approved} or {@code refused}; false if not pending. */
    boolean decide(String id, boolean approve, String reason);

    /**
     * Persists the answer and its encoded shares, moving {@code approved} to {@code answered};
     * false if the computation was not in {@code approved} (already answered: keep the first answer).
     */
    boolean answer(String id, int answer, List<byte[]> shares, long now);

    /** Refuses from {@code pending} or {@code approved} (e.g. no answer fits the schema). */
    boolean refuse(String id, String reason);

    /** Records that the heavy nodes were told about a refusal: {@code refused} → {@code declined}. */
    boolean markDeclined(String id);

    /** Marks all shares as handed to the transport: {@code answered} → {@code sent}. */
    boolean markSent(String id);

    Optional<Entry> entry(String id);

    /** Entries in {@code state}, oldest first. */
    List<Entry> inState(State state);

    /** Every entry, oldest first. */
    List<Entry> all();

    @Override
    void close();
}
