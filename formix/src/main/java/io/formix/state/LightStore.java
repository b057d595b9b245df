package io.formix.state;

import io.formix.transport.PartyId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A light node's private {@code node.db}: the computations it was asked, its own answers and the
 * shares it derived from them. Only this node and its owner read this file. The shares are kept
 * so that a restarted node resends the <em>same</em> shares (resharing would break the sum).
 *
 * <p>The per-computation state machine: {@code pending} (waiting for the owner's approval) →
 * {@code approved} → {@code answered} (answer and shares persisted, not all sent) → {@code sent};
 * or {@code refused} (decided, heavy nodes not yet told) → {@code declined}.
 */
public final class LightStore implements AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS computations (
              id          TEXT PRIMARY KEY,
              prompt      TEXT NOT NULL,
              schema      TEXT NOT NULL,
              deadline    INTEGER NOT NULL,
              heavy1      TEXT NOT NULL,
              heavy2      TEXT NOT NULL,
              heavy3      TEXT NOT NULL,
              state       TEXT NOT NULL,
              answer      INTEGER,
              share1      INTEGER,
              share2      INTEGER,
              share3      INTEGER,
              reason      TEXT,
              received_at INTEGER NOT NULL,
              answered_at INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS computations_state ON computations(state)
            """;

    /** Light-side states. */
    public enum State {
        PENDING, APPROVED, ANSWERED, SENT, REFUSED, DECLINED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One computation as this light node sees it; {@code shares} is empty before answering. */
    public record Entry(String id, String prompt, String schema, long deadline, List<PartyId> heavy, State state,
                        Integer answer, int[] shares, String reason, long receivedAt) {
    }

    private final Sqlite db;

    private LightStore(Sqlite db) {
        this.db = db;
    }

    public static LightStore open(FormixHome home, PartyId uid) {
        return new LightStore(Sqlite.open(home.nodeDb(uid), SCHEMA));
    }

    /** Records a newly received computation; returns false if it was already known. */
    public boolean receive(String id, String prompt, String schema, long deadline, List<PartyId> heavy,
                           State initial, long now) {
        return db.update("INSERT OR IGNORE INTO computations(id, prompt, schema, deadline, heavy1, heavy2, heavy3, "
                + "state, received_at) VALUES (?,?,?,?,?,?,?,?,?)", id, prompt, schema, deadline,
                heavy.get(0).value(), heavy.get(1).value(), heavy.get(2).value(), initial.label(), now) == 1;
    }

    /**
     * Records a newly received computation already answered (automatic approval), answer and
     * shares included, in one transaction; false if the computation was already known (the first
     * answer stands).
     */
    public boolean receiveAnswered(String id, String prompt, String schema, long deadline, List<PartyId> heavy,
                                   int answer, int[] shares, long now) {
        return db.update("INSERT OR IGNORE INTO computations(id, prompt, schema, deadline, heavy1, heavy2, heavy3, "
                + "state, answer, share1, share2, share3, received_at, answered_at) "
                + "VALUES (?,?,?,?,?,?,?,'answered',?,?,?,?,?,?)", id, prompt, schema, deadline,
                heavy.get(0).value(), heavy.get(1).value(), heavy.get(2).value(), answer,
                Integer.toUnsignedLong(shares[0]), Integer.toUnsignedLong(shares[1]),
                Integer.toUnsignedLong(shares[2]), now, now) == 1;
    }

    /** Moves {@code pending} to {@code approved} or {@code refused}; false if not pending. */
    public boolean decide(String id, boolean approve, String reason) {
        return db.update("UPDATE computations SET state = ?, reason = ? WHERE id = ? AND state = 'pending'",
                approve ? State.APPROVED.label() : State.REFUSED.label(), reason, id) == 1;
    }

    /**
     * Persists the answer and its shares, moving {@code approved} to {@code answered}; false if the
     * computation was not in {@code approved} (already answered: keep the first answer).
     */
    public boolean answer(String id, int answer, int[] shares, long now) {
        return db.update("UPDATE computations SET state = 'answered', answer = ?, share1 = ?, share2 = ?, "
                + "share3 = ?, answered_at = ? WHERE id = ? AND state = 'approved'", answer,
                Integer.toUnsignedLong(shares[0]), Integer.toUnsignedLong(shares[1]),
                Integer.toUnsignedLong(shares[2]), now, id) == 1;
    }

    /** Refuses from {@code pending} or {@code approved} (e.g. no answer fits the schema). */
    public boolean refuse(String id, String reason) {
        return db.update("UPDATE computations SET state = 'refused', reason = ? "
                + "WHERE id = ? AND state IN ('pending','approved')", reason, id) == 1;
    }

    /** Records that the heavy nodes were told about a refusal: {@code refused} → {@code declined}. */
    public void markDeclined(String id) {
        db.update("UPDATE computations SET state = 'declined' WHERE id = ? AND state = 'refused'", id);
    }

    /** Marks all shares as handed to the transport. */
    public void markSent(String id) {
        db.update("UPDATE computations SET state = 'sent' WHERE id = ? AND state = 'answered'", id);
    }

    public Optional<Entry> entry(String id) {
        return entries("WHERE id = ?", id).stream().findFirst();
    }

    /** Entries in {@code state}, oldest first. */
    public List<Entry> inState(State state) {
        return entries("WHERE state = ? ORDER BY received_at", state.label());
    }

    /** Every entry, oldest first. */
    public List<Entry> all() {
        return entries("ORDER BY received_at");
    }

    private List<Entry> entries(String where, Object... args) {
        return db.query("SELECT id, prompt, schema, deadline, heavy1, heavy2, heavy3, state, answer, share1, share2, "
                + "share3, reason, received_at FROM computations " + where, LightStore::readEntry, args);
    }

    private static Entry readEntry(ResultSet rs) throws SQLException {
        int a = rs.getInt(9);
        Integer answer = rs.wasNull() ? null : a;
        long s1 = rs.getLong(10);
        int[] shares = rs.wasNull() ? new int[0] : new int[] {(int) s1, (int) rs.getLong(11), (int) rs.getLong(12)};
        return new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                List.of(PartyId.of(rs.getString(5)), PartyId.of(rs.getString(6)), PartyId.of(rs.getString(7))),
                State.valueOf(rs.getString(8).toUpperCase(java.util.Locale.ROOT)), answer, shares,
                rs.getString(13), rs.getLong(14));
    }

    @Override
    public void close() {
        db.close();
    }

}
