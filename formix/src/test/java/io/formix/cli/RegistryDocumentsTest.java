package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.transport.PartyId;
import io.formix.transport.seal.IdentityKey;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Roster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry is rebuilt from signed documents only: two homes sharing one data folder, no node
 * running. A roster signed by another key or older than the accepted one, a descriptor with a
 * swapped key, and an unsigned descriptor are refused with a reason and change nothing; deleting
 * the remote rows of network.db and syncing again gives the same rows.
 */
@Timeout(60)
class RegistryDocumentsTest {

    @TempDir
    Path a;

    @TempDir
    Path b;

    @TempDir
    Path data;

    private String fp;
    private NetworkId network;

    private CliRun on(Path home, String... args) {
        return CliRun.run(home, Map.of("FORMIX_DATA_DIR", data.toString()), args);
    }

    private JsonNode json(CliRun r) throws Exception {
        assertEquals(0, r.code(), r.toString());
        return Main.JSON.readTree(r.out());
    }

    private Map<String, String> nodes(Path home) throws Exception {
        Map<String, String> m = new TreeMap<>();
        json(on(home, "node", "list", "--json")).forEach(n -> m.put(n.get("uid").asText(), n.toString()));
        return m;
    }

    @BeforeEach
    void twoHomes() throws Exception {
        JsonNode created = json(on(a, "network", "create", "--json"));
        fp = created.get("fingerprint").asText();
        network = NetworkId.fromHex(created.get("network").asText());
        json(on(b, "network", "join", "--fingerprint", fp, "--json"));
        json(on(a, "node", "create", "--role", "heavy", "--count", "3", "--json"));
        json(on(b, "node", "create", "--role", "light", "--count", "2", "--json"));
        json(on(a, "network", "admit", "--all", "--json"));
    }

