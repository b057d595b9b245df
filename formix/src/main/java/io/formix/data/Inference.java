package io.formix.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Infers column types by reading every row: a column whose values are all whole numbers is
 * {@code integer}, all numbers {@code decimal}, anything else {@code text}; a column without any
 * value is {@code empty} unless declared. A declared type is checked against every value.
 */
final class Inference {

    private Inference() {}

    static List<Column> infer(List<String> names, RowReader rows, Map<String, ColumnType> declared) {
        for (String d : declared.keySet()) {
            if (!names.contains(d)) {
                throw new DataException("--type names column '" + d + "', which the source does not have (it has "
                        + String.join(", ", names.size() > 20 ? names.subList(0, 20) : names) + ")");
            }
        }
        int n = names.size();
        ColumnType[] seen = new ColumnType[n];
        DecimalCell cell = new DecimalCell();
        while (rows.next()) {
            for (int i = 0; i < n; i++) {
                if (rows.missing(i)) {
                    continue;
                }
                ColumnType t = !rows.number(i, cell)
                        ? ColumnType.TEXT
                        : cell.isInteger() ? ColumnType.INTEGER : ColumnType.DECIMAL;
                ColumnType want = declared.get(names.get(i));
                if (want != null && want.widen(t) != want) {
                    throw new DataException(rows.where() + ": column '" + names.get(i) + "' is declared " + want.label()
                            + " but holds '" + clip(rows.text(i)) + "'");
                }
                seen[i] = seen[i] == null ? t : seen[i].widen(t);
            }
        }
        List<Column> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ColumnType want = declared.get(names.get(i));
            out.add(new Column(names.get(i), want != null ? want : seen[i] == null ? ColumnType.EMPTY : seen[i]));
        }
        return out;
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
