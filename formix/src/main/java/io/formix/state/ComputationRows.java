package io.formix.state;

import io.formix.state.ComputationRecord.Status;
import io.formix.transport.PartyId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code network.db}'s {@code computations} table: the public face of each computation. The heavy
 * nodes are one column of data ({@code heavies}, in party order), not one column per index.
 */
final class ComputationRows {

    /**
     * Records how many invited light nodes never received computation {@code id}, by reason (heavy
     * node 1, at the end of its broadcast); a second record for the same reason replaces the first.
     */
    void recordUndelivered(String id, java.util.Map<String, Integer> byReason) {
        db.write(c -> {
            for (java.util.Map.Entry<String, Integer> e : byReason.entrySet()) {
                Sqlite.update(
                        c,
                        "INSERT OR REPLACE INTO undelivered(computation, reason, lights) VALUES (?,?,?)",
                        id,
                        e.getKey(),
                        e.getValue());
            }
            return null;
        });
    }

    /** How many invited light nodes never received computation {@code id}, by reason; empty if all did. */
    java.util.Map<String, Integer> undelivered(String id) {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        for (Object[] row : db.query(
                "SELECT reason, lights FROM undelivered WHERE computation = ?",
                rs -> new Object[] {rs.getString(1), rs.getInt(2)},
                id)) {
            out.put((String) row[0], (Integer) row[1]);
        }
        return out;
    }

    static final String COMP_COLUMNS = "id, prompt, schema, threshold, deadline, grace_ms, heavies, status, invited, "
            + "answers, participants, result, reason, late, created_at, ended_at, scheme, query, dp_epsilon, value, "
            + "proposer";

    private final Sqlite db;

    ComputationRows(Sqlite db) {
        this.db = db;
    }

    /** The columns a proposal sets when its row is created, whichever way it arrived. */
    private static final String PROPOSAL_ROW = "computations(id, prompt, schema, threshold, deadline, grace_ms, "
            + "heavies, status, created_at, proposer, scheme, query, dp_epsilon) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** The values of {@link #PROPOSAL_ROW} for {@code r} in status {@code proposed}; {@code proposer} may be null. */
    private static Object[] proposalRow(ComputationRecord r, PartyId proposer) {
        return new Object[] {
            r.id(),
            r.prompt(),
            r.schema(),
            r.threshold(),
            r.deadline(),
            r.graceMs(),
            StoreFiles.join(r.heavy()),
            Status.PROPOSED.label(),
            r.createdAt(),
            proposer == null ? null : proposer.value(),
            r.scheme(),
            r.query(),
            r.dpEpsilon() == null ? null : r.dpEpsilon().toPlainString()
        };
    }

    /** Inserts a new computation in status {@code proposed}, with its proposer if it names one. */
    public void insertComputation(ComputationRecord r) {
        db.update("INSERT INTO " + PROPOSAL_ROW, proposalRow(r, r.proposer()));
    }

    /**
     * Records a proposal that arrived as a message from {@code proposer}, in status
     * {@code proposed}; returns false if the computation was already known here.
     */
    public boolean insertProposal(ComputationRecord r, PartyId proposer) {
        return db.update("INSERT OR IGNORE INTO " + PROPOSAL_ROW, proposalRow(r, proposer)) == 1;
    }

    /**
     * The proposer of computation {@code id}, if known: the node that sent the proposal to heavy
     * node 1 as a message, or the node of this home a {@code comp propose --from} named.
     */
    public Optional<PartyId> proposer(String id) {
        return db
                .query(
                        "SELECT proposer FROM computations WHERE id = ? AND proposer IS NOT NULL",
                        rs -> PartyId.of(rs.getString(1)),
                        id)
                .stream()
                .findFirst();
    }

    /**
     * Records the outcome of a computation that heavy node 1 ended on another host: inserts the
     * computation if this host never saw it, then ends it (a no-op if it already ended here).
     *
     * @return whether the row changed
     */
    public boolean recordOutcome(ComputationRecord r) {
        return db.write(c -> {
            Sqlite.update(c, "INSERT OR IGNORE INTO " + PROPOSAL_ROW, proposalRow(r, null));
            return Sqlite.update(
                            c,
                            "UPDATE computations SET status = ?, result = ?, value = ?, participants = ?, invited = ?, "
                                    + "answers = MAX(answers, ?), late = MAX(late, ?), reason = ?, ended_at = ? "
                                    + "WHERE id = ? AND status NOT IN (?,?)",
                            r.status().label(),
                            r.status() == Status.REVEALED && r.result() >= 0 ? r.result() : null,
                            r.status() == Status.REVEALED ? r.value() : null,
                            r.participants(),
                            r.invited(),
                            r.answers(),
                            r.late(),
                            r.reason(),
                            r.endedAt(),
                            r.id(),
                            Status.REVEALED.label(),
                            Status.FAILED.label())
                    == 1;
        });
    }

