package io.formix.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain text table with a header row, columns padded to their widest cell (like {@code docker ps}). */
public final class Table {

    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
        rows.add(header);
    }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] == null ? "" : cells[i].toString();
        }
        rows.add(r);
        return this;
    }

    private boolean isEmpty() {
        return rows.size() == 1;
    }

    public void print(PrintWriter out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], visible(r[i]));
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                b.append(r[i]);
                if (i < cols - 1) {
                    b.append(" ".repeat(width[i] - visible(r[i]) + 2));
                }
            }
            out.println(b.toString().stripTrailing());
        }
        out.flush();
    }

    /** Prints the table, or {@code whenEmpty} when it has no rows but the header. */
    public void print(PrintWriter out, String whenEmpty) {
        if (isEmpty()) {
            out.println(whenEmpty);
            out.flush();
        } else {
            print(out);
        }
    }

    /** Length without ANSI colour codes. */
    private static int visible(String s) {
        return s.replaceAll("\u001B\\[[0-9;]*m", "").length();
    }
}
