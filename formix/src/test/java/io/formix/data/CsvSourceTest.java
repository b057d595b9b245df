package io.formix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class CsvSourceTest {

    static final Budget BUDGET = Budget.of(1_000_000, Duration.ofSeconds(30));

    @TempDir
    Path dir;

    Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void infersIntegerDecimalAndTextAndTreatsBlanksAsMissing() throws Exception {
        Path f = write("p.csv", "id,age,bmi,sex,note\n1,70,22.50,F,\n2,,31.25,M,\"a, b\"\n3,65,  ,F,x\n");
        SourceSpec s = CsvSource.inspect("patients", f, 1 << 20, Map.of(), BUDGET);
        assertEquals(
                List.of(
                        new Column("id", ColumnType.INTEGER),
                        new Column("age", ColumnType.INTEGER),
                        new Column("bmi", ColumnType.DECIMAL),
                        new Column("sex", ColumnType.TEXT),
                        new Column("note", ColumnType.TEXT)),
                s.columns());
        try (RowReader r = new CsvSource(s).open(BUDGET.start())) {
            assertTrue(r.next());
            assertTrue(r.missing(4));
            assertTrue(r.next());
            assertTrue(r.missing(1), "an empty cell is missing");
            assertEquals("a, b", r.text(4), "a quoted comma stays in its field");
            DecimalCell c = new DecimalCell();
            assertTrue(r.number(2, c));
            assertEquals("31.25", c.toString());
            assertTrue(r.next());
            assertTrue(r.missing(2), "spaces only are missing");
            assertFalse(r.next());
        }
    }

    @Test
    void declaredTypesWinAndAreChecked() throws Exception {
        Path header = write("h.csv", "age,sex\n");
        SourceSpec s = CsvSource.inspect("p", header, 1 << 20, Map.of("age", ColumnType.INTEGER), BUDGET);
        assertEquals(ColumnType.INTEGER, s.columns().get(0).type());
        assertEquals(ColumnType.EMPTY, s.columns().get(1).type(), "a column without values is empty unless declared");
        Path f = write("d.csv", "age\n1\n2.5\n");
        DataException e = assertThrows(
                DataException.class,
                () -> CsvSource.inspect("p", f, 1 << 20, Map.of("age", ColumnType.INTEGER), BUDGET));
        assertEquals("d.csv line 3: column 'age' is declared integer but holds '2.5'", e.getMessage());
        assertThrows(
                DataException.class, () -> CsvSource.inspect("p", f, 1 << 20, Map.of("nope", ColumnType.TEXT), BUDGET));
    }

    @Test
    void quotedFieldsMayHoldQuotesAndNewlinesAndCrlfIsOneLineEnd() throws Exception {
        Path f = write("q.csv", "a,b\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n3,4\r\n");
        SourceSpec s = CsvSource.inspect("q", f, 1 << 20, Map.of(), BUDGET);
        try (RowReader r = new CsvSource(s).open(BUDGET.start())) {
            assertTrue(r.next());
            assertEquals("say \"hi\"", r.text(0));
            assertEquals("two\nlines", r.text(1));
            assertTrue(r.next());
            assertEquals("4", r.text(1), "no \\r left at the end of a CRLF line");
            assertEquals("q.csv line 4", r.where(), "line numbers count the newline inside quotes");
        }
    }

    @Test
    void aRaggedRowFailsWithItsLineNumber() throws Exception {
        Path f = write("r.csv", "a,b,c\n1,2,3\n4,5\n");
        DataException e = assertThrows(DataException.class, () -> CsvSource.inspect("r", f, 1 << 20, Map.of(), BUDGET));
        assertTrue(
                e.getMessage()
                        .endsWith("r.csv line 3: 2 fields where the header has 3 — every row needs the same "
                                + "number of fields"),
                e.getMessage());
        Path g = write("s.csv", "a,b\n1,2,3\n");
        DataException e2 =
                assertThrows(DataException.class, () -> CsvSource.inspect("s", g, 1 << 20, Map.of(), BUDGET));
        assertTrue(e2.getMessage().contains("s.csv line 2: more than 2 fields"), e2.getMessage());
    }

    @Test
    void aFileThatIsNotTextOrTooLargeOrALinkIsRefused() throws Exception {
        Path nul = dir.resolve("bin.csv");
        Files.write(nul, new byte[] {'a', ',', 'b', '\n', 1, 0, 2, '\n'});
        assertTrue(assertThrows(DataException.class, () -> CsvSource.inspect("b", nul, 1 << 20, Map.of(), BUDGET))
                .getMessage()
                .contains("not a text (CSV) file"));
        Path latin = dir.resolve("latin.csv");
        Files.write(latin, new byte[] {'a', '\n', (byte) 0xe9, '\n'});
        assertTrue(assertThrows(DataException.class, () -> CsvSource.inspect("l", latin, 1 << 20, Map.of(), BUDGET))
                .getMessage()
                .contains("not UTF-8"));
        Path big = dir.resolve("big.csv");
        try (RandomAccessFile raf = new RandomAccessFile(big.toFile(), "rw")) {
            raf.setLength(10L << 30); // a sparse 10 GB file: refused by its size before anything is read
        }
        DataException e =
                assertThrows(DataException.class, () -> CsvSource.inspect("g", big, 1L << 30, Map.of(), BUDGET));
        assertTrue(
                e.getMessage()
                        .endsWith("big.csv is 10.0 GiB, above the limit of 1.0 GiB for a CSV source (raise it "
                                + "with --max-size)"),
                e.getMessage());
        Path link = dir.resolve("link.csv");
        Files.createSymbolicLink(link, write("t.csv", "a\n1\n"));
        assertTrue(assertThrows(DataException.class, () -> CsvSource.inspect("k", link, 1 << 20, Map.of(), BUDGET))
                .getMessage()
                .contains("is a symbolic link"));
        Path oneLine = dir.resolve("long.csv");
        Files.writeString(oneLine, "a\n" + "x".repeat(CsvSource.MAX_RECORD_CHARS + 10));
        assertTrue(assertThrows(DataException.class, () -> CsvSource.inspect("o", oneLine, 1L << 30, Map.of(), BUDGET))
                .getMessage()
                .contains("a record longer than"));
    }

    @Test
    void aChangedHeaderAndTheRowBoundFailAtQueryTime() throws Exception {
        Path f = write("c.csv", "a,b\n1,2\n3,4\n5,6\n");
        SourceSpec s = CsvSource.inspect("c", f, 1 << 20, Map.of(), BUDGET);
        try (RowReader r =
                new CsvSource(s).open(Budget.of(2, Duration.ofSeconds(5)).start())) {
            assertTrue(r.next());
            assertTrue(r.next());
            DataException e = assertThrows(DataException.class, r::next);
            assertEquals("more than 2 rows (the query's maxRows)", e.getMessage());
        }
        Files.writeString(f, "a,c\n1,2\n");
        assertTrue(assertThrows(DataException.class, () -> new CsvSource(s).open(BUDGET.start()))
                .getMessage()
                .contains("changed since the dataset c was added"));
    }

    @Test
    void recordsAcrossBufferRefillsAreReadWhole() throws Exception {
        StringBuilder b = new StringBuilder("n,t\n");
        for (int i = 0; i < 20_000; i++) {
            b.append(i).append(",\"v").append(i).append("\"\n");
        }
        Path f = write("many.csv", b.toString());
        SourceSpec s = CsvSource.inspect("m", f, 1 << 24, Map.of(), BUDGET);
        long sum = 0;
        int rows = 0;
        DecimalCell c = new DecimalCell();
        try (RowReader r = new CsvSource(s).open(BUDGET.start())) {
            while (r.next()) {
                assertTrue(r.number(0, c));
                assertEquals("v" + c, r.text(1));
                sum += c.scaled(0);
                rows++;
            }
        }
        assertEquals(20_000, rows);
        assertEquals(19_999L * 20_000 / 2, sum);
    }
}