    public Optional<ComputationRecord> computation(String id) {
        return db
                .query(
                        "SELECT " + COMP_COLUMNS + " FROM computations WHERE id = ?",
                        ComputationRows::readComputation,
                        id)
                .stream()
                .findFirst();
    }

    /** All computations, newest first. */
    public List<ComputationRecord> computations() {
        return db.query(
                "SELECT " + COMP_COLUMNS + " FROM computations ORDER BY created_at DESC, id",
                ComputationRows::readComputation);
    }

    /** Computations in {@code status} whose heavy node 1 is {@code heavy1}. */
    public List<ComputationRecord> computations(Status status, PartyId heavy1) {
        List<ComputationRecord> out = new java.util.ArrayList<>();
        for (ComputationRecord r : db.query(
                "SELECT " + COMP_COLUMNS + " FROM computations WHERE status = ? " + "ORDER BY created_at",
                ComputationRows::readComputation,
                status.label())) {
            if (r.heavy1().equals(heavy1)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Computations not yet revealed or failed. */
    public List<ComputationRecord> openComputations() {
        return db.query(
                "SELECT " + COMP_COLUMNS + " FROM computations WHERE status NOT IN (?,?) " + "ORDER BY created_at",
                ComputationRows::readComputation,
                Status.REVEALED.label(),
                Status.FAILED.label());
    }

    /**
     * Moves a computation to {@code to} if it is not yet final and not already past {@code to};
     * returns whether the row changed.
     */
    public boolean advance(String id, Status to, int invited) {
        return db.update(
                        "UPDATE computations SET status = ?, invited = CASE WHEN ? >= 0 THEN ? ELSE invited END "
                                + "WHERE id = ? AND status IN (" + earlierThan(to) + ")",
                        to.label(),
                        invited,
                        invited,
                        id)
                == 1;
    }

    /** Records progress (shares received by heavy node 1 so far). */
    public void setAnswers(String id, int answers) {
        db.update("UPDATE computations SET answers = MAX(answers, ?) WHERE id = ?", answers, id);
    }

    /** Reveals the total; returns false if the computation had already ended. */
    public boolean reveal(String id, int total, int participants, int late, long now) {
        return end(id, Status.REVEALED, Integer.toUnsignedLong(total), null, participants, late, null, now);
    }

    /**
     * Reveals the typed value of a query's total ({@code io.formix.query.Decoder}'s JSON text; no
     * 32-bit {@code result}); returns false if the computation had already ended.
     */
    public boolean revealValue(String id, String value, int participants, int late, long now) {
        return end(id, Status.REVEALED, -1, value, participants, late, null, now);
    }

    /** Fails the computation with {@code reason}; returns false if it had already ended. */
    public boolean fail(String id, String reason, int participants, int late, long now) {
        return end(id, Status.FAILED, -1, null, participants, late, reason, now);
    }

    private boolean end(
            String id, Status status, long result, String value, int participants, int late, String reason, long now) {
        return db.update(
                        "UPDATE computations SET status = ?, result = ?, value = ?, "
                                + "participants = CASE WHEN ? >= 0 THEN ? ELSE participants END, late = MAX(late, ?), "
                                + "reason = ?, ended_at = ? WHERE id = ? AND status NOT IN (?,?)",
                        status.label(),
                        result >= 0 ? result : null,
                        value,
                        participants,
                        participants,
                        late,
                        reason,
                        now,
                        id,
                        Status.REVEALED.label(),
                        Status.FAILED.label())
                == 1;
    }

    private static String earlierThan(Status to) {
        StringBuilder b = new StringBuilder();
        for (Status s : Status.values()) {
            if (s.ordinal() >= to.ordinal()) {
                break;
            }
            b.append(b.length() == 0 ? "" : ",").append('\'').append(s.label()).append('\'');
        }
        return b.length() == 0 ? "''" : b.toString();
    }

    private static ComputationRecord readComputation(ResultSet rs) throws SQLException {
        long result = rs.getLong(12);
        if (rs.wasNull()) {
            result = -1;
        }
        return new ComputationRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                rs.getLong(5),
                rs.getLong(6),
                List.copyOf(StoreFiles.split(rs.getString(7))),
                Status.parse(rs.getString(8)),
                rs.getInt(9),
                rs.getInt(10),
                rs.getInt(11),
                result,
                rs.getString(13),
                rs.getInt(14),
                rs.getLong(15),
                rs.getLong(16),
                rs.getString(17),
                rs.getString(18),
                rs.getString(19) == null ? null : new java.math.BigDecimal(rs.getString(19)),
                rs.getString(20),
                proposerCell(rs.getString(21)));
    }

    /** A {@code proposer} cell as a uid; null when empty or not a uid (an edited file is not trusted). */
    private static PartyId proposerCell(String cell) {
        return cell != null && PartyId.isValid(cell) ? PartyId.of(cell) : null;
    }
}
