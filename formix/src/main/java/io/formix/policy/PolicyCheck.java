package io.formix.policy;

import io.formix.data.SourceKind;
import io.formix.query.Aggregate;
import io.formix.query.Answer;
import io.formix.query.Query;
import io.formix.query.Term;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Applies a {@link DisclosurePolicy} to one proposal and the answer the node would send. Pure: no
 * clock, no I/O; the ledger's figures come in as {@link Usage} ({@link PolicyStore#decide} reads
 * them, checks and records in one transaction).
 *
 * <p>The controls run in this order, and the first that fails declines: proposers, types,
 * columns, min-threshold, max-epsilon, max-per-day (none of which needs the data), then min-rows
 * and min-cell (which need the local evaluation). A control that is off never declines.
 */
public final class PolicyCheck {

    private PolicyCheck() {}

    /** The controls that need no data: whether {@code q} as proposed may be evaluated and answered at all. */
    public static Verdict beforeAnswer(DisclosurePolicy p, Query q, ProposalFacts f, Usage u) {
        List<String> passed = new ArrayList<>();
        if (p.proposers() != null) {
            if (f.proposer() == null || !p.proposers().contains(f.proposer())) {
                return Verdict.decline(
                        Control.PROPOSERS,
                        "proposer " + (f.proposer() == null ? "unknown" : f.proposer()) + " is not in your list",
                        passed);
            }
            passed.add("proposer " + f.proposer() + " allowed");
        }
        String type = q.aggregate().type();
        if (p.types() != null) {
            if (!p.types().contains(type)) {
                return Verdict.decline(
                        Control.TYPES,
                        "a " + type + " is not among your answer types (" + String.join(", ", p.types()) + ")",
                        passed);
            }
            passed.add(type + " allowed");
        }
        if (p.columns() != null) {
            Set<String> read = columns(q);
            Set<String> allowed = p.columnSet();
            for (String c : read) {
                if (!allowed.contains(c)) {
                    return Verdict.decline(
                            Control.COLUMNS, "the query reads column " + c + ", not in your list", passed);
                }
            }
            passed.add(read.isEmpty() ? "no column read" : "columns " + String.join(", ", read) + " allowed");
        }
        if (p.minThreshold() != null) {
            if (f.threshold() < p.minThreshold()) {
                return Verdict.decline(
                        Control.MIN_THRESHOLD,
                        "threshold " + f.threshold() + " is below your minimum " + p.minThreshold(),
                        passed);
            }
            passed.add("threshold " + f.threshold() + " ≥ your min " + p.minThreshold());
        }
        if (p.maxEpsilon() != null) {
            if (f.dpEpsilon() == null) {
                return Verdict.decline(
                        Control.MAX_EPSILON,
                        "the proposal asks for no differential privacy, and "
                                + "you answer only differentially private queries",
                        passed);
            }
            BigDecimal after = u.epsilonSpent().add(f.dpEpsilon());
            if (after.compareTo(p.maxEpsilon()) > 0) {
                return Verdict.decline(
                        Control.MAX_EPSILON,
                        "ε budget of " + q.dataset() + " spent: "
                                + u.epsilonSpent().toPlainString() + " of "
                                + p.maxEpsilon().toPlainString()
                                + " used, this asks " + f.dpEpsilon().toPlainString(),
                        passed);
            }
            passed.add("ε " + f.dpEpsilon().toPlainString() + " fits ("
                    + u.epsilonSpent().toPlainString() + " of " + p.maxEpsilon().toPlainString() + " used)");
        }
        if (p.maxPerDay() != null) {
            if (u.answeredToday() >= p.maxPerDay()) {
                return Verdict.decline(
                        Control.MAX_PER_DAY,
                        u.answeredToday() + " computations on " + q.dataset() + " today already, your maximum is "
                                + p.maxPerDay(),
                        passed);
            }
            passed.add(u.answeredToday() + " of " + p.maxPerDay() + " computations on " + q.dataset() + " today");
        }
        return Verdict.approve(passed);
    }

    /**
     * Every control: {@link #beforeAnswer}, then min-rows and min-cell on {@code answer}, which the
     * node computed from a source of kind {@code kind}.
     */
    public static Verdict check(DisclosurePolicy p, Query q, ProposalFacts f, Answer answer, SourceKind kind, Usage u) {
        Verdict before = beforeAnswer(p, q, f, u);
        if (!before.approved()) {
            return before;
        }
        List<String> passed = new ArrayList<>(before.passed());
        if (p.minRows() != null) {
            Long rows = contributingRows(q.aggregate(), answer, kind);
            if (rows != null) {
                if (rows > 0 && rows < p.minRows()) {
                    return Verdict.decline(
                            Control.MIN_ROWS,
                            rows + " contributing row" + (rows == 1 ? "" : "s") + ", below your minimum " + p.minRows(),
                            passed);
                }
                passed.add(rows + " contributing row" + (rows == 1 ? "" : "s")
                        + (rows == 0 ? " (none: allowed)" : " ≥ min " + p.minRows()));
            } else {
                passed.add(
                        "min-rows does not apply to a " + q.aggregate().type() + " from a " + kind.label() + " source");
            }
        }
        if (p.minCell() != null) {
            if (q.aggregate() instanceof Aggregate.Histogram) {
                long[] c = answer.cells();
                for (int i = 0; i < c.length; i++) {
                    if (c[i] > 0 && c[i] < p.minCell()) {
                        return Verdict.decline(
                                Control.MIN_CELL,
                                "histogram cell " + (i + 1) + " of " + c.length
                                        + " holds " + c[i] + " row" + (c[i] == 1 ? "" : "s") + ", below your minimum "
                                        + p.minCell(),
                                passed);
                    }
                }
                passed.add("every histogram cell 0 or ≥ " + p.minCell());
            }
        }
        return Verdict.approve(passed);
    }

    /**
     * The rows an answer is made of, which min-rows bounds: a count's value; a sum's matching rows
     * with a value; a mean's count; a histogram's rows over all its cells (missing included). A sum
     * from a command source does not say, and a vector or choice is one participant's, not rows':
     * {@code null}.
     */
    public static Long contributingRows(Aggregate a, Answer answer, SourceKind kind) {
        long[] c = answer.cells();
        if (a instanceof Aggregate.Count) {
            return c[0];
        } else if (a instanceof Aggregate.Sum) {
            return kind.tabular() ? answer.matched() - answer.missing() : null;
        } else if (a instanceof Aggregate.Mean) {
            return c[1];
        } else if (a instanceof Aggregate.Histogram) {
            long n = 0;
            for (long x : c) {
                n += x;
            }
            return n;
        }
        return null;
    }

    /** The columns {@code q} reads: those of its terms, then its aggregate's. */
    public static Set<String> columns(Query q) {
        Set<String> s = new LinkedHashSet<>();
        for (Term t : q.where()) {
            s.add(t.column());
        }
        if (q.aggregate().column() != null) {
            s.add(q.aggregate().column());
        }
        return s;
    }
}
