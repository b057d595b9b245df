package io.formix.state;

import io.formix.state.HeavyStore.Entry;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the {@code computations} rows of a heavy node's {@code node.db} into entries. A row's invited
 * lights (ten thousand uids in one text) never change once it is inserted, and its final set is
 * written once; a heavy node reads its open computations on every tick and every share. So each open
 * computation's two sets are parsed once, kept here by computation id, and shared (unmodifiable) by
 * every entry read after: the row query then selects neither text, and reading an entry costs the
 * same for ten light nodes as for ten thousand. A computation read in a final state is no longer
 * kept; at most {@link #MAX_KEPT} are. The store drops a computation's kept sets when it inserts the
 * row or fixes the final set, so a transaction rolled back after a read leaves nothing wrong behind.
 * A new process reads the sets from the rows again. Thread-safe.
 */
final class HeavyEntries {

    /** Computations whose sets are kept at most; past it, every kept set is dropped (and read again). */
    static final int MAX_KEPT = 256;

    /** The columns the row query reads, in {@link #row}'s order; the two sets are read apart. */
    private static final String COLUMNS = "id, my_index, prompt, schema, scheme, threshold, deadline, grace_ms, "
            + "heavies, state, final_set IS NOT NULL, reason, query, dp_epsilon, proposer";

    private final Map<String, Set<PartyId>> invited = new ConcurrentHashMap<>();
    private final Map<String, Set<PartyId>> finalSets = new ConcurrentHashMap<>();
    private final AtomicLong parsed = new AtomicLong();

    /** The entries of the rows {@code where} selects (a {@code WHERE}/{@code ORDER BY} clause), on {@code c}. */
    List<Entry> read(Connection c, String where, Object... args) throws SQLException {
        List<Entry> rows =
                Sqlite.query(c, "SELECT " + COLUMNS + " FROM computations " + where, HeavyEntries::row, args);
        List<Entry> out = new ArrayList<>(rows.size());
        for (Entry r : rows) {
            Set<PartyId> inv = set(c, invited, r, "invited");
            Set<PartyId> fin = r.finalSet() == null ? null : set(c, finalSets, r, "final_set");
            if (r.state().isFinal()) {
                forget(r.id());
            }
            out.add(new Entry(
                    r.id(),
                    r.myIndex(),
                    r.prompt(),
                    r.schema(),
                    r.scheme(),
                    r.threshold(),
                    r.deadline(),
                    r.graceMs(),
                    r.heavy(),
                    inv,
                    r.state(),
                    fin,
                    r.reason(),
                    r.query(),
                    r.dpEpsilon(),
                    r.proposer()));
        }
        return out;
    }

    /** Drops what is kept of computation {@code id} (its row was just inserted). */
    void forget(String id) {
        invited.remove(id);
        finalSets.remove(id);
    }

    /** Drops the final set kept of computation {@code id} (it was just fixed). */
    void forgetFinalSet(String id) {
        finalSets.remove(id);
    }

    /** How many invited lists and final sets were parsed from their text so far. */
    long parsed() {
        return parsed.get();
    }

    private Set<PartyId> set(Connection c, Map<String, Set<PartyId>> kept, Entry r, String column) throws SQLException {
        Set<PartyId> s = kept.get(r.id());
        if (s != null) {
            return s;
        }
        List<String> text =
                Sqlite.query(c, "SELECT " + column + " FROM computations WHERE id = ?", rs -> rs.getString(1), r.id());
        s = FixedSets.parse(text.isEmpty() ? null : text.get(0));
        parsed.incrementAndGet();
        if (!r.state().isFinal()) {
            if (kept.size() >= MAX_KEPT) {
                kept.clear();
            }
            kept.put(r.id(), s);
        }
        return s;
    }

    /** A row of {@link #COLUMNS}, its invited set empty and its final set empty when one is fixed. */
    private static Entry row(ResultSet rs) throws SQLException {
        String proposer = rs.getString(15);
        return new Entry(
                rs.getString(1),
                rs.getInt(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getInt(6),
                rs.getLong(7),
                rs.getLong(8),
                List.copyOf(StoreFiles.split(rs.getString(9))),
                Set.of(),
                State.parse(rs.getString(10)),
                rs.getBoolean(11) ? Set.of() : null,
                rs.getString(12),
                rs.getString(13),
                rs.getString(14) == null ? null : new BigDecimal(rs.getString(14)),
                proposer != null && PartyId.isValid(proposer) ? PartyId.of(proposer) : null);
    }
}
