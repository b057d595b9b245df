package io.formix.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A SQLite database read through the owner's own {@code SELECT} (or its only table). Three locks
 * keep it a read: the file is opened read-only, the connection sets {@code PRAGMA query_only}, and
 * the statement must be one {@code SELECT}/{@code WITH} whose compiled program (its {@code EXPLAIN})
 * neither opens a table for writing nor starts a write transaction. A query past its time bound is
 * aborted by a progress handler. REAL values are read as SQLite prints them (15 significant digits):
 * keep money as INTEGER cents or as TEXT for exact decimals.
 */
public final class SqliteSource implements TabularSource {

    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> WRITE_OPCODES = Set.of(
            "OpenWrite",
            "Destroy",
            "Clear",
            "CreateBtree",
            "ParseSchema",
            "Vacuum",
            "VUpdate",
            "DropTable",
            "DropIndex",
            "DropTrigger",
            "SetCookie",
            "JournalMode",
            "VCreate",
            "VDestroy");

    private final SourceSpec spec;

    SqliteSource(SourceSpec spec) {
        this.spec = spec;
    }

    /** Opens {@code file} read-only, checks {@code sql} (or picks the only table) and infers the columns' types. */
    public static SourceSpec inspect(
            String name, Path file, String sql, Map<String, ColumnType> declared, Budget budget) {
        Path abs = file.toAbsolutePath().normalize();
        String select = sql == null ? null : checkSql(sql);
        try (Connection c = connect(abs)) {
            if (select == null) {
                select = onlyTable(c, abs);
            }
            SourceSpec spec = new SourceSpec(
                    name, SourceKind.SQLITE, abs.toString(), select, List.of(), null, null, 0, List.of());
            try (SqliteReader r = new SqliteReader(c, abs, select, budget.start(), false)) {
                return spec.withColumns(Inference.infer(r.names, r, declared));
            }
        } catch (SQLException e) {
            throw new DataException("cannot read " + abs + ": " + firstLine(e.getMessage()));
        }
    }

    @Override
    public SourceSpec spec() {
        return spec;
    }

    @Override
    public Descriptor descriptor() {
        return spec.descriptor();
    }

    @Override
    public RowReader open(Budget.Deadline deadline) {
        Path file = Path.of(spec.path());
        Connection c = null;
        try {
            c = connect(file);
            SqliteReader r = new SqliteReader(c, file, spec.sql(), deadline, true);
            List<String> then = spec.columns().stream().map(Column::name).toList();
            if (!r.names.equals(then)) {
                r.close();
                throw new DataException("the columns of dataset " + spec.name() + " changed since it was added (now "
                        + String.join(", ", r.names) + ") — run formix data rm and data add again");
            }
            return r;
        } catch (SQLException e) {
            close(c);
            throw new DataException("cannot read " + file + ": " + firstLine(e.getMessage()));
        } catch (RuntimeException e) {
            close(c);
            throw e;
        }
    }

    /** One {@code SELECT} or {@code WITH} statement (a trailing {@code ;} allowed); anything else fails. */
    static String checkSql(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (s.length() > SourceSpec.MAX_SQL) {
            throw new DataException("--sql is longer than " + SourceSpec.MAX_SQL + " characters");
        }
        String first = s.split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
        if (!first.equals("SELECT") && !first.equals("WITH")) {
            throw new DataException("--sql must be one SELECT (or WITH … SELECT) statement; '" + Inference.clip(first)
                    + "' is not a read");
        }
        if (s.contains(";")) {
            throw new DataException("--sql must be one statement (no ';' inside)");
        }
        return s;
    }

    /** A read-only connection with {@code query_only}; fails in one line for a file that is not SQLite. */
    static Connection connect(Path file) throws SQLException {
        CsvReader.checkFile(file, Long.MAX_VALUE, "SQLite");
        byte[] head = new byte[MAGIC.length];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n < head.length || !Arrays.equals(head, MAGIC)) {
                throw new DataException(file + " is not a SQLite database");
            }
        } catch (IOException e) {
            throw new DataException("cannot read " + file + ": " + e.getMessage());
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        config.setBusyTimeout(5_000);
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA query_only = ON");
        } catch (SQLException e) {
            close(c);
            throw e;
        }
        return c;
    }

    private static String onlyTable(Connection c, Path file) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master "
                        + "WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        if (tables.size() != 1) {
            throw new DataException(file + " has " + tables.size() + " tables and views — say which rows to read "
                    + "with --sql \"SELECT … FROM …\"");
        }
        return "SELECT * FROM \"" + tables.get(0).replace("\"", "\"\"") + "\"";
    }

    /**
     * Fails unless the compiled program of {@code sql} only reads: no write transaction, no cursor
     * opened for writing, no schema change (inserts into temporary sorters of GROUP BY are reads).
     */
    static void checkReadOnly(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN " + sql)) {
            while (rs.next()) {
                String op = rs.getString("opcode");
                if (WRITE_OPCODES.contains(op) || "Transaction".equals(op) && rs.getInt("p2") != 0) {
                    throw new DataException("--sql would write to the database (" + op + ") — only reads are allowed");
                }
            }
        }
    }

    static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a read-only connection loses nothing
            }
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The rows of one {@code SELECT}, each cell read as SQLite's text of it. */
    static final class SqliteReader implements RowReader {
        final List<String> names = new ArrayList<>();
        private final Connection connection;
        private final boolean ownsConnection;
        private final Path file;
        private final Budget.Deadline deadline;
        private final PreparedStatement statement;
        private final ResultSet rows;
        private final String[] cells;
        private long row;

        SqliteReader(Connection c, Path file, String sql, Budget.Deadline deadline, boolean ownsConnection)
                throws SQLException {
            this.connection = c;
            this.ownsConnection = ownsConnection;
            this.file = file;
            this.deadline = deadline;
            try {
                checkReadOnly(c, sql);
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
            String m = firstLine(e.getMessage());
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
}
