package io.formix.state;

import static io.formix.state.Sqlite.query;
import static io.formix.state.Sqlite.update;

import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@link HeavyStore} in a heavy node's private {@code node.db}. The scheme id and the ordered heavy
 * nodes are data ({@code scheme}, {@code heavies}); shares and partial sums are stored encoded, as
 * they came ({@code io.formix.mpc.ShareCodec} bytes, the {@code partial} body), so vectors and other
 * schemes fit the same tables. A {@code node.db} of the older layout (one column per heavy node,
 * shares as integers) is refused with a clear message.
 */
final class SqliteHeavyStore implements HeavyStore {

    private final Sqlite db;
    /** Reads the computation rows, keeping each open computation's invited lights parsed once. */
    private final HeavyEntries entries = new HeavyEntries();
    /** The connection of the transaction {@link #inTransaction} runs, if any (same thread only). */
    private Connection current;

    private SqliteHeavyStore(Sqlite db) {
        this.db = db;
    }

    static SqliteHeavyStore open(Path file) {
        return new SqliteHeavyStore(HeavyStoreTables.open(file));
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        if (current != null) {
            return work.get();
        }
        return db.write(c -> {
            current = c;
            try {
                return work.get();
            } finally {
                current = null;
            }
        });
    }

    private <T> T write(Sqlite.Work<T> work) {
        if (current != null) {
            try {
                return work.run(current);
            } catch (SQLException e) {
                throw new StateException(StateErrors.describe(db.file(), e), e);
            }
        }
        return db.write(work);
    }

    private <T> List<T> select(String sql, Sqlite.Row<T> row, Object... args) {
        return write(c -> query(c, sql, row, args));
    }

    private int change(String sql, Object... args) {
        return write(c -> update(c, sql, args));
    }

    @Override
    public boolean create(Entry e, long now) {
        boolean created = change(
                        "INSERT OR IGNORE INTO computations(id, my_index, prompt, schema, scheme, threshold, deadline, "
                                + "grace_ms, heavies, invited, state, created_at, query, dp_epsilon, proposer) "
                                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        e.id(),
                        e.myIndex(),
                        e.prompt(),
                        e.schema(),
                        e.scheme(),
                        e.threshold(),
                        e.deadline(),
                        e.graceMs(),
                        StoreFiles.join(e.heavy()),
                        StoreFiles.join(e.invited()),
                        e.state().label(),
                        now,
                        e.query(),
                        e.dpEpsilon() == null ? null : e.dpEpsilon().toPlainString(),
                        e.proposer() == null ? null : e.proposer().value())
                == 1;
        if (created) {
            entries.forget(e.id()); // a set kept from a row that a rolled-back transaction had
        }
        return created;
    }

    @Override
    public Optional<Entry> entry(String id) {
        return entries("WHERE id = ?", id).stream().findFirst();
    }

    @Override
    public List<Entry> open() {
        return entries("WHERE state NOT IN (?,?) ORDER BY created_at", State.REVEALED.label(), State.FAILED.label());
    }

    @Override
    public List<Entry> all() {
        return entries("ORDER BY created_at");
    }

    @Override
    public boolean transition(String id, State from, State to, long now) {
        return change(
                        "UPDATE computations SET state = ?, closed_at = CASE WHEN ? = ? THEN ? ELSE closed_at END "
                                + "WHERE id = ? AND state = ?",
                        to.label(),
                        to.label(),
                        State.CLOSED.label(),
                        now,
                        id,
                        from.label())
                == 1;
    }

    @Override
    public boolean fixFinalSet(String id, Set<PartyId> finalSet) {
        boolean fixed = change(
                        "UPDATE computations SET state = ?, final_set = ? WHERE id = ? AND state = ?",
                        State.AGGREGATING.label(),
                        StoreFiles.join(finalSet),
                        id,
                        State.CLOSED.label())
                == 1;
        if (fixed) {
            entries.forgetFinalSet(id);
        }
        return fixed;
    }

