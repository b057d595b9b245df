package io.formix.query;

import io.formix.data.Budget;
import io.formix.data.Column;
import io.formix.data.ColumnType;
import io.formix.data.CommandSource;
import io.formix.data.DataException;
import io.formix.data.DataSource;
import io.formix.data.DecimalCell;
import io.formix.data.Descriptor;
import io.formix.data.RowReader;
import io.formix.data.SourceKind;
import io.formix.data.TabularSource;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Evaluates a query over one source, deterministically: the same data and query always give the same
 * answer (no clock, no randomness, no locale; exact decimals, rounding half away from zero). Rows of
 * a tabular source are read once, in order, within the query's row and time bounds; a term on a
 * missing value is false; a missing value of the aggregated column is skipped (and counted for the
 * owner); a cell of a numeric column that is not a number fails with its line. A command source gets
 * the query on its standard input and must print the answer ({@link PlainAnswers}); a manual source
 * is answered by its owner.
 */
public final class Evaluator {

    private Evaluator() {}

    /** Fails in one line unless {@code q} can run on {@code source} (dataset, columns, types, answer type). */
    public static void check(Query q, DataSource source) {
        Descriptor d = source.descriptor();
        if (!q.dataset().equals(d.dataset())) {
            throw new QueryException("the query runs on dataset '" + Words.clip(q.dataset()) + "', not " + d.dataset());
        }
        Aggregate a = q.aggregate();
        SourceKind kind = source.kind();
        if (!kind.tabular()) {
            if (!q.where().isEmpty()) {
                throw new QueryException("dataset " + d.dataset() + " is a " + kind.label() + " source: it has no "
                        + "columns to filter — drop 'where'");
            }
            return; // the command or the owner gives the answer; a column only names what it means
        }
        if (a instanceof Aggregate.Vector || a instanceof Aggregate.Choice) {
            throw new QueryException("a " + a.type() + " answer comes from a command or manual source; dataset "
                    + d.dataset() + " is " + kind.label() + " rows");
        }
        for (Term t : q.where()) {
            Column c = column(d, t.column());
            if (c.type() != ColumnType.EMPTY && c.type().numeric() != t.numeric()) {
                throw new QueryException("type mismatch: column '" + c.name() + "' is "
                        + c.type().label() + " but the term compares it with " + (t.numeric() ? "a number" : "text"));
            }
        }
        if (a instanceof Aggregate.Sum || a instanceof Aggregate.Mean) {
            Column c = column(d, a.column());
            if (c.type() == ColumnType.TEXT) {
                throw new QueryException(
                        "type mismatch: a " + a.type() + " needs a numeric column; '" + c.name() + "' is text");
            }
        } else if (a instanceof Aggregate.Histogram h) {
            Column c = column(d, h.column());
            boolean numericBuckets = h.edges() != null || h.categories().get(0) instanceof BigDecimal;
            if (c.type() != ColumnType.EMPTY && c.type().numeric() != numericBuckets) {
                throw new QueryException("type mismatch: column '" + c.name() + "' is "
                        + c.type().label()
                        + " but the histogram's "
                        + (h.edges() != null
                                ? "edges are numbers"
                                : "categories are " + (numericBuckets ? "numbers" : "text")));
            }
        }
    }

    private static Column column(Descriptor d, String name) {
        return d.column(name)
                .orElseThrow(() -> new QueryException("dataset " + d.dataset() + " has no column '"
                        + Words.clip(name) + "' (it has "
                        + String.join(
                                ", ",
                                d.columns().stream().limit(20).map(Column::name).toList())
                        + (d.columns().size() > 20 ? ", …" : "") + ")"));
    }

    /** Checks, then evaluates {@code q} over {@code source}; {@link QueryException} or {@link DataException} on failure. */
    public static Answer evaluate(Query q, DataSource source, LongSupplier nanoClock) {
        check(q, source);
        Budget.Deadline deadline = new Budget(q.maxRows(), q.maxTime(), nanoClock).start();
        return switch (source.kind()) {
            case CSV, SQLITE -> {
                try (RowReader rows = ((TabularSource) source).open(deadline)) {
                    yield scan(q, source.descriptor(), rows);
                }
            }
            case COMMAND -> {
                String out = ((CommandSource) source).run(Canonical.json(q));
                yield new Answer(
                        PlainAnswers.parse(q.aggregate(), q.maxRows(), out, "the command's output"), 0, 0, 0, 0);
            }
            case MANUAL ->
                throw new QueryException("dataset " + source.descriptor().dataset() + " is answered by hand "
                        + "— its owner types the answer");
        };
    }

    /** Evaluates over {@code rows} (whose columns are {@code d}'s). */
    static Answer scan(Query q, Descriptor d, RowReader rows) {
        Pred[] preds = new Pred[q.where().size()];
        for (int i = 0; i < preds.length; i++) {
            Term t = q.where().get(i);
            preds[i] = new Pred(d.index(t.column()), t);
        }
        Sink sink = sink(q.aggregate(), d);
        DecimalCell cell = new DecimalCell();
        long n = 0;
        long matched = 0;
        rows:
        while (rows.next()) {
            n++;
            for (Pred p : preds) {
                if (!p.test(rows, cell)) {
                    continue rows;
                }
            }
            matched++;
            sink.add(rows, cell);
        }
        return new Answer(sink.cells, n, matched, sink.missing, sink.clamped);
    }

