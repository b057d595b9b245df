package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.node.Proposer;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A home on a real read-only file system (a read-only bind mount) and on a real full one (a tiny
 * tmpfs), each in a private mount namespace of the CLI process. Read commands work on a read-only
 * home (before, every command failed with {@code [SQLITE_CANTOPEN] unable to open database file});
 * writes fail with one line naming the read-only file system and the file; a full disk is
 * {@code disk full: <path>} (before, {@code comp approve} said {@code cannot commit - no transaction
 * is active}). Skipped unless root with {@code unshare}.
 */
@Timeout(180)
class ReadOnlyAndFullHomeTest {

    @TempDir
    Path home;

    @TempDir
    Path mnt;

    private String id;

    @BeforeEach
    void aNetworkWithAPendingComputation() throws Exception {
        MountedCli.assumeAvailable();
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "heavy", "--count", "3")
                        .code());
        assertEquals(
                0,
                CliRun.run(home, "node", "create", "--role", "light", "--approval", "manual")
                        .code());
        FormixHome fh = FormixHome.of(home);
        try (NetworkDb net = NetworkDb.open(fh)) {
            id = Proposer.propose(
                            net,
                            Clock.systemUTC(),
                            new Proposer.Request(
                                    "how many?", null, 1, Duration.ofMinutes(5), null, Duration.ofSeconds(1)),
                            r -> true)
                    .id();
        }
        try (LightStore s = LightStore.open(fh, PartyId.of("light-0001"))) {
            s.receive(
                    id,
                    "how many?",
                    "{\"type\":\"integer\"}",
                    System.currentTimeMillis() + 60_000,
                    List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3")),
                    LightStore.State.PENDING,
                    System.currentTimeMillis());
        }
    }

    private String readOnlyMount() {
        return "mount --bind '" + home + "' '" + home + "' && mount -o remount,bind,ro '" + home + "'";
    }

    private void assertReadsWorkAndWritesSayReadOnly() throws Exception {
        String ro = readOnlyMount();
        CliRun list = MountedCli.run(ro, home, "node", "list");
        assertEquals(0, list.code(), list.toString());
        assertTrue(list.out().contains("light-0001  light  stopped  manual"), list.out());
        CliRun comps = MountedCli.run(ro, home, "comp", "list", "--json");
        assertEquals(0, comps.code(), comps.toString());
        assertEquals(id, Main.JSON.readTree(comps.out()).get(0).get("id").asText());
        CliRun show = MountedCli.run(ro, home, "node", "show", "light-0001");
        assertEquals(0, show.code(), show.toString());
        assertTrue(show.out().matches("(?s).*\\n" + id + " +pending +- +how many\\?\\n.*"), show.out());

        CliRun create = MountedCli.run(ro, home, "node", "create", "--role", "light");
        assertEquals(1, create.code(), create.toString());
        assertEquals(
                "formix: read-only file system: cannot write " + home.resolve("network.db") + " — read commands "
                        + "work here; to change the network use a writable --home or remount it read-write",
                create.err().strip());
        CliRun approve = MountedCli.run(ro, home, "comp", "approve", id, "--node", "light-0001");
        assertEquals(1, approve.code(), approve.toString());
        assertTrue(
                approve.err()
                        .strip()
                        .startsWith("formix: read-only file system: cannot write "
                                + home.resolve("nodes/light-0001/node.db") + " — "),
                approve.err());
        assertEquals(1, approve.err().strip().lines().count(), approve.err());
    }

    @Test
    void readCommandsWorkOnAReadOnlyHomeAndWritesSayWhy() throws Exception {
        assertFalse(
                Files.exists(home.resolve("network.db-shm")), "every writer closed: no -shm, SQLite needs immutable=1");
        assertReadsWorkAndWritesSayReadOnly();
    }

    @Test
    void aReadOnlyViewOfAHomeInUseReadsItsWriteAheadLog() throws Exception {
        // A writer keeps network.db open (as a running host does): -wal and -shm exist, the last node only in the -wal.
        try (NetworkDb writer = NetworkDb.open(FormixHome.of(home))) {
            writer.createNodes(io.formix.state.NodeRecord.Role.LIGHT, 1, io.formix.state.NodeRecord.Approval.AUTO, 0);
            assertTrue(Files.exists(home.resolve("network.db-shm")));
            CliRun list = MountedCli.run(readOnlyMount(), home, "node", "list", "--json");
            assertEquals(0, list.code(), list.toString());
            assertEquals(5, Main.JSON.readTree(list.out()).size(), list.out());
            assertReadsWorkAndWritesSayReadOnly();
        }
    }

    @Test
    void aFullDiskIsReportedAsSuch() throws Exception {
        String full = "mount -t tmpfs -o size=1m tmpfs '" + mnt + "' && cp -a '" + home + "/.' '" + mnt + "/' && "
                + "(dd if=/dev/zero of='" + mnt + "/fill' bs=1k 2>/dev/null; true)";
        for (String[] args : List.of(
                new String[] {"comp", "approve", id, "--node", "light-0001"},
                new String[] {"node", "create", "--role", "light"})) {
            CliRun r = MountedCli.run(full, mnt, args);
            assertEquals(1, r.code(), r.toString());
            assertTrue(
                    r.err()
                            .strip()
                            .matches("formix: disk full: " + java.util.regex.Pattern.quote(mnt.toString())
                                    + "/\\S+ — free some space and retry"),
                    r.err());
            assertFalse(r.err().contains("no transaction is active"), r.err());
        }
    }
}