    @Override
    public boolean finish(String id, State end, String reason) {
        return change(
                        "UPDATE computations SET state = ?, reason = ? WHERE id = ? AND state NOT IN (?,?)",
                        end.label(),
                        reason,
                        id,
                        State.REVEALED.label(),
                        State.FAILED.label())
                == 1;
    }

    @Override
    public Intake addShare(String id, PartyId light, byte[] share, long now) {
        return write(c -> {
            if (!collecting(c, id)) {
                update(c, "INSERT OR IGNORE INTO late(computation, light) VALUES (?,?)", id, light.value());
                return Intake.LATE;
            }
            return update(
                                    c,
                                    "INSERT OR IGNORE INTO shares(computation, light, encoded, arrived_at) VALUES (?,?,?,?)",
                                    id,
                                    light.value(),
                                    share,
                                    now)
                            == 1
                    ? Intake.ACCEPTED
                    : Intake.DUPLICATE;
        });
    }

    @Override
    public Intake addDecline(String id, PartyId light) {
        return write(c -> {
            if (!collecting(c, id)) {
                return Intake.LATE;
            }
            return update(c, "INSERT OR IGNORE INTO declines(computation, light) VALUES (?,?)", id, light.value()) == 1
                    ? Intake.ACCEPTED
                    : Intake.DUPLICATE;
        });
    }

    private static boolean collecting(Connection c, String id) throws SQLException {
        List<State> l = query(c, "SELECT state FROM computations WHERE id = ?", rs -> State.parse(rs.getString(1)), id);
        return l.isEmpty() || l.get(0).isCollecting(); // not announced yet: keep the share, it may count
    }

    @Override
    public void forEachShare(String id, java.util.function.BiConsumer<PartyId, byte[]> each) {
        write(c -> {
            try (var st =
                    c.prepareStatement("SELECT light, encoded FROM shares WHERE computation = ? ORDER BY light")) {
                st.setString(1, id);
                try (var rs = st.executeQuery()) {
                    while (rs.next()) {
                        each.accept(PartyId.of(rs.getString(1)), rs.getBytes(2));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public Set<PartyId> shareHolders(String id) {
        return new TreeSet<>(select("SELECT light FROM shares WHERE computation = ?", HeavyStoreTables.LIGHT, id));
    }

    @Override
    public Set<PartyId> decliners(String id) {
        return new TreeSet<>(select("SELECT light FROM declines WHERE computation = ?", HeavyStoreTables.LIGHT, id));
    }

    @Override
    public int lateCount(String id) {
        return select("SELECT COUNT(*) FROM late WHERE computation = ?", rs -> rs.getInt(1), id)
                .get(0);
    }

    @Override
    public boolean addReport(String id, PartyId heavy, Set<PartyId> lights, int late) {
        return change(
                        "INSERT OR IGNORE INTO reports(computation, heavy, lights, late) VALUES (?,?,?,?)",
                        id,
                        heavy.value(),
                        StoreFiles.join(lights),
                        late)
                == 1;
    }

    @Override
    public Map<PartyId, Report> reports(String id) {
        return write(c -> HeavyStoreTables.reports(c, id));
    }

    @Override
    public boolean addPartial(String id, PartyId heavy, String encoded) {
        return change(
                        "INSERT OR IGNORE INTO partials(computation, heavy, encoded) VALUES (?,?,?)",
                        id,
                        heavy.value(),
                        encoded)
                == 1;
    }

    @Override
    public Map<PartyId, String> partials(String id) {
        return write(c -> HeavyStoreTables.partials(c, id));
    }

    @Override
    public boolean addUndelivered(String id, PartyId light, String reason) {
        return change(
                        "INSERT OR IGNORE INTO undelivered(computation, light, reason) VALUES (?,?,?)",
                        id,
                        light.value(),
                        reason)
                == 1;
    }

    @Override
    public Map<String, Integer> undelivered(String id) {
        return write(c -> HeavyStoreTables.undelivered(c, id));
    }

    private List<Entry> entries(String where, Object... args) {
        return write(c -> entries.read(c, where, args));
    }

    /** How many invited lists and final sets this store parsed from their rows (tests). */
    long parsedSets() {
        return entries.parsed();
    }

    @Override
    public void close() {
        db.close();
    }
}
