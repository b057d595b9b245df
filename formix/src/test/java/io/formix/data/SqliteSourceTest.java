package io.formix.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class SqliteSourceTest {

    static final Budget BUDGET = Budget.of(1_000_000, Duration.ofSeconds(30));
    static final String VIEW = "SELECT p.age AS age, COUNT(v.pid) AS n_visits FROM patients p "
            + "LEFT JOIN visits v ON v.pid = p.id GROUP BY p.id ORDER BY p.id";

    @TempDir
    Path dir;

    Path db;

    @BeforeEach
    void clinic() throws Exception {
        db = dir.resolve("clinic.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE patients(id INTEGER PRIMARY KEY, age INTEGER, fee TEXT)");
            s.executeUpdate("CREATE TABLE visits(pid INTEGER, day TEXT)");
            s.executeUpdate("INSERT INTO patients VALUES (1, 70, '12.50'), (2, 40, NULL), (3, 80, '7')");
            s.executeUpdate("INSERT INTO visits VALUES (1,'a'),(1,'b'),(1,'c'),(2,'d')");
        }
    }

    @Test
    void theOwnersViewIsReadWithItsColumnsAndTheFileIsUnchanged() throws Exception {
        byte[] before = Files.readAllBytes(db);
        SourceSpec s = SqliteSource.inspect("visits", db, VIEW, Map.of(), BUDGET);
        assertEquals(
                List.of(new Column("age", ColumnType.INTEGER), new Column("n_visits", ColumnType.INTEGER)),
                s.columns());
        long[] visits = new long[3];
        DecimalCell c = new DecimalCell();
        try (RowReader r = new SqliteSource(s).open(BUDGET.start())) {
            for (int i = 0; i < 3; i++) {
                assertTrue(r.next());
                assertTrue(r.number(1, c));
                visits[i] = c.scaled(0);
            }
            assertFalse(r.next());
        }
        assertArrayEquals(new long[] {3, 1, 0}, visits);
        assertArrayEquals(before, Files.readAllBytes(db), "the database file is byte-identical afterwards");
    }

    @Test
    void withoutSqlTheOnlyTableIsReadAndNullIsMissing() throws Exception {
        Path one = dir.resolve("one.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + one);
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE t(x INTEGER, fee TEXT)");
            s.executeUpdate("INSERT INTO t VALUES (1, '2.50'), (NULL, 'abc')");
        }
        SourceSpec s = SqliteSource.inspect("t", one, null, Map.of(), BUDGET);
        assertEquals(List.of(new Column("x", ColumnType.INTEGER), new Column("fee", ColumnType.TEXT)), s.columns());
        try (RowReader r = new SqliteSource(s).open(BUDGET.start())) {
            r.next();
            r.next();
            assertTrue(r.missing(0));
        }
        DataException many =
                assertThrows(DataException.class, () -> SqliteSource.inspect("p", db, null, Map.of(), BUDGET));
        assertTrue(many.getMessage().contains("has 2 tables and views"), many.getMessage());
    }

    @Test
    void anythingButAReadIsRefused() throws Exception {
        byte[] before = Files.readAllBytes(db);
        for (String sql : new String[] {
            "DELETE FROM patients",
            "UPDATE patients SET age = 1",
            "DROP TABLE visits",
            "SELECT 1; DELETE FROM patients",
            "ATTACH 'x.db' AS x",
            "PRAGMA query_only=0"
        }) {
            DataException e =
                    assertThrows(DataException.class, () -> SqliteSource.inspect("x", db, sql, Map.of(), BUDGET), sql);
            assertTrue(e.getMessage().startsWith("--sql must be one"), e.getMessage());
        }
        DataException cte = assertThrows(
                DataException.class,
                () -> SqliteSource.inspect("x", db, "WITH d AS (SELECT 1) DELETE FROM patients", Map.of(), BUDGET));
        assertTrue(cte.getMessage().contains("only reads are allowed"), cte.getMessage());
        assertArrayEquals(before, Files.readAllBytes(db));
        assertEquals(
                3,
                SqliteSource.inspect("p", db, "SELECT * FROM patients;", Map.of(), BUDGET)
                        .columns()
                        .size(),
                "a trailing ; is fine");
    }

    @Test
    void aFileThatIsNotSqliteIsRefused() throws Exception {
        Path fake = dir.resolve("fake.db");
        Files.writeString(fake, "id,age\n1,2\n");
        DataException e =
                assertThrows(DataException.class, () -> SqliteSource.inspect("f", fake, null, Map.of(), BUDGET));
        assertEquals(fake.toAbsolutePath() + " is not a SQLite database", e.getMessage());
        assertTrue(assertThrows(
                        DataException.class,
                        () -> SqliteSource.inspect("f", dir.resolve("none.db"), null, Map.of(), BUDGET))
                .getMessage()
                .startsWith("no file"));
    }

    @Test
    void aQueryPastItsTimeBoundIsAborted() {
        long[] now = {0};
        Budget b = new Budget(1_000_000, Duration.ofSeconds(1), () -> now[0]);
        SourceSpec s = SqliteSource.inspect("p", db, VIEW, Map.of(), BUDGET);
        try (RowReader r = new SqliteSource(s).open(b.start())) {
            assertTrue(r.next());
            now[0] = Duration.ofSeconds(2).toNanos();
            DataException e = assertThrows(DataException.class, r::next);
            assertTrue(e.getMessage().startsWith("reading took longer than 1 s"), e.getMessage());
        }
    }
}
