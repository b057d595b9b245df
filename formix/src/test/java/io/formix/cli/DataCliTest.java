package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Black-box tests of {@code formix data add/list/rm/query} through picocli's execute(). */
@Timeout(60)
class DataCliTest {

    static final String COUNT_65 =
            "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
                    + "\"aggregate\":{\"type\":\"count\"}}";

    @TempDir
    Path home;

    @TempDir
    Path data;

    Path patients;

    @BeforeEach
    void network() throws Exception {
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3")
                        .code());
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "light", "--count", "2")
                        .code());
        patients = data.resolve("patients.csv");
        Files.writeString(patients, "id,age,fee\n1,70,22.50\n2,64,31.25\n3,65,\n4,30,18.75\n");
    }

    static JsonNode json(CliRun r) throws Exception {
        return Main.JSON.readTree(r.out());
    }

    static void oneLineError(CliRun r, int code, String text) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("formix: "), r.err());
        assertTrue(r.err().contains(text), r.err());
        assertFalse(r.err().contains("at io.formix"), "no stack trace");
    }

    @Test
    void addListQueryAndRemoveACsvSource() throws Exception {
        CliRun add = CliRun.run(
                home, "data", "add", "light-0001", "--name", "patients", "--csv", patients.toString(), "--json");
        assertEquals(0, add.code(), add.toString());
        JsonNode a = json(add);
        assertEquals("patients", a.get("dataset").asText());
        assertEquals("age", a.get("columns").get(1).get("name").asText());
        assertEquals("integer", a.get("columns").get(1).get("type").asText());
        assertEquals("decimal", a.get("columns").get(2).get("type").asText());

        JsonNode list = json(CliRun.run(home, "data", "list", "light-0001", "--json"));
        assertEquals(1, list.size());
        assertEquals("csv", list.get(0).get("kind").asText());
        assertEquals(
                patients.toAbsolutePath().toString(), list.get(0).get("path").asText());
        assertEquals(
                0,
                json(CliRun.run(home, "data", "list", "light-0002", "--json")).size(),
                "per node");

        CliRun q = CliRun.run(home, "data", "query", "light-0001", "--query", COUNT_65, "--json");
        assertEquals(0, q.code(), q.toString());
        JsonNode r = json(q);
        assertEquals(2, r.get("value").asInt());
        assertEquals(2, r.get("cells").get(0).asLong());
        assertEquals(4, r.get("rows").asLong());
        assertEquals("count rows of patients where age ≥ 65", r.get("words").asText());

        Path file = data.resolve("q.json");
        Files.writeString(
                file,
                "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"mean\",\"column\":\"fee\","
                        + "\"min\":10,\"max\":30,\"decimals\":2}}");
        CliRun human = CliRun.run(home, "data", "query", "light-0001", "--query", "@" + file);
        assertEquals(0, human.code(), human.toString());
        assertTrue(human.out().contains("query    mean of fee (each clamped to [10, 30], 2 decimals)"), human.out());
        assertTrue(
                human.out().contains("rows     4 read, 4 matching, 1 missing value(s) skipped, 1 clamped"),
                human.out());
        assertTrue(
                human.out().contains("answer   {\"sum\":71.25,\"count\":3,\"mean\":23.75}  (nothing was sent)"),
                human.out());

        assertEquals(
                0,
                CliRun.run(home, "data", "rm", "light-0001", "--name", "patients")
                        .code());
        assertEquals(
                0,
                json(CliRun.run(home, "data", "list", "light-0001", "--json")).size());
        oneLineError(
                CliRun.run(home, "data", "rm", "light-0001", "--name", "patients"),
                3,
                "no dataset patients on " + "light-0001");
        assertTrue(Files.exists(patients), "rm leaves the data alone");
    }

    @Test
    void badNodesNamesAndSourcesAreOneLineErrorsWithTheDocumentedCodes() throws Exception {
        String csv = patients.toString();
        oneLineError(CliRun.run(home, "data", "add", "../etc", "--name", "p", "--csv", csv), 2, "is not a node uid");
        oneLineError(
                CliRun.run(home, "data", "add", "light-0042", "--name", "p", "--csv", csv), 3, "no node light-0042");
        oneLineError(
                CliRun.run(home, "data", "add", "heavy-1", "--name", "p", "--csv", csv), 4, "heavy-1 is a heavy node");
        oneLineError(
                CliRun.run(home, "data", "add", "light-0001", "--name", "a b", "--csv", csv),
                2,
                "is not a dataset name");
        oneLineError(CliRun.run(home, "data", "add", "light-0001", "--name", "p"), 2, "Missing required argument");
        oneLineError(
                CliRun.run(home, "data", "add", "light-0001", "--name", "p", "--csv", csv, "--manual"),
                2,
                "mutually exclusive");
        Path ragged = data.resolve("ragged.csv");
        Files.writeString(ragged, "a,b\n1,2\n3\n");
        oneLineError(
                CliRun.run(home, "data", "add", "light-0001", "--name", "r", "--csv", ragged.toString()),
                4,
                "ragged.csv line 3: 1 field where the header has 2");
        Path fake = data.resolve("fake.db");
        Files.writeString(fake, "not a database");
        oneLineError(
                CliRun.run(home, "data", "add", "light-0001", "--name", "f", "--sqlite", fake.toString()),
                4,
                "is not a SQLite database");
        Path db = data.resolve("clinic.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE patients(id INTEGER, age INTEGER)");
            s.executeUpdate("INSERT INTO patients VALUES (1, 70), (2, 20)");
        }
        byte[] before = Files.readAllBytes(db);
        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "add",
                        "light-0001",
                        "--name",
                        "w",
                        "--sqlite",
                        db.toString(),
                        "--sql",
                        "DELETE FROM patients"),
                4,
                "--sql must be one SELECT");
        assertArrayEquals(before, Files.readAllBytes(db));
        assertEquals(
                0,
                CliRun.run(
                                home,
                                "data",
                                "add",
                                "light-0001",
                                "--name",
                                "patients",
                                "--sqlite",
                                db.toString(),
                                "--sql",
                                "SELECT age FROM patients")
                        .code());
        oneLineError(
                CliRun.run(home, "data", "add", "light-0001", "--name", "patients", "--csv", csv),
                4,
                "dataset patients exists already on light-0001");
        assertEquals(
                1,
                json(CliRun.run(home, "data", "list", "light-0001", "--json")).size(),
                "nothing half added");
        assertEquals(
                1,
                json(CliRun.run(home, "data", "query", "light-0001", "--query", COUNT_65, "--json"))
                        .get("value")
                        .asInt(),
                "the SQLite view answers");
    }

    @Test
    void badQueriesAreOneLineErrors() throws Exception {
        CliRun.run(home, "data", "add", "light-0001", "--name", "patients", "--csv", patients.toString());
        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "query",
                        "light-0001",
                        "--query",
                        "{\"dataset\":\"nope\",\"aggregate\":{\"type\":\"count\"}}"),
                3,
                "no dataset nope on light-0001");
        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "query",
                        "light-0001",
                        "--query",
                        "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"sum\",\"column\":\"age\"}}"),
                4,
                "an unbounded sum is refused");
        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "query",
                        "light-0001",
                        "--query",
                        "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\"=\",\"value\":\"old\"}],"
                                + "\"aggregate\":{\"type\":\"count\"}}"),
                4,
                "type mismatch: column 'age' is integer");
        oneLineError(
                CliRun.run(home, "data", "query", "light-0001", "--query", "{not json"),
                4,
                "the query is not valid JSON");
        oneLineError(
                CliRun.run(home, "data", "query", "light-0001", "--query", "@" + data.resolve("none.json")),
                2,
                "no such regular file");
        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "query",
                        "light-0001",
                        "--nodes",
                        "1000000000000",
                        "--query",
                        "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"sum\",\"column\":\"age\",\"min\":0,\"max\":150},"
                                + "\"maxRows\":1000000000}"),
                4,
                "could wrap mod 2^64");
    }

    @Test
    void commandAndManualSourcesAndTerminalSafeNames() throws Exception {
        assertEquals(
                0,
                CliRun.run(
                                home,
                                "data",
                                "add",
                                "light-0002",
                                "--name",
                                "model",
                                "--command",
                                "echo [0.5, -2]",
                                "--timeout",
                                "10s")
                        .code());
        CliRun v = CliRun.run(
                home,
                "data",
                "query",
                "light-0002",
                "--json",
                "--query",
                "{\"dataset\":\"model\",\"aggregate\":{\"type\":\"vector\",\"length\":2,\"clip\":1,\"fractionalBits\":4}}");
        assertEquals(0, v.code(), v.toString());
        assertEquals("[8,-16]", json(v).get("cells").toString());
        assertEquals(
                0,
                CliRun.run(home, "data", "add", "light-0002", "--name", "survey", "--manual")
                        .code());
        oneLineError(
                CliRun.run(
                        home,
                        "data",
                        "query",
                        "light-0002",
                        "--query",
                        "{\"dataset\":\"survey\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"a\",\"b\"]}}"),
                4,
                "answered by hand");
        Path evil = data.resolve("evil.csv");
        Files.writeString(evil, "\"a\u001b]0;owned\u0007\",b\n1,2\n");
        assertEquals(
                0,
                CliRun.run(home, "data", "add", "light-0001", "--name", "evil", "--csv", evil.toString())
                        .code());
        CliRun list = CliRun.run(home, "data", "list", "light-0001");
        assertTrue(list.out().contains("a\\x1b]0;owned\\x07:integer"), list.out());
        assertFalse(list.out().contains("\u001b"), "no control character reaches the terminal");
        String names = CliRun.run(home, "data", "list", "light-0002").out();
        assertTrue(names.contains("model  command  echo [0.5, -2]"), names);
        assertTrue(names.contains("survey  manual  answered by hand"), names);
    }
}
