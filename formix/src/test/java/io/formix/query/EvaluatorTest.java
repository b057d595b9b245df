package io.formix.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.data.Budget;
import io.formix.data.CommandSource;
import io.formix.data.CsvSource;
import io.formix.data.DataException;
import io.formix.data.DataSource;
import io.formix.data.DataSources;
import io.formix.data.ManualSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each aggregate over small CSV files whose answers are worked out by hand (the scenarios). */
@Timeout(30)
class EvaluatorTest {

    static final Budget INSPECT = Budget.of(1_000_000, Duration.ofSeconds(30));

    @TempDir
    Path dir;

    DataSource csv(String name, String text) throws Exception {
        Path f = dir.resolve(name + "-" + System.nanoTime() + ".csv");
        Files.writeString(f, text);
        return DataSources.open(CsvSource.inspect(name, f, 1 << 24, Map.of(), INSPECT));
    }

    static Answer eval(String query, DataSource s) {
        return Evaluator.evaluate(QueryParser.parse(query), s, System::nanoTime);
    }

    /** The total of several nodes' answers, added in Z/2^64 as heavy nodes would. */
    static long[] total(Answer... answers) {
        long[] t = new long[answers[0].cells().length];
        for (Answer a : answers) {
            for (int i = 0; i < t.length; i++) {
                t[i] += a.cells()[i];
            }
        }
        return t;
    }

    static String value(String query, long[] total, long participants) {
        return Decoder.decode(QueryParser.parse(query).aggregate(), total, participants)
                .toString();
    }

    @Test
    void countWithAFilterOverFourNodes() throws Exception {
        String q = "{\"dataset\":\"p\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
                + "\"aggregate\":{\"type\":\"count\"}}";
        Answer a1 = eval(q, csv("p", "age\n70\n64\n65\n30\n"));
        Answer a2 = eval(q, csv("p", "age\n66\n81\n"));
        Answer a3 = eval(q, csv("p", "age\n"));
        Answer a4 = eval(q, csv("p", "age\n65\n65\n10\n"));
        assertArrayEquals(new long[] {2}, a1.cells());
        assertEquals(4, a1.rows());
        assertEquals("6", value(q, total(a1, a2, a4), 4));
        assertArrayEquals(
                new long[] {0}, a3.cells(), "a header-only file counts 0 (its column is empty: no term matches)");
    }

    @Test
    void aClampedSumWithBlanks() throws Exception {
        String q = "{\"dataset\":\"v\",\"aggregate\":{\"type\":\"sum\",\"column\":\"visits\",\"min\":0,\"max\":10}}";
        Answer a1 = eval(q, csv("v", "visits\n3\n12\n-1\n"));
        Answer a2 = eval(q, csv("v", "id,visits\n1,10\n2,0\n3,\n"));
        Answer a3 = eval(q, csv("v", "visits\n7\n"));
        assertArrayEquals(new long[] {13}, a1.cells());
        assertEquals(2, a1.clamped());
        assertEquals(1, a2.missing(), "the blank is skipped, and counted for the owner");
        assertEquals("30", value(q, total(a1, a2, a3), 3));
    }

    @Test
    void anExactMeanInCents() throws Exception {
        String q = "{\"dataset\":\"m\",\"aggregate\":{\"type\":\"mean\",\"column\":\"x\",\"min\":10,\"max\":60,"
                + "\"decimals\":2}}";
        Answer a1 = eval(q, csv("m", "x\n22.50\n31.25\n"));
        Answer a2 = eval(q, csv("m", "x\n18.75\n75.00\n"));
        Answer a3 = eval(q, csv("m", "x\n40.00\n27.50\n"));
        long[] t = total(a1, a2, a3);
        assertArrayEquals(new long[] {20000, 6}, t, "200.00 in cents, over 6 values");
        assertEquals("{\"sum\":200.00,\"count\":6,\"mean\":33.33}", value(q, t, 3));
        JsonNode sum = QueryParser.JSON.readTree(value(q, t, 3)).get("sum");
        assertEquals("200.00", sum.decimalValue().toPlainString(), "200.00 comes back as 200.00");
    }

