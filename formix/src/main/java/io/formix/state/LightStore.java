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
            long receivedAt,
            Asked asked) {

        /** An entry of a computation without a query. */
        public Entry(
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
            this(id, prompt, schema, scheme, deadline, heavy, state, answer, encodedShares, reason, receivedAt, null);
        }

        /** This entry in {@code to}, with the fields given (null keeps the current one). */
        Entry with(State to, Integer answer, List<byte[]> shares, String reason, Asked asked) {
            return new Entry(
                    id,
                    prompt,
                    schema,
                    scheme,
                    deadline,
                    heavy,
                    to,
                    answer == null ? this.answer : answer,
                    shares == null ? encodedShares : shares,
                    reason == null ? this.reason : reason,
                    receivedAt,
                    asked == null ? this.asked : asked);
        }

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

    /**
     * What a computation that carries a query adds to its entry ({@code asked}, null for the others).
     *
     * @param query        the canonical query JSON text, as announced
     * @param dpEpsilon    the ε of the differential privacy the proposal asks for, or null
     * @param threshold    the proposal's threshold
     * @param cells        the answer (the cells shared, mod 2^64): given by the owner ({@code comp
     *                     answer}) or computed; null before
     * @param detail       the precise reason of a refusal, for the owner only (the wire carries a generic one)
     * @param reviewedHash the proposal hash the owner's last {@code comp review} showed, or null
     * @param approvedHash the proposal hash the owner approved ({@code comp approve/answer}), or null
     *                     (approved by the node's policy, or not approved)
     * @param proposer     the proposer heavy node 1 named in its {@code compute} (a party uid), or null: unknown
     */
    record Asked(
            String query,
            java.math.BigDecimal dpEpsilon,
            int threshold,
            long[] cells,
            String detail,
            String reviewedHash,
            String approvedHash,
            String proposer) {

        /** A query as announced: nothing decided yet, no proposer named. */
        public static Asked of(String query, java.math.BigDecimal dpEpsilon, int threshold) {
            return new Asked(query, dpEpsilon, threshold, null, null, null, null, null);
        }

        public Asked withCells(long[] c) {
            return new Asked(query, dpEpsilon, threshold, c, detail, reviewedHash, approvedHash, proposer);
        }

        public Asked withDetail(String d) {
            return new Asked(query, dpEpsilon, threshold, cells, d, reviewedHash, approvedHash, proposer);
        }

        public Asked withReviewed(String h) {
            return new Asked(query, dpEpsilon, threshold, cells, detail, h, approvedHash, proposer);
        }

        public Asked withApproved(String h) {
            return new Asked(query, dpEpsilon, threshold, cells, detail, reviewedHash, h, proposer);
        }

        /** This query as proposed by {@code p} (a party uid; null: unknown). */
        public Asked withProposer(String p) {
            return new Asked(query, dpEpsilon, threshold, cells, detail, reviewedHash, approvedHash, p);
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

    /**
     * Records a newly received computation that carries a query ({@code asked}), in {@code
     * initial} ({@code refused} with the wire {@code reason} when it was refused at once, the
     * precise reason in {@code asked.detail()}); false if it was already known.
     */
    boolean receiveQuery(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            Asked asked,
            State initial,
            String reason,
            long now);

    /** Records the proposal hash the owner's review showed; false if the computation is not a pending query. */
    boolean reviewed(String id, String hash);

    /**
     * The owner approves a pending query computation bound to {@code hash} ({@code null}: approved
     * by the node's policy), with the answer {@code cells} the owner typed (or null: the node
     * computes it): {@code pending} → {@code approved}; false if not pending.
     */
    boolean approveQuery(String id, String hash, long[] cells);

    /**
     * Persists a query computation's answer cells and their encoded shares: {@code approved} →
     * {@code answered}; false if not approved (the first answer stands).
     */
    boolean answerCells(String id, long[] cells, List<byte[]> shares, long now);

    /**
     * Refuses from {@code pending} or {@code approved}, telling the heavy nodes {@code reason} and
     * keeping {@code detail} for the owner only.
     */
    boolean refuse(String id, String reason, String detail);

    /**
     * Runs {@code work} on this store's own connection to the node's {@code node.db}, for the
     * node's other tables (sources, policy, ledger), within the store's resource bounds (a pooled
     * store opens it under a pool permit). An in-memory store has none: {@link UnsupportedOperationException}.
     */
    default <T> T onDatabase(java.util.function.Function<Sqlite, T> work) {
        throw new UnsupportedOperationException("a store in memory has no database");
    }

    Optional<Entry> entry(String id);

    /** Entries in {@code state}, oldest first. */
    List<Entry> inState(State state);

    /** Every entry, oldest first. */
    List<Entry> all();

    @Override
    void close();
}
