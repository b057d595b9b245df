package io.formix.state;

import io.formix.transport.PartyId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The port through which a heavy node's protocol core keeps its state: the computations it takes
 * part in, the encoded shares it received (one per light node and computation), the shares that
 * came after its close (only counted), the declines, and on heavy node 1 the other heavy nodes'
 * reports and encoded partial sums. Inserts are idempotent; transitions are conditional (they
 * happen only from the named state); the store does no arithmetic and holds no answer.
 *
 * <p>Implementations: {@link #open} (SQLite, the node's {@code node.db}) and {@link #inMemory}
 * (tests). Not thread-safe beyond what each implementation says: a node confines its store to its
 * mailbox thread.
 */
public interface HeavyStore extends AutoCloseable {

    /** Heavy-side states, the only place their names are written (SQL included). */
    enum State {
        BROADCASTING,
        COLLECTING,
        CLOSED,
        AGGREGATING,
        /**
         * Heavy node 2 of a computation whose scheme survives one lost heavy node, coordinating in
         * place of a heavy node 1 that did not end it in time (it asked heavy node 3 for its partial sum).
         */
        TAKEOVER,
        REVEALED,
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean isFinal() {
            return this == REVEALED || this == FAILED;
        }

        /** Whether a share or decline arriving now is still taken (not late). */
        public boolean isCollecting() {
            return this == BROADCASTING || this == COLLECTING;
        }

        static State parse(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }

    /** What happened to an incoming share or decline. */
    enum Intake {
        /** Stored; it will count if the light node is in the final set. */
        ACCEPTED,
        /** This light node already had a share (or decline) here: stored once. */
        DUPLICATE,
        /** Arrived after this heavy node closed the computation: ignored and counted. */
        LATE
    }

    /**
     * A computation as this heavy node sees it.
     *
     * @param myIndex this node's position in {@code heavy}, 1-based
     * @param scheme  the sharing scheme id ({@code additive-3}, later {@code replicated-2of3})
     * @param heavy   the ordered heavy nodes; party {@code i} of the scheme is {@code heavy.get(i)}
     * @param invited the invited light nodes, sorted; unmodifiable (fixed when the computation is
     *     recorded, and shared by every entry the store reads of it)
     * @param finalSet the agreed set of light nodes once fixed, sorted and unmodifiable; else null
     * @param query   the canonical JSON text of the computation's query, or null (a schema-only computation)
     * @param dpEpsilon the ε of the noise this node adds to its partial sum, or null for none
     * @param proposer  the computation's proposer as heavy node 1 recorded it (it names it in its
     *     {@code compute}), or null when unknown
     */
    record Entry(
            String id,
            int myIndex,
            String prompt,
            String schema,
            String scheme,
            int threshold,
            long deadline,
            long graceMs,
            List<PartyId> heavy,
            Set<PartyId> invited,
            State state,
            Set<PartyId> finalSet,
            String reason,
            String query,
            java.math.BigDecimal dpEpsilon,
            PartyId proposer) {

        /**
         * Keeps {@code invited} and {@code finalSet} as sorted unmodifiable sets (a copy unless they
         * are already one), so a store may share them between the entries it reads.
         */
        public Entry {
            invited = FixedSets.of(invited);
            finalSet = finalSet == null ? null : FixedSets.of(finalSet);
        }

        /** A computation whose proposer is not known. */
        public Entry(
                String id,
                int myIndex,
                String prompt,
                String schema,
                String scheme,
                int threshold,
                long deadline,
                long graceMs,
                List<PartyId> heavy,
                Set<PartyId> invited,
                State state,
                Set<PartyId> finalSet,
                String reason,
                String query,
                java.math.BigDecimal dpEpsilon) {
            this(
                    id, myIndex, prompt, schema, scheme, threshold, deadline, graceMs, heavy, invited, state, finalSet,
                    reason, query, dpEpsilon, null);
        }

        /** A computation without a query. */
        public Entry(
                String id,
                int myIndex,
                String prompt,
                String schema,
                String scheme,
                int threshold,
                long deadline,
                long graceMs,
                List<PartyId> heavy,
                Set<PartyId> invited,
                State state,
                Set<PartyId> finalSet,
                String reason) {
            this(
                    id, myIndex, prompt, schema, scheme, threshold, deadline, graceMs, heavy, invited, state, finalSet,
                    reason, null, null);
        }

        /** This entry in state {@code s} with {@code finalSet} and {@code reason}. */
        public Entry with(State s, Set<PartyId> finalSet, String reason) {
            return new Entry(
                    id, myIndex, prompt, schema, scheme, threshold, deadline, graceMs, heavy, invited, s, finalSet,
                    reason, query, dpEpsilon, proposer);
        }
    }

    /** A report from another heavy node: the lights whose shares it holds at its close. */
    record Report(PartyId heavy, Set<PartyId> lights, int late) {}

    /** The SQLite store in {@code home/nodes/<uid>/node.db}. */
    static HeavyStore open(FormixHome home, PartyId uid) {
        return SqliteHeavyStore.open(home.nodeDb(uid));
    }

    /** A store in memory, for tests of the protocol core. */
    static HeavyStore inMemory() {
        return new InMemoryHeavyStore();
    }

    /** Runs {@code work} as one transaction: every write in it lands, or none. */
    <T> T inTransaction(Supplier<T> work);

    /** Records a computation (in {@code e.state()}); false if already known. */
    boolean create(Entry e, long now);

    Optional<Entry> entry(String id);

    /** Computations not yet revealed or failed, oldest first. */
    List<Entry> open();

    /** Every computation, oldest first. */
    List<Entry> all();

    /** Moves {@code from} to {@code to}; false if the computation was not in {@code from}. */
    boolean transition(String id, State from, State to, long now);

    /** Fixes the final set, {@code closed} → {@code aggregating}; false if not closed. */
    boolean fixFinalSet(String id, Set<PartyId> finalSet);

    /** Ends the computation here; false if it had already ended. */
    boolean finish(String id, State end, String reason);

    /**
     * Stores an encoded share unless this light node already has one here, or counts it as late
     * when the computation is no longer collecting. Check and insert are one transaction.
     */
    Intake addShare(String id, PartyId light, byte[] share, long now);

    /** Records that {@code light} declined; same rules as {@link #addShare}. */
    Intake addDecline(String id, PartyId light);

    /** The encoded shares held for {@code id}, by light node (all at once: for short vectors and tests). */
    default Map<PartyId, byte[]> shares(String id) {
        Map<PartyId, byte[]> out = new java.util.TreeMap<>();
        forEachShare(id, out::put);
        return out;
    }

    /**
     * Passes each encoded share held for {@code id} to {@code each}, one at a time, in light order,
     * without holding them all: a sum over long vectors needs memory for one share, not for all.
     */
    void forEachShare(String id, java.util.function.BiConsumer<PartyId, byte[]> each);

    /** Lights with a stored share for {@code id}. */
    Set<PartyId> shareHolders(String id);

    /** Lights that declined {@code id}. */
    Set<PartyId> decliners(String id);

    /** Number of distinct lights whose share came after the close. */
    int lateCount(String id);

    /** Stores another heavy node's report once; false if one was already stored. */
    boolean addReport(String id, PartyId heavy, Set<PartyId> lights, int late);

    Map<PartyId, Report> reports(String id);

    /** Stores a heavy node's encoded partial sum once; false if one was already stored. */
    boolean addPartial(String id, PartyId heavy, String encoded);

    /** The encoded partial sums received for {@code id}, by heavy node. */
    Map<PartyId, String> partials(String id);

    /** Records that the announcement of {@code id} never reached {@code light}, and why (once per light). */
    boolean addUndelivered(String id, PartyId light, String reason);

    /** How many invited light nodes never received {@code id}, by reason. */
    Map<String, Integer> undelivered(String id);

    @Override
    void close();
}