    @Test
    void aHistogramWithMissingValuesAndOneBelowTheFirstEdge() throws Exception {
        String q =
                "{\"dataset\":\"h\",\"aggregate\":{\"type\":\"histogram\",\"column\":\"age\",\"edges\":[0,18,40,65]}}";
        Answer a1 = eval(q, csv("h", "age\n5\n17\n18\n39\n40\n64\n65\n"));
        Answer a2 = eval(q, csv("h", "age\n90\n\n30\n"));
        Answer a3 = eval(q, csv("h", "age\n0\n120\n-3\n"));
        long[] t = total(a1, a2, a3);
        assertArrayEquals(new long[] {3, 3, 2, 3, 1, 1}, t);
        assertEquals("{\"edges\":[0,18,40,65],\"counts\":[3,3,2,3],\"below\":1,\"missing\":1}", value(q, t, 3));
        assertEquals(13, a1.rows() + a2.rows() + a3.rows(), "the cells add up to the rows");
    }

    @Test
    void aHistogramByCategoriesWithAWhereOnText() throws Exception {
        String q = "{\"dataset\":\"c\",\"where\":[{\"column\":\"sex\",\"op\":\"!=\",\"value\":\"X\"}],"
                + "\"aggregate\":{\"type\":\"histogram\",\"column\":\"city\",\"categories\":[\"Bern\",\"Genf\"]}}";
        Answer a = eval(q, csv("c", "sex,city\nF,Bern\nM,Genf\nF,Basel\nX,Bern\nF,\n,Bern\n"));
        assertArrayEquals(new long[] {1, 1, 1, 1}, a.cells(), "the missing sex never matches, X is filtered");
        assertEquals(
                "{\"categories\":[\"Bern\",\"Genf\"],\"counts\":[1,1],\"other\":1,\"missing\":1}",
                value(q, a.cells(), 1));
    }

    @Test
    void aSixtyFourBitSumAboveTwoToTheThirtyTwo() throws Exception {
        String q = "{\"dataset\":\"b\",\"aggregate\":{\"type\":\"sum\",\"column\":\"balance_cents\",\"min\":0,"
                + "\"max\":10000000000}}";
        DataSource s = csv("b", "balance_cents\n4000000000\n4000000000\n");
        long[] t = total(eval(q, s), eval(q, s), eval(q, s));
        assertEquals("24000000000", value(q, t, 3));
        assertTrue(24_000_000_000L > (1L << 32));
    }

    @Test
    void aSumOverTheOwnersSqliteViewWithAFilter() throws Exception {
        String view =
                "SELECT p.age AS age, COUNT(v.pid) AS n_visits FROM patients p LEFT JOIN visits v ON v.pid = p.id "
                        + "GROUP BY p.id";
        String q = "{\"dataset\":\"visits\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
                + "\"aggregate\":{\"type\":\"sum\",\"column\":\"n_visits\",\"min\":0,\"max\":50}}";
        Answer a1 = eval(q, sqlite(view, "(1,70),(2,40),(3,80)", "(1),(1),(1),(2)"));
        Answer a2 = eval(q, sqlite(view, "(1,66)", "(1),(1)"));
        Answer a3 = eval(q, sqlite(view, "(1,20)", "(1),(1),(1),(1),(1)"));
        assertArrayEquals(new long[] {3}, a1.cells());
        assertEquals("5", value(q, total(a1, a2, a3), 3));
    }

