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
 * destroys data; {@code init --force} moves the home's old files aside and leaves the shared data
 * folder alone.
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
        for (String[] args : List.of(
                new String[] {"node", "list"},
                new String[] {"comp", "list"},
                new String[] {"network", "up", "--heavy", "3", "--light", "2"},
                new String[] {"node", "create", "--role", "light"},
                new String[] {"init"})) {
            CliRun r = CliRun.run(home, args);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r);
            assertEquals(
                    "formix: " + db() + " " + what + " — restore it from a backup, or move it aside and run "
                            + "'formix init --force' to start over",
                    r.err().strip(),
                    String.join(" ", args));
            assertEquals("", r.out());
        }
        assertArrayEquals(before, Files.readAllBytes(db()), "network.db unchanged");
        assertEquals(files, listing(), "nothing written");
    }

    @Test
    void anEmptyNetworkDbIsReportedNotTakenForANewNetwork() throws Exception {
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3")
                        .code());
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
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3")
                        .code());
        byte[] b = Files.readAllBytes(db());
        Arrays.fill(b, 100, 4096, (byte) 0x5a); // page 1 after the header: the schema is gone
        Files.write(db(), b);
        assertRefusedUntouched("is corrupt");
    }

    @Test
    void aMissingNetworkDbBesideNodeFoldersIsReported() throws Exception {
        assertEquals(
                0,
                CliRun.run(home, "network", "up", "--heavy", "3", "--light", "0")
                        .code(),
                "");
        CliRun.run(home, "network", "down");
        Files.delete(db());
        List<String> files = listing();
        CliRun list = CliRun.run(home, "node", "list");
        assertEquals(1, list.code(), list.toString());
        assertEquals(
                "formix: " + db() + " is missing, but " + home.resolve("nodes") + " holds 3 node folder(s) of a "
                        + "network — restore it from a backup, or move it aside and run 'formix init --force' to start over",
                list.err().strip());
        assertEquals(
                1,
                CliRun.run(home, "network", "up", "--heavy", "3", "--light", "1")
                        .code());
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
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "light", "--count", "2")
                        .code());
        byte[] before = Files.readAllBytes(db());
        CliRun again = CliRun.run(home, "init");
        assertEquals(4, again.code(), again.toString());
        assertEquals(
                "formix: " + db() + " already holds a network (2 node(s), 0 computation(s)) — nothing changed; "
                        + "to start over: formix init --force (moves network.db and nodes/ aside)",
                again.err().strip());
        assertArrayEquals(before, Files.readAllBytes(db()));

        CliRun force = CliRun.run(home, "init", "--force", "--json");
        assertEquals(0, force.code(), force.toString());
        List<String> moved = Main.JSON.readValue(
                Main.JSON.readTree(force.out()).get("movedAside").traverse(),
                Main.JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        // network.db, the admin key and nodes/ (which holds each created node's keys from the
        // start). The data folder is shared with other hosts: its documents stay where they are.
        assertEquals(3, moved.size(), moved.toString());
        assertTrue(moved.get(0).startsWith(home.resolve("network.db.bak-").toString()), moved.toString());
        assertTrue(moved.get(1).startsWith(home.resolve("admin.bak-").toString()), moved.toString());
        assertTrue(moved.get(2).startsWith(home.resolve("nodes.bak-").toString()), moved.toString());
        assertTrue(Files.exists(home.resolve("channels/formix/network.json")), "the data folder is not touched");
        try (Stream<Path> s = Files.list(home.resolve("channels"))) {
            assertEquals(
                    List.of(),
                    s.map(p -> p.getFileName().toString())
                            .filter(n -> n.contains(".bak-"))
                            .toList());
        }
        assertTrue(Files.size(Path.of(moved.get(0))) > 0, "the old network is kept, not deleted");
        assertEquals(
                0,
                CliRun.run(home, "node", "list", "--json")
                                .out()
                                .strip()
                                .replaceAll("\\s", "")
                                .length()
                        - 2);
        // The backup is still the old network, readable as such.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + moved.get(0));
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM nodes")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
        }
    }

    /**
     * After {@code init --force} in the admin's home the shared folder still holds the old network
     * (other hosts still run it): a new {@code network create} there is refused in one line, and
     * the folder's documents stay byte for byte.
     */
    @Test
    void networkCreateAfterInitForceRefusesAFolderHoldingAnotherNetwork() throws Exception {
        CliRun created = CliRun.run(home, "network", "create", "--json");
        assertEquals(0, created.code(), created.toString());
        String id = Main.JSON.readTree(created.out()).get("network").asText();
        Path doc = home.resolve("channels/formix/network.json");
        Path roster = home.resolve("channels/formix/roster.json");
        byte[] docBefore = Files.readAllBytes(doc);
        byte[] rosterBefore = Files.readAllBytes(roster);
        assertEquals(0, CliRun.run(home, "init", "--force").code());
        assertArrayEquals(docBefore, Files.readAllBytes(doc), "init --force leaves the shared documents alone");

        CliRun again = CliRun.run(home, "network", "create");
        assertEquals(4, again.code(), again.toString());
        assertEquals(
                "formix: this data folder already holds a network (network " + id + ", in "
                        + home.resolve("channels") + "); use another --data-dir, or join it with formix network join "
                        + "--fingerprint FP (its admin's fingerprint)",
                again.err().strip());
        assertArrayEquals(docBefore, Files.readAllBytes(doc));
        assertArrayEquals(rosterBefore, Files.readAllBytes(roster));
        assertFalse(Files.exists(home.resolve("admin/identity.key")), "no new admin key was made");
        // Another data folder is a fresh start.
        CliRun elsewhere = CliRun.run(
                home,
                java.util.Map.of("FORMIX_DATA_DIR", home.resolve("other").toString()),
                "network",
                "create",
                "--json");
        assertEquals(0, elsewhere.code(), elsewhere.toString());
        assertFalse(id.equals(Main.JSON.readTree(elsewhere.out()).get("network").asText()));
    }

    @Test
    void initForceStartsOverFromAnEmptyNetworkDb() throws Exception {
        Files.createDirectories(home);
        Files.write(db(), new byte[0]);
        CliRun force = CliRun.run(home, "init", "--force");
        assertEquals(0, force.code(), force.toString());
        assertEquals(
                "no nodes — create some with: formix network up --heavy 3 --light 10",
                CliRun.run(home, "node", "list").out().strip());
        try (Stream<Path> s = Files.list(home)) {
            assertEquals(
                    1,
                    s.filter(p -> p.getFileName().toString().startsWith("network.db.bak-"))
                            .count());
        }
    }
}
