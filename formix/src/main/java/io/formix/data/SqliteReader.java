package io.formix.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.ProgressHandler;

/**
 * The rows of one read-only {@code SELECT} over a {@link SqliteSource}, each cell read as SQLite's
 * text of it (NULL and blank are missing). The statement must pass
 * {@link SqliteSource#checkReadOnly}; its column labels must be distinct. A query past its deadline
 * is aborted and fails as the deadline's error; a write attempt fails as "only reads are allowed";
 * other errors fail in one line naming the file. Not thread-safe.
 */
final class SqliteReader implements RowReader {
    /** The column labels of the statement, in order. */
    final List<String> names = new ArrayList<>();

    private final Connection connection;
    private final boolean ownsConnection;
    private final Path file;
    private final Budget.Deadline deadline;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final String[] cells;
    private long row;

    /**
     * Checks that {@code sql} only reads, bounds it by {@code deadline} (a progress handler aborts
     * it once expired) and runs it on {@code c}; the connection is closed with the reader only if
     * {@code ownsConnection}.
     */
    SqliteReader(Connection c, Path file, String sql, Budget.Deadline deadline, boolean ownsConnection)
            throws SQLException {
        this.connection = c;
        this.ownsConnection = ownsConnection;
        this.file = file;
        this.deadline = deadline;
        try {
            SqliteSource.checkReadOnly(c, sql);
            ProgressHandler.setHandler(c, 10_000, new ProgressHandler() {
                @Override
                protected int progress() {
                    return deadline.expired() ? 1 : 0;
                }
            });
            this.statement = c.prepareStatement(sql);
            this.rows = statement.executeQuery();
            ResultSetMetaData md = rows.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String n = md.getColumnLabel(i);
                if (names.contains(n)) {
                    throw new DataException("--sql returns column '" + n + "' twice — name them apart with AS");
                }
                names.add(n);
            }
            this.cells = new String[names.size()];
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private RuntimeException translate(SQLException e) {
        if (deadline.expired()) {
            deadline.check(row);
        }
        String m = SqliteSource.firstLine(e.getMessage());
        if (m.contains("readonly") || m.contains("read-only") || m.contains("query_only")) {
            return new DataException("--sql would write to the database — only reads are allowed");
        }
        return new DataException("cannot read " + file + ": " + m);
    }

    @Override
    public boolean next() {
        try {
            if (!rows.next()) {
                return false;
            }
            row++;
            deadline.check(row);
            for (int i = 0; i < cells.length; i++) {
                cells[i] = rows.getString(i + 1);
            }
            return true;
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean missing(int column) {
        return cells[column] == null || cells[column].isBlank();
    }

    @Override
    public String text(int column) {
        return cells[column] == null ? "" : cells[column];
    }

    @Override
    public boolean number(int column, DecimalCell out) {
        return cells[column] != null && out.parse(cells[column]);
    }

    @Override
    public String where() {
        return file.getFileName() + " row " + row;
    }

    @Override
    public void close() {
        try {
            ProgressHandler.clearHandler(connection);
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            rows.close();
            statement.close();
        } catch (SQLException ignored) {
            // read-only: nothing to lose
        }
        if (ownsConnection) {
            SqliteSource.close(connection);
        }
    }
}