    @Test
    void keysStayInTheHomeWithOwnerOnlyPermissions() throws Exception {
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(a.resolve("admin/identity.key")));
        try (var s = Files.walk(data)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".key")), "no key file in the data folder");
        }
        CliRun again = on(b, "network", "create");
        assertEquals(4, again.code(), again.toString());
        assertTrue(again.err().contains("already belongs to network"), again.err());
    }

    @Test
    void statusNamesTheNetworkAndEachHomeHasItsOwnTag() throws Exception {
        JsonNode onA = json(on(a, "network", "status", "--json")).get("network");
        JsonNode onB = json(on(b, "network", "status", "--json")).get("network");
        assertEquals(fp, onB.get("fingerprint").asText());
        assertEquals(onA.get("network").asText(), onB.get("network").asText());
        assertEquals(1, onB.get("rosterVersion").asInt());
        assertTrue(onA.get("tag").asText().matches("[a-z2-7]{5}"), onA.toString());
        assertFalse(onA.get("tag").asText().equals(onB.get("tag").asText()));
    }

    @Test
    void joiningBeforeTheSyncBroughtTheNetworkSaysSo(@TempDir Path other, @TempDir Path c) {
        CliRun r = CliRun.run(c, Map.of("FORMIX_DATA_DIR", other.toString()), "network", "join", "--fingerprint", fp);
        assertEquals(3, r.code(), r.toString());
        assertTrue(r.err().contains("no network descriptor"), r.err());
    }

    @Test
    void deletingTheNodeRowsAndSyncingAgainGivesTheSameRows() throws Exception {
        json(on(b, "node", "create", "--role", "light", "--approval", "manual", "--json"));
        json(on(a, "network", "admit", "--all", "--json"));
        Map<String, String> before = nodes(b);
        assertEquals(6, before.size(), before.toString());
        assertTrue(before.values().stream().anyMatch(n -> n.contains("\"approval\":\"manual\"")), before.toString());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + b.resolve("network.db"));
                Statement s = c.createStatement()) {
            assertEquals(6, s.executeUpdate("DELETE FROM nodes"));
        }
        assertEquals(before, nodes(b), "local rows (approval, creation time) and remote rows alike");
        assertEquals(nodes(a).keySet(), before.keySet(), "both hosts know the same members");
    }

    @Test
    void aRosterSignedByAnotherKeyIsRefusedAndChangesNothing() throws Exception {
        Map<String, String> before = nodes(b);
        Roster good = Roster.verify(
                Files.readAllBytes(data.resolve("formix/roster.json")),
                io.formix.transport.seal.NetworkDescriptor.verify(
                        Files.readAllBytes(data.resolve("formix/network.json")), fp),
                -1);
        List<Roster.Entry> more = new java.util.ArrayList<>(good.entries());
        more.add(new Roster.Entry(
                PartyId.of("light-evil-0001"), Role.LIGHT, good.entries().get(0).identityFingerprint()));
        Files.write(
                data.resolve("formix/roster.json"),
                Roster.of(network, good.version() + 1, more).sign(IdentityKey.generate()));
        CliRun list = on(b, "node", "list", "--json");
        assertEquals(0, list.code(), list.toString());
        assertTrue(
                list.err().contains("roster.json refused: ") && list.err().contains("roster is signed by"), list.err());
        assertTrue(list.err().contains("not by the network admin"), list.err());
        assertEquals(before, nodes(b));
    }

    @Test
    void anOlderRosterIsRefused() throws Exception {
        byte[] v1 = Files.readAllBytes(data.resolve("formix/roster.json"));
        json(on(b, "node", "create", "--role", "light", "--json"));
        json(on(a, "network", "admit", "--all", "--json"));
        Map<String, String> v2 = nodes(b);
        assertEquals(6, v2.size());
        Files.write(data.resolve("formix/roster.json"), v1);
        CliRun list = on(b, "node", "list", "--json");
        assertTrue(list.err().contains("older than the accepted version"), list.err());
        assertEquals(v2, nodes(b), "the rollback changed nothing");
    }

    @Test
    void aDescriptorWithASwappedKeyIsRefusedAndTheOldKeyKept() throws Exception {
        String uid = nodes(b).keySet().stream()
                .filter(u -> u.startsWith("light-"))
                .findFirst()
                .orElseThrow();
        Path file = data.resolve("formix/nodes/" + uid + ".json");
        byte[] real = Files.readAllBytes(file);
        byte[] descriptorBefore = descriptor(b, uid);
        NodeKeys attacker = NodeKeys.inMemory(
                Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(1, ChronoUnit.DAYS));
        Files.write(
                file,
                NodeDescriptor.of(network, PartyId.of(uid), Role.LIGHT, 5, attacker)
                        .sign(attacker.identity()));
        CliRun list = on(a, "node", "list", "--json");
        assertEquals(0, list.code(), list.toString());
        assertTrue(
                list.err().contains(uid + ".json refused") && list.err().contains("but the roster lists"), list.err());
        assertArrayEquals(descriptorBefore, descriptor(b, uid));
        on(b, "node", "list", "--json");
        assertArrayEquals(real, descriptor(b, uid), "the registry keeps the descriptor it accepted");
    }

    @Test
    void anUnsignedDescriptorIsRefusedNotPending() throws Exception {
        Files.writeString(
                data.resolve("formix/nodes/light-zzzzz-0001.json"),
                "{\"type\":\"formix/node\",\"v\":1," + "\"uid\":\"light-zzzzz-0001\",\"role\":\"light\"}",
                StandardCharsets.UTF_8);
        CliRun pending = on(a, "network", "pending", "--json");
        assertEquals(0, pending.code(), pending.toString());
        assertEquals(0, Main.JSON.readTree(pending.out()).size(), pending.out());
        assertTrue(pending.err().contains("light-zzzzz-0001.json refused"), pending.err());
        CliRun admit = on(a, "network", "admit", "light-zzzzz-0001");
        assertEquals(4, admit.code(), admit.toString());
        assertFalse(nodes(a).containsKey("light-zzzzz-0001"));
    }

    @Test
    void onlyTheAdminAdmitsAndAHomeMustJoinBeforeMakingNodes(@TempDir Path c) throws Exception {
        json(on(b, "node", "create", "--role", "light", "--json"));
        CliRun notAdmin = on(b, "network", "admit", "--all");
        assertEquals(4, notAdmin.code(), notAdmin.toString());
        assertTrue(
                notAdmin.err().contains("only the home that created the network holds its admin key"), notAdmin.err());
        CliRun unjoined = on(c, "node", "create", "--role", "light");
        assertEquals(4, unjoined.code(), unjoined.toString());
        assertTrue(
                unjoined.err().contains("already holds a network")
                        && unjoined.err().contains("network join"),
                unjoined.err());
        assertEquals(1, unjoined.err().strip().lines().count(), unjoined.err());
    }

    @Test
    void aProposalForARemoteHeavyNodeNeedsARunningNodeHereToCarryIt() throws Exception {
        CliRun p = on(b, "comp", "propose", "--prompt", "q", "--threshold", "2", "--json");
        assertEquals(4, p.code(), p.toString());
        assertTrue(
                p.err().contains("runs on another host, and no node of this home runs to carry the proposal"), p.err());
        JsonNode list = json(on(b, "comp", "list", "--json"));
        assertEquals("failed", list.get(0).get("status").asText(), "it does not wait in vain");
    }

    private static byte[] descriptor(Path home, String uid) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("network.db"));
                var ps = c.prepareStatement("SELECT descriptor FROM nodes WHERE uid = ?")) {
            ps.setString(1, uid);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }
}