    private static DataException notANumber(RowReader rows, int column, String name) {
        String t = rows.text(column);
        return new DataException(rows.where() + ": column '" + name + "' holds '"
                + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "', which is not a number");
    }

    /** A compiled term. */
    private static final class Pred {
        final int column;
        final String name;
        final Op op;
        final DecimalCell.Constant[] numbers;
        final String text;
        final java.util.Set<String> texts;

        Pred(int column, Term t) {
            this.column = column;
            this.name = t.column();
            this.op = t.op();
            if (t.numeric()) {
                numbers = t.values().stream().map(Aggregate::constant).toArray(DecimalCell.Constant[]::new);
                text = null;
                texts = null;
            } else {
                numbers = null;
                text = (String) t.values().get(0);
                texts = new java.util.HashSet<>();
                t.values().forEach(v -> texts.add((String) v));
            }
        }

        boolean test(RowReader rows, DecimalCell cell) {
            if (numbers != null) {
                if (!rows.number(column, cell)) {
                    if (rows.missing(column)) {
                        return false;
                    }
                    throw notANumber(rows, column, name);
                }
                if (op == Op.IN) {
                    for (DecimalCell.Constant c : numbers) {
                        if (cell.compareTo(c) == 0) {
                            return true;
                        }
                    }
                    return false;
                }
                return op.holds(cell.compareTo(numbers[0]));
            }
            if (rows.missing(column)) {
                return false;
            }
            String v = rows.text(column);
            return switch (op) {
                case EQ -> v.equals(text);
                case NE -> !v.equals(text);
                default -> texts.contains(v);
            };
        }
    }

    private static Sink sink(Aggregate a, Descriptor d) {
        if (a instanceof Aggregate.Count) {
            return new Sink(1) {
                @Override
                void add(RowReader rows, DecimalCell cell) {
                    cells[0]++;
                }
            };
        }
        if (a instanceof Aggregate.Sum || a instanceof Aggregate.Mean) {
            Aggregate.Sum s = a instanceof Aggregate.Mean m ? m.sum() : (Aggregate.Sum) a;
            int col = d.index(s.column());
            long lo = s.scaledMin();
            long hi = s.scaledMax();
            int decimals = s.decimals();
            boolean mean = a instanceof Aggregate.Mean;
            return new Sink(mean ? 2 : 1) {
                @Override
                void add(RowReader rows, DecimalCell cell) {
                    if (!rows.number(col, cell)) {
                        if (rows.missing(col)) {
                            missing++;
                            return;
                        }
                        throw notANumber(rows, col, s.column());
                    }
                    long v;
                    try {
                        v = cell.scaled(decimals);
                    } catch (ArithmeticException tooLarge) {
                        v = cell.toBigDecimal().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
                    }
                    if (v < lo) {
                        v = lo;
                        clamped++;
                    } else if (v > hi) {
                        v = hi;
                        clamped++;
                    }
                    cells[0] += v;
                    if (mean) {
                        cells[1]++;
                    }
                }
            };
        }
        Aggregate.Histogram h = (Aggregate.Histogram) a;
        int col = d.index(h.column());
        int k = h.buckets();
        if (h.edges() != null) {
            DecimalCell.Constant[] edges =
                    h.edges().stream().map(Aggregate::constant).toArray(DecimalCell.Constant[]::new);
            return new Sink(k + 2) {
                @Override
                void add(RowReader rows, DecimalCell cell) {
                    if (!rows.number(col, cell)) {
                        if (rows.missing(col)) {
                            missing++;
                            cells[k + 1]++;
                            return;
                        }
                        throw notANumber(rows, col, h.column());
                    }
                    // the number of edges <= x, by binary search
                    int lo = 0;
                    int hi = edges.length;
                    while (lo < hi) {
                        int mid = (lo + hi) >>> 1;
                        if (cell.compareTo(edges[mid]) >= 0) {
                            lo = mid + 1;
                        } else {
                            hi = mid;
                        }
                    }
                    cells[lo == 0 ? k : lo - 1]++;
                }
            };
        }
        if (h.categories().get(0) instanceof BigDecimal) {
            DecimalCell.Constant[] cats =
                    h.categories().stream().map(Aggregate::constant).toArray(DecimalCell.Constant[]::new);
            return new Sink(k + 2) {
                @Override
                void add(RowReader rows, DecimalCell cell) {
                    if (!rows.number(col, cell)) {
                        if (rows.missing(col)) {
                            missing++;
                            cells[k + 1]++;
                            return;
                        }
                        throw notANumber(rows, col, h.column());
                    }
                    for (int i = 0; i < k; i++) {
                        if (cell.compareTo(cats[i]) == 0) {
                            cells[i]++;
                            return;
                        }
                    }
                    cells[k]++;
                }
            };
        }
        Map<String, Integer> index = new HashMap<>();
        List<Object> cs = h.categories();
        for (int i = 0; i < k; i++) {
            index.put((String) cs.get(i), i);
        }
        return new Sink(k + 2) {
            @Override
            void add(RowReader rows, DecimalCell cell) {
                if (rows.missing(col)) {
                    missing++;
                    cells[k + 1]++;
                    return;
                }
                Integer i = index.get(rows.text(col));
                cells[i == null ? k : i]++;
            }
        };
    }

    /** Adds one matching row to the answer's cells. */
    private abstract static class Sink {
        final long[] cells;
        long missing;
        long clamped;

        Sink(int width) {
            cells = new long[width];
        }

        abstract void add(RowReader rows, DecimalCell cell);
    }
}
