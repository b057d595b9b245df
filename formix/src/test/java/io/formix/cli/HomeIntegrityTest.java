package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home tells the truth: a network.db that is empty, garbage, a foreign SQLite file, corrupt, or
 * missing while nodes/ holds node folders is reported in one line naming the file and what to do
 * (exit 1), and nothing is written — before, a 0-byte network.db was taken for a new network and
 * {@code network up} registered heavy-1… again on top of the old node folders. {@code init} never
 * destroys data; {@code init --force} moves the old files aside.
 */
@Timeout(60)
class HomeIntegrityTest {

    @TempDir
    Path home;

    private Path db() {
        return home.resolve("network.db");
    }

    private List<String> listing() throws Exception {
        try (Stream<Path> s = Files.walk(home)) {
            return s.map(p -> home.relativize(p).toString()).sorted().toList();
        }
    }

    /** Every command refuses the home the same way, and leaves every file as it was. */
    private void assertRefusedUntouched(String what) throws Exception {
        byte[] before = Files.readAllBytes(db());
        List<String> files = listing();
        for (String[] args : List.of(new String[] {"node", "list"}, new String[] {"comp", "list"},
                new String[] {"network", "up", "--heavy", "3", "--light", "2"},
                new String[] {"node", "create", "--role", "light"}, new String[] {"init"})) {
            CliRun r = CliRun.run(home, args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r);
            assertEquals("formix: " + db() + " " + what + " — restore it from a backup, or move it aside and run "
                    + "'formix init --force' to start over", r.err().strip(), String.join(" ", args));
            assertEquals("", r.out());
        }
        assertArrayEquals(before, Files.readAllBytes(db()), "network.db unchanged");
        assertEquals(files, listing(), "nothing written");
    }

    @Test
    void anEmptyNetworkDbIsReportedNotTakenForANewNetwork() throws Exception {
        assertEquals(0, CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3").code());
        Files.write(db(), new byte[0]);
        assertRefusedUntouched("is empty (0 bytes)");
    }

    @Test
    void aFileThatIsNotSqliteIsReported() throws Exception {
        Files.writeString(db(), "this is not a database\n".repeat(100), StandardCharsets.UTF_8);
        assertRefusedUntouched("is not a SQLite database");
    }

    @Test
    void aSqliteFileWithoutTheFormixTablesIsReported() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db());
             Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)");
        }
        assertRefusedUntouched("is not a Formix database (no such table: nodes)");
    }

    @Test
    void aCorruptDatabaseIsReported() throws Exception {
        assertEquals(0, CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3").code());
        byte[] b = Files.readAllBytes(db());
        Arrays.fill(b, 100, 4096, (byte) 0x5a); // page 1 after the header: the schema is gone
        Files.write(db(), b);
        assertRefusedUntouched("is corrupt");
    }

    @Test
    void aMissingNetworkDbBesideNodeFoldersIsReported() throws Exception {
        assertEquals(0, CliRun.run(home, "network", "up", "--heavy", "3", "--light", "0").code(), "");
        CliRun.run(home, "network", "down");
        Files.delete(db());
        List<String> files = listing();
        CliRun list = CliRun.run(home, "node", "list");
        assertEquals(1, list.code(), list.toString());
        assertEquals("formix: " + db() + " is missing, but " + home.resolve("nodes") + " holds 3 node folder(s) of a "
                + "network — restore it from a backup, or move it aside and run 'formix init --force' to start over",
                list.err().strip());
        assertEquals(1, CliRun.run(home, "network", "up", "--heavy", "3", "--light", "1").code());
        assertEquals(1, CliRun.run(home, "init").code());
        assertFalse(Files.exists(db()), "no new network.db on top of the old node folders");
        assertEquals(files, listing());

        CliRun force = CliRun.run(home, "init", "--force");
        assertEquals(0, force.code(), force.toString());
        assertTrue(force.out().contains("moved aside: " + home.resolve("nodes.bak-")), force.out());
        assertEquals(0, CliRun.run(home, "node", "list", "--json").code());
    }

    @Test
    void initRefusesToReplaceANetworkAndForceMovesItAside() throws Exception {
        assertEquals(0, CliRun.run(home, "init").code());
        assertEquals(0, CliRun.run(home, "init").code(), "an empty network may be initialised again");
        assertEquals(0, CliRun.run(home, "node", "create", "--role", "light", "--count", "2").code());
        byte[] before = Files.readAllBytes(db());
        CliRun again = CliRun.run(home, "init");
        assertEquals(4, again.code(), again.toString());
        assertEquals("formix: " + db() + " already holds a network (2 node(s), 0 computation(s)) — nothing changed; "
                + "to start over: formix init --force (moves network.db and nodes/ aside)", again.err().strip());
        assertArrayEquals(before, Files.readAllBytes(db()));

        CliRun force = CliRun.run(home, "init", "--force", "--json");
        assertEquals(0, force.code(), force.toString());
        List<String> moved = Main.JSON.readValue(Main.JSON.readTree(force.out()).get("movedAside").traverse(),
                Main.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        // network.db, the admin key, the network's documents in the data folder, and nodes/ (which
        // holds each created node's keys from the start).
        assertEquals(4, moved.size(), moved.toString());
        assertTrue(moved.get(0).startsWith(home.resolve("network.db.bak-").toString()), moved.toString());
        assertTrue(moved.get(1).startsWith(home.resolve("admin.bak-").toString()), moved.toString());
        assertTrue(moved.get(2).startsWith(home.resolve("channels/formix.bak-").toString()), moved.toString());
        assertTrue(moved.get(3).startsWith(home.resolve("nodes.bak-").toString()), moved.toString());
        assertTrue(Files.size(Path.of(moved.get(0))) > 0, "the old network is kept, not deleted");
        assertEquals(0, CliRun.run(home, "node", "list", "--json").out().strip().replaceAll("\\s", "").length() - 2);
        // The backup is still the old network, readable as such.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + moved.get(0));
             Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM nodes")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }

    @Test
    void initForceStartsOverFromAnEmptyNetworkDb() throws Exception {
        Files.createDirectories(home);
        Files.write(db(), new byte[0]);
        CliRun force = CliRun.run(home, "init", "--force");
        assertEquals(0, force.code(), force.toString());
        assertEquals("no nodes — create some with: formix network up --heavy 3 --light 10",
                CliRun.run(home, "node", "list").out().strip());
        try (Stream<Path> s = Files.list(home)) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("network.db.bak-")).count());
        }
    }
}
