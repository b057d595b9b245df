package io.formix.query;

import io.formix.data.DecimalCell;
import io.formix.data.Descriptor;
import io.formix.data.RowReader;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds the rows that match a query into the cells of its answer, one kind of sink per aggregate:
 * a count; a sum (or a mean's sum and count) of values scaled to the aggregate's decimals and
 * clamped to its bounds, each clamp counted; a histogram over edges (binary search) or declared
 * categories, with one more cell for values outside the buckets and one for missing values. A
 * missing value of the aggregated column is counted in {@link #missing}; a cell that is not a number
 * fails with its line. Not thread-safe: one sink serves one scan.
 */
abstract class AnswerSink {
    /** The answer's cells, in the order {@link Answer} gives them. */
    final long[] cells;
    /** Matching rows whose aggregated value was missing. */
    long missing;
    /** Values that were clamped to the aggregate's bounds. */
    long clamped;

    AnswerSink(int width) {
        cells = new long[width];
    }

    /** Adds the current row of {@code rows} (which matched), using {@code cell} as scratch. */
    abstract void add(RowReader rows, DecimalCell cell);

    /** The sink that computes {@code a} over rows whose columns are {@code d}'s (checked already). */
    static AnswerSink of(Aggregate a, Descriptor d) {
        if (a instanceof Aggregate.Count) {
            return new AnswerSink(1) {
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
            return new AnswerSink(mean ? 2 : 1) {
                @Override
                void add(RowReader rows, DecimalCell cell) {
                    if (!rows.number(col, cell)) {
                        if (rows.missing(col)) {
                            missing++;
                            return;
                        }
                        throw Evaluator.notANumber(rows, col, s.column());
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
            return new AnswerSink(k + 2) {
                @Override
                void add(RowReader rows, DecimalCell cell) {
                    if (!rows.number(col, cell)) {
                        if (rows.missing(col)) {
                            missing++;
                            cells[k + 1]++;
                            return;
                        }
                        throw Evaluator.notANumber(rows, col, h.column());
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
            return new AnswerSink(k + 2) {
                @Override
                void add(RowReader rows, DecimalCell cell) {
                    if (!rows.number(col, cell)) {
                        if (rows.missing(col)) {
                            missing++;
                            cells[k + 1]++;
                            return;
                        }
                        throw Evaluator.notANumber(rows, col, h.column());
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
        return new AnswerSink(k + 2) {
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
}
