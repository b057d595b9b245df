package io.formix.policy;

import io.formix.data.SourceKind;
import io.formix.query.Answer;
import io.formix.query.Query;
import io.formix.state.FormixHome;
import io.formix.state.Sqlite;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The disclosure policy of one light node and its ledger, in the node's own {@code node.db}
 * (tables {@code disclosure_policy} and {@code policy_ledger}, created if absent, beside the
 * node's computations and data sources). Nothing here is ever sent anywhere.
 *
 * <p>The ledger holds one row per computation answered on a dataset: its UTC day (the per-day
 * counter) and the ε it spent (the ε ledger). {@link #decide} reads the ledger, checks and records
 * in one {@code BEGIN IMMEDIATE} transaction, so two computations decided at once can never both
 * take the last computation of a day or the last ε of a budget.
 */
public final class PolicyStore implements AutoCloseable {

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS disclosure_policy (
              id         INTEGER PRIMARY KEY CHECK (id = 1),
              policy     TEXT NOT NULL,
              updated_at INTEGER NOT NULL
            );
            CREATE TABLE IF NOT EXISTS policy_ledger (
              dataset     TEXT NOT NULL,
              computation TEXT NOT NULL,
              day         TEXT NOT NULL,
              epsilon     TEXT,
              at          INTEGER NOT NULL,
              PRIMARY KEY (dataset, computation)
            );
            CREATE INDEX IF NOT EXISTS policy_ledger_day ON policy_ledger(dataset, day);
            CREATE TABLE IF NOT EXISTS approval_mode (
              id         INTEGER PRIMARY KEY CHECK (id = 1),
              mode       TEXT NOT NULL,
              updated_at INTEGER NOT NULL
            )
            """;

    private final Sqlite db;
    /** Whether {@link #close()} closes {@link #db} (false when it was lent, {@link #over}). */
    private final boolean owned;

    private PolicyStore(Sqlite db) {
        this(db, true);
    }

    private PolicyStore(Sqlite db, boolean owned) {
        this.db = db;
        this.owned = owned;
    }

    /**
     * This node's {@code node.db} through a connection someone else owns and closes (a light node's
     * pooled store): {@link #close()} leaves it open. With {@code create}, creates the tables first.
     */
    public static PolicyStore over(Sqlite db, boolean create) {
        if (create) {
            db.write(c -> {
                try (java.sql.Statement s = c.createStatement()) {
                    for (String stmt : SCHEMA.split(";")) {
                        if (!stmt.isBlank()) {
                            s.executeUpdate(stmt);
                        }
                    }
                }
                return null;
            });
        }
        return new PolicyStore(db, false);
    }

    /** Opens (creating its tables if needed) the {@code node.db} of light node {@code uid}. */
    public static PolicyStore open(FormixHome home, PartyId uid) {
        return new PolicyStore(Sqlite.open(home.nodeDb(uid), SCHEMA));
    }

    /** The node's policy; {@link DisclosurePolicy#OFF} until its owner sets one. */
    public DisclosurePolicy policy() {
        return db.query("SELECT policy FROM disclosure_policy WHERE id = 1", rs -> rs.getString(1)).stream()
                .findFirst()
                .map(DisclosurePolicy::fromJson)
                .orElse(DisclosurePolicy.OFF);
    }

    /** Replaces the node's policy. */
    public void set(DisclosurePolicy p, Instant now) {
        db.update(
                "INSERT INTO disclosure_policy(id, policy, updated_at) VALUES (1, ?, ?) "
                        + "ON CONFLICT(id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at",
                p.toJson(),
                now.toEpochMilli());
    }

    /** How the node approves query computations; {@link ApprovalMode#MANUAL} until its owner sets it. */
    public ApprovalMode approval() {
        return db.query("SELECT mode FROM approval_mode WHERE id = 1", rs -> rs.getString(1)).stream()
                .findFirst()
                .map(m -> {
                    try {
                        return ApprovalMode.parse(m);
                    } catch (PolicyException e) {
                        return ApprovalMode.MANUAL; // an unreadable mode never approves anything
                    }
                })
                .orElse(ApprovalMode.MANUAL);
    }

    /** Sets how the node approves query computations. */
    public void setApproval(ApprovalMode mode, Instant now) {
        db.update(
                "INSERT INTO approval_mode(id, mode, updated_at) VALUES (1, ?, ?) "
                        + "ON CONFLICT(id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at",
                mode.label(),
                now.toEpochMilli());
    }

    /** What {@code dataset} has given: computations on the UTC day of {@code now}, and ε in all. */
    public Usage usage(String dataset, Instant now) {
        return db.read(c -> usage(c, dataset, now));
    }

    /** {@link #usage} of every dataset in the ledger, by name. */
    public Map<String, Usage> usageByDataset(Instant now) {
        List<String> names =
                db.query("SELECT DISTINCT dataset FROM policy_ledger ORDER BY dataset", rs -> rs.getString(1));
        Map<String, Usage> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, usage(n, now));
        }
        return m;
    }

    /**
     * Decides whether to answer computation {@code f.computation()} with {@code answer} (computed
     * from a source of kind {@code kind}): reads the policy and the ledger, applies
     * {@link PolicyCheck#check} and, when it approves, records the computation in the ledger — one
     * transaction. A computation already recorded is approved again without counting twice (a
     * node that restarts before sending decides again).
     */
    public Verdict decide(Query q, ProposalFacts f, Answer answer, SourceKind kind) {
        return db.write(c -> {
            if (recorded(c, q.dataset(), f.computation())) {
                return Verdict.approve(List.of("computation " + f.computation() + " was approved before"));
            }
            DisclosurePolicy p = readPolicy(c);
            Verdict v = PolicyCheck.check(p, q, f, answer, kind, usage(c, q.dataset(), f.now()));
            if (v.approved()) {
                record(c, q.dataset(), f);
            }
            return v;
        });
    }

    /**
     * Records that computation {@code f.computation()} was answered on {@code dataset} (its day and
     * its ε), without a check: for an answer the owner released by hand. False if it was recorded before.
     */
    public boolean record(String dataset, ProposalFacts f) {
        return db.write(c -> !recorded(c, dataset, f.computation()) && record(c, dataset, f));
    }

    static String day(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
    }

    private static DisclosurePolicy readPolicy(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT policy FROM disclosure_policy WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? DisclosurePolicy.fromJson(rs.getString(1)) : DisclosurePolicy.OFF;
        }
    }

    private static boolean recorded(Connection c, String dataset, String computation) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM policy_ledger WHERE dataset = ? AND computation = ?")) {
            ps.setString(1, dataset);
            ps.setString(2, computation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean record(Connection c, String dataset, ProposalFacts f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO policy_ledger(dataset, computation, "
                + "day, epsilon, at) VALUES (?,?,?,?,?)")) {
            ps.setString(1, dataset);
            ps.setString(2, f.computation());
            ps.setString(3, day(f.now()));
            ps.setString(4, f.dpEpsilon() == null ? null : f.dpEpsilon().toPlainString());
            ps.setLong(5, f.now().toEpochMilli());
            return ps.executeUpdate() == 1;
        }
    }

    private static Usage usage(Connection c, String dataset, Instant now) throws SQLException {
        long today;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT COUNT(*) FROM policy_ledger WHERE dataset = ? AND day = ?")) {
            ps.setString(1, dataset);
            ps.setString(2, day(now));
            try (ResultSet rs = ps.executeQuery()) {
                today = rs.next() ? rs.getLong(1) : 0;
            }
        }
        BigDecimal spent = BigDecimal.ZERO;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT epsilon FROM policy_ledger WHERE dataset = ? AND epsilon IS NOT NULL")) {
            ps.setString(1, dataset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        spent = spent.add(new BigDecimal(rs.getString(1)));
                    } catch (NumberFormatException e) {
                        throw new PolicyException("the ε ledger of " + dataset + " in node.db holds '" + rs.getString(1)
                                + "', which is not a number");
                    }
                }
            }
        }
        return new Usage(today, spent);
    }

    @Override
    public void close() {
        if (owned) {
            db.close();
        }
    }
}
