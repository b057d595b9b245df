package io.formix.state;

import io.formix.transport.PartyId;
import java.util.List;
import java.util.Optional;

/** {@link LightStore} in a light node's private {@code node.db}. */
final class SqliteLightStore implements LightStore {

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS computations (
              id          TEXT PRIMARY KEY,
              prompt      TEXT NOT NULL,
              schema      TEXT NOT NULL,
              scheme      TEXT NOT NULL,
              deadline    INTEGER NOT NULL,
              heavies     TEXT NOT NULL,
              state       TEXT NOT NULL,
              answer      INTEGER,
              shares      TEXT,
              reason      TEXT,
              received_at INTEGER NOT NULL,
              answered_at INTEGER NOT NULL DEFAULT 0,
              query       TEXT,
              dp_epsilon  TEXT,
              threshold   INTEGER,
              cells       BLOB,
              detail      TEXT,
              reviewed_hash TEXT,
              approved_hash TEXT,
              proposer    TEXT
            );
            CREATE INDEX IF NOT EXISTS computations_state ON computations(state)
            """;

    private final Sqlite db;

    private SqliteLightStore(Sqlite db) {
        this.db = db;
    }

    static SqliteLightStore open(java.nio.file.Path file) {
        Sqlite db = StoreFiles.open(file, SCHEMA, "SELECT scheme, heavies, shares FROM computations LIMIT 0");
        try {
            LightRows.addQueryColumns(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return new SqliteLightStore(db);
    }

    /**
     * Opens again a {@code node.db} that {@link #open} created and checked before in this process
     * (a pooled light store, {@link LightStorePool}): no schema to apply, nothing to write.
     */
    static SqliteLightStore reopen(java.nio.file.Path file) {
        return new SqliteLightStore(Sqlite.openExisting(file));
    }

    /** Records a newly received computation; returns false if it was already known. */
    @Override
    public boolean receive(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            State initial,
            long now) {
        return db.update(
                        "INSERT OR IGNORE INTO computations(id, prompt, schema, scheme, deadline, heavies, state, "
                                + "received_at) VALUES (?,?,?,?,?,?,?,?)",
                        id,
                        prompt,
                        schema,
                        scheme,
                        deadline,
                        StoreFiles.join(heavy),
                        initial.label(),
                        now)
                == 1;
    }

    /**
     * Records a newly received computation already answered (automatic approval), answer and
     * shares included, in one transaction; false if the computation was already known (the first
     * answer stands).
     */
    @Override
    public boolean receiveAnswered(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            int answer,
            List<byte[]> shares,
            long now) {
        return db.update(
                        "INSERT OR IGNORE INTO computations(id, prompt, schema, scheme, deadline, heavies, state, "
                                + "answer, shares, received_at, answered_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        id,
                        prompt,
                        schema,
                        scheme,
                        deadline,
                        StoreFiles.join(heavy),
                        State.ANSWERED.label(),
                        answer,
                        LightRows.encode(shares),
                        now,
                        now)
                == 1;
    }

    /** Moves {@code pending} to {@code approved} or {@code refused}; false if not pending. */
    @Override
    public boolean decide(String id, boolean approve, String reason) {
        return db.update(
                        "UPDATE computations SET state = ?, reason = ? WHERE id = ? AND state = ?",
                        approve ? State.APPROVED.label() : State.REFUSED.label(),
                        reason,
                        id,
                        State.PENDING.label())
                == 1;
    }

    /**
     * Persists the answer and its encoded shares, moving {@code approved} to {@code answered};
     * false if the computation was not in {@code approved} (already answered: keep the first answer).
     */
    @Override
    public boolean answer(String id, int answer, List<byte[]> shares, long now) {
        return db.update(
                        "UPDATE computations SET state = ?, answer = ?, shares = ?, answered_at = ? "
                                + "WHERE id = ? AND state = ?",
                        State.ANSWERED.label(),
                        answer,
                        LightRows.encode(shares),
                        now,
                        id,
                        State.APPROVED.label())
                == 1;
    }

    /** Refuses from {@code pending} or {@code approved} (e.g. no answer fits the schema). */
    @Override
    public boolean refuse(String id, String reason) {
        return db.update(
                        "UPDATE computations SET state = ?, reason = ? WHERE id = ? AND state IN (?,?)",
                        State.REFUSED.label(),
                        reason,
                        id,
                        State.PENDING.label(),
                        State.APPROVED.label())
                == 1;
    }

    /** Records that the heavy nodes were told about a refusal: {@code refused} → {@code declined}. */
    @Override
    public boolean markDeclined(String id) {
        return move(id, State.REFUSED, State.DECLINED);
    }

    /** Marks all shares as handed to the transport: {@code answered} → {@code sent}. */
    @Override
    public boolean markSent(String id) {
        return move(id, State.ANSWERED, State.SENT);
    }

    private boolean move(String id, State from, State to) {
        return db.update("UPDATE computations SET state = ? WHERE id = ? AND state = ?", to.label(), id, from.label())
                == 1;
    }

    @Override
    public Optional<Entry> entry(String id) {
        return entries("WHERE id = ?", id).stream().findFirst();
    }

    /** Entries in {@code state}, oldest first. */
    @Override
    public List<Entry> inState(State state) {
        return entries("WHERE state = ? ORDER BY received_at", state.label());
    }

    /** Every entry, oldest first. */
    @Override
    public List<Entry> all() {
        return entries("ORDER BY received_at");
    }

    private List<Entry> entries(String where, Object... args) {
        return db.query("SELECT " + LightRows.COLUMNS + " FROM computations " + where, LightRows::read, args);
    }

    @Override
    public boolean receiveQuery(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            Asked asked,
            State initial,
            String reason,
            long now) {
        return db.update(
                        "INSERT OR IGNORE INTO computations(id, prompt, schema, scheme, deadline, heavies, state, "
                                + "reason, received_at, query, dp_epsilon, threshold, detail, proposer) "
                                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        id,
                        prompt,
                        schema,
                        scheme,
                        deadline,
                        StoreFiles.join(heavy),
                        initial.label(),
                        reason,
                        now,
                        asked.query(),
                        asked.dpEpsilon() == null ? null : asked.dpEpsilon().toPlainString(),
                        asked.threshold(),
                        asked.detail(),
                        asked.proposer())
                == 1;
    }

    @Override
    public boolean reviewed(String id, String hash) {
        return db.update(
                        "UPDATE computations SET reviewed_hash = ? WHERE id = ? AND state = ? AND query IS NOT NULL",
                        hash,
                        id,
                        State.PENDING.label())
                == 1;
    }

    @Override
    public boolean approveQuery(String id, String hash, long[] cells) {
        return db.update(
                        "UPDATE computations SET state = ?, approved_hash = ?, cells = ? "
                                + "WHERE id = ? AND state = ? AND query IS NOT NULL",
                        State.APPROVED.label(),
                        hash,
                        cells == null ? null : LightRows.cells(cells),
                        id,
                        State.PENDING.label())
                == 1;
    }

    @Override
    public boolean answerCells(String id, long[] cells, List<byte[]> shares, long now) {
        return db.update(
                        "UPDATE computations SET state = ?, cells = ?, shares = ?, answered_at = ? "
                                + "WHERE id = ? AND state = ? AND query IS NOT NULL",
                        State.ANSWERED.label(),
                        LightRows.cells(cells),
                        LightRows.blob(shares),
                        now,
                        id,
                        State.APPROVED.label())
                == 1;
    }

    @Override
    public boolean refuse(String id, String reason, String detail) {
        return db.update(
                        "UPDATE computations SET state = ?, reason = ?, detail = ? WHERE id = ? AND state IN (?,?)",
                        State.REFUSED.label(),
                        reason,
                        detail,
                        id,
                        State.PENDING.label(),
                        State.APPROVED.label())
                == 1;
    }

    @Override
    public <T> T onDatabase(java.util.function.Function<Sqlite, T> work) {
        return work.apply(db);
    }

    @Override
    public void close() {
        db.close();
    }
}