    DataSource sqlite(String view, String patients, String visits) throws Exception {
        Path db = dir.resolve("clinic-" + System.nanoTime() + ".db");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE patients(id INTEGER PRIMARY KEY, age INTEGER)");
            s.executeUpdate("CREATE TABLE visits(pid INTEGER)");
            s.executeUpdate("INSERT INTO patients VALUES " + patients);
            s.executeUpdate("INSERT INTO visits VALUES " + visits);
        }
        return DataSources.open(io.formix.data.SqliteSource.inspect("visits", db, view, Map.of(), INSPECT));
    }

    @Test
    void inAndOrderingTermsAreAndedAndDecimalsCompareExactly() throws Exception {
        String q = "{\"dataset\":\"d\",\"where\":[{\"column\":\"x\",\"op\":\"in\",\"value\":[1.5,2,3]},"
                + "{\"column\":\"y\",\"op\":\"<\",\"value\":0.30}],\"aggregate\":{\"type\":\"count\"}}";
        Answer a = eval(q, csv("d", "x,y\n1.50,0.1\n2.0,0.3\n3,0.29999\n4,0\n"));
        assertArrayEquals(new long[] {2}, a.cells(), "1.50 = 1.5; 0.3 is not < 0.30; 0.29999 is");
    }

    @Test
    void typeMismatchesUnknownColumnsAndBadCellsAreOneLine() throws Exception {
        DataSource s = csv("t", "age,sex\n70,F\nabc,M\n");
        // age holds "abc": inferred as text, so a numeric term is a type mismatch
        QueryException mismatch = assertThrows(
                QueryException.class,
                () -> eval(
                        "{\"dataset\":\"t\",\"where\":[{\"column\":"
                                + "\"age\",\"op\":\">\",\"value\":1}],\"aggregate\":{\"type\":\"count\"}}",
                        s));
        assertEquals(
                "type mismatch: column 'age' is text but the term compares it with a number", mismatch.getMessage());
        assertEquals(
                "dataset t has no column 'weight' (it has age, sex)",
                assertThrows(
                                QueryException.class,
                                () -> eval(
                                        "{\"dataset\":\"t\",\"aggregate\":{\"type\":\"sum\",\"column\":\"weight\",\"min\":0,"
                                                + "\"max\":1}}",
                                        s))
                        .getMessage());
        assertTrue(assertThrows(
                        QueryException.class,
                        () -> eval(
                                "{\"dataset\":\"t\",\"aggregate\":{\"type\":\"sum\","
                                        + "\"column\":\"sex\",\"min\":0,\"max\":1}}",
                                s))
                .getMessage()
                .startsWith("type mismatch: a sum needs a " + "numeric column"));
        assertTrue(assertThrows(
                        QueryException.class,
                        () -> eval("{\"dataset\":\"other\",\"aggregate\":{\"type\":" + "\"count\"}}", s))
                .getMessage()
                .startsWith("the query runs on dataset 'other'"));
        assertTrue(assertThrows(
                        QueryException.class,
                        () -> eval(
                                "{\"dataset\":\"t\",\"aggregate\":{\"type\":"
                                        + "\"vector\",\"length\":2,\"clip\":1,\"fractionalBits\":4}}",
                                s))
                .getMessage()
                .startsWith("a vector answer comes from a command or manual source"));
        // the file changes after it was added: a number column now holds text
        Path f = dir.resolve("n.csv");
        Files.writeString(f, "x\n1\n2\n");
        DataSource n = DataSources.open(CsvSource.inspect("n", f, 1 << 20, Map.of(), INSPECT));
        Files.writeString(f, "x\n1\noops\n");
        DataException bad = assertThrows(
                DataException.class,
                () -> eval(
                        "{\"dataset\":\"n\",\"aggregate\":{\"type\":"
                                + "\"sum\",\"column\":\"x\",\"min\":0,\"max\":9}}",
                        n));
        assertEquals("n.csv line 3: column 'x' holds 'oops', which is not a number", bad.getMessage());
    }

    @Test
    void rowAndTimeBoundsAreEnforced() throws Exception {
        DataSource s = csv("r", "x\n1\n2\n3\n");
        DataException rows = assertThrows(
                DataException.class,
                () -> eval("{\"dataset\":\"r\",\"aggregate\":{\"type\":" + "\"count\"},\"maxRows\":2}", s));
        assertEquals("more than 2 rows (the query's maxRows)", rows.getMessage());
        StringBuilder b = new StringBuilder("x\n");
        for (int i = 0; i < 5000; i++) {
            b.append(i).append('\n');
        }
        DataSource big = csv("r", b.toString());
        long[] now = {0};
        // a clock that jumps a second per reading: the time bound is hit without waiting
        DataException time = assertThrows(
                DataException.class,
                () -> Evaluator.evaluate(
                        QueryParser.parse("{\"dataset\":\"r\",\"aggregate\":{\"type\":\"count\"},\"maxSeconds\":1}"),
                        big,
                        () -> now[0] += 1_000_000_000L));
        assertEquals("reading took longer than 1 s (the query's time bound)", time.getMessage());
    }

    @Test
    void aVectorFromACommandDecodesExactly() {
        String q = "{\"dataset\":\"model\",\"aggregate\":{\"type\":\"vector\",\"length\":4,\"clip\":1.0,"
                + "\"fractionalBits\":16}}";
        Answer a1 = eval(q, command("echo", "[0.5, -0.25, 1.5, 0]"));
        Answer a2 = eval(q, command("echo", "[0.125, 0.25, -2.0, 0.0001]"));
        Answer a3 = eval(q, command("echo", "[-0.5, 0, 0.25, 1.0]"));
        assertArrayEquals(new long[] {32768, -16384, 65536, 0}, a1.cells(), "1.5 is clamped to 1.0");
        long[] t = total(a1, a2, a3);
        assertArrayEquals(new long[] {8192, 0, 16384, 65543}, t);
        assertEquals(
                "{\"sum\":[0.125,0,0.25,1.0001068115234375],\"mean\":[0.0416666666666667,0,0.0833333333333333,"
                        + "0.3333689371744792]}",
                value(q, t, 3));
    }

    @Test
    void aCommandMustPrintTheAnswerInTheQuerysType() {
        String count = "{\"dataset\":\"model\",\"aggregate\":{\"type\":\"count\"},\"maxRows\":100}";
        assertArrayEquals(new long[] {7}, eval(count, command("echo", "7")).cells());
        assertTrue(assertThrows(QueryException.class, () -> eval(count, command("echo", "seven")))
                .getMessage()
                .startsWith("the command's output is not a whole number (a count)"));
        assertTrue(assertThrows(QueryException.class, () -> eval(count, command("echo", "101")))
                .getMessage()
                .contains("a whole number 0..100 was expected"));
        String vec = "{\"dataset\":\"model\",\"aggregate\":{\"type\":\"vector\",\"length\":3,\"clip\":1,"
                + "\"fractionalBits\":8}}";
        assertEquals(
                "the command's output has 2 numbers, not 3",
                assertThrows(QueryException.class, () -> eval(vec, command("echo", "[1, 2]")))
                        .getMessage());
        assertArrayEquals(
                new long[] {0, 3, -256},
                eval(vec, command("echo", "[1e-05, 0.01, -1E+2]")).cells(),
                "exponents as Python prints them, read exactly");
        String choice = "{\"dataset\":\"model\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"car\",\"bike\"]}}";
        assertArrayEquals(
                new long[] {0, 1}, eval(choice, command("echo", "\"bike\"")).cells());
        assertTrue(assertThrows(QueryException.class, () -> eval(choice, command("echo", "\"walk\"")))
                .getMessage()
                .startsWith("the command's output is not one of car, bike"));
        String mean = "{\"dataset\":\"model\",\"aggregate\":{\"type\":\"mean\",\"column\":\"x\",\"min\":0,\"max\":10,"
                + "\"decimals\":1}}";
        assertArrayEquals(
                new long[] {125, 3},
                eval(mean, command("echo", "{\"sum\": 12.5, \"count\": 3}")).cells());
        assertTrue(assertThrows(QueryException.class, () -> eval(mean, command("echo", "{\"sum\": 31, \"count\": 3}")))
                .getMessage()
                .contains("is beyond what one node can answer (30.0"));
        assertTrue(assertThrows(
                        QueryException.class,
                        () -> eval(
                                "{\"dataset\":\"model\",\"where\":[{\"column\":\"a\","
                                        + "\"op\":\"=\",\"value\":1}],\"aggregate\":{\"type\":\"count\"}}",
                                command("echo", "1")))
                .getMessage()
                .contains("has no columns to filter"));
    }

    @Test
    void aManualSourceIsAnsweredByHand() {
        DataSource m = DataSources.open(ManualSource.define("survey"));
        assertEquals(
                "dataset survey is answered by hand — its owner types the answer",
                assertThrows(
                                QueryException.class,
                                () -> eval(
                                        "{\"dataset\":\"survey\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"a\",\"b\"]}}",
                                        m))
                        .getMessage());
        Aggregate.Choice c = new Aggregate.Choice(List.of("car", "bike", "transit"));
        long[] t = total(
                new Answer(PlainAnswers.parse(c, 1, "\"car\"", "answer"), 0, 0, 0, 0),
                new Answer(PlainAnswers.parse(c, 1, "\"bike\"", "answer"), 0, 0, 0, 0),
                new Answer(PlainAnswers.parse(c, 1, "\"bike\"", "answer"), 0, 0, 0, 0),
                new Answer(PlainAnswers.parse(c, 1, "\"transit\"", "answer"), 0, 0, 0, 0));
        assertEquals(
                "{\"categories\":[\"car\",\"bike\",\"transit\"],\"counts\":[1,2,1]}",
                Decoder.decode(c, t, 4).toString());
    }

    DataSource command(String... argv) {
        return DataSources.open(CommandSource.define("model", List.of(argv), dir, Duration.ofSeconds(10), 1 << 20));
    }
}
