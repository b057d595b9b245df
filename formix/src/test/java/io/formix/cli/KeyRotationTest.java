package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.registry.Membership;
import io.formix.registry.RegistryKeys;
import io.formix.registry.RegistrySync;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentFiles;
import io.formix.transport.seal.EncryptionKey;
import io.formix.transport.seal.EnvelopeRejectedException;
import io.formix.transport.seal.KeyDirectory;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Opener;
import io.formix.transport.seal.Roster;
import io.formix.transport.seal.Sealer;
import io.formix.transport.seal.SealingTransport;
import io.formix.transport.seal.Step;
import io.formix.transport.seal.VerifiedEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node rotate-key} across two homes sharing one data folder, as two machines share a synced
 * folder: A administers the network and holds the heavy nodes, B joins and holds the light nodes.
 */
class KeyRotationTest {

    private static final int MAX_ENVELOPE = 1 << 20;

    @TempDir
    Path a;

    @TempDir
    Path b;

    @TempDir
    Path data;

    @AfterEach
    void down() {
        CliRun.run(a, env(), "network", "down");
        CliRun.run(b, env(), "network", "down");
    }

    private Map<String, String> env() {
        return Map.of("FORMIX_DATA_DIR", data.toString(), "FORMIX_TRANSPORT", "file");
    }

    private CliRun on(Path home, String... args) {
        return CliRun.run(home, env(), args);
    }

    private JsonNode json(Path home, String... args) throws Exception {
        CliRun r = on(home, args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r);
        return Main.JSON.readTree(r.out());
    }

    /** A network of {@code heavies} heavy nodes on A and {@code lights} light nodes on B, all admitted. */
    private String network(int heavies, int lights) throws Exception {
        String fp = json(a, "network", "create", "--json").get("fingerprint").asText();
        json(b, "network", "join", "--fingerprint", fp, "--json");
        json(a, "node", "create", "--role", "heavy", "--count", Integer.toString(heavies), "--json");
        json(b, "node", "create", "--role", "light", "--count", Integer.toString(lights), "--json");
        json(a, "network", "admit", "--all", "--json");
        return fp;
    }

    private NetworkDescriptor nd(String fp) throws Exception {
        return NetworkDescriptor.verify(DocumentFiles.read(data.resolve("formix/network.json")), fp);
    }

    /** The descriptor of {@code uid} as the folder holds it now, verified. */
    private NodeDescriptor descriptor(String fp, PartyId uid) throws Exception {
        NetworkDescriptor nd = nd(fp);
        Roster roster = Roster.verify(DocumentFiles.read(data.resolve("formix/roster.json")), nd, -1);
        return NodeDescriptor.verify(DocumentFiles.read(data.resolve("formix/nodes/" + uid + ".json")), nd, roster, -1)
                .orElseThrow();
    }

    private static byte[] payload() {
        return "{\"v\":1,\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @Timeout(60)
    void oldKeyOpensUntilItsExpiryPlusGraceAndThePeerSealsToTheNewKeyAfterItsSync() throws Exception {
        String fp = network(1, 1);
        FormixHome homeA = new FormixHome(a, data);
        FormixHome homeB = new FormixHome(b, data);
        PartyId heavy = PartyId.of(json(a, "node", "list", "--role", "heavy", "--json")
                .get(0)
                .get("uid")
                .asText());
        PartyId light = PartyId.of(json(b, "node", "list", "--role", "light", "--json")
                .get(0)
                .get("uid")
                .asText());
        NodeDescriptor before = descriptor(fp, heavy);
        assertEquals(1, before.encryptionKeys().size());
        String oldKid = before.encryptionKeys().get(0).kid();
        NodeKeys lightKeys = Membership.keys(homeB, light);
        NodeDescriptor lightDesc = descriptor(fp, light);
        Clock now = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        netId = nd(fp).networkId();

        // B's view before the rotation: it seals to the only key it knows.
        RegistryKeys viewB = new RegistryKeys();
        try (NetworkDb net = NetworkDb.open(homeB)) {
            viewB.refresh(net, RegistrySync.network(homeB, net.pin().orElseThrow()));
        }
        byte[] sealedOld =
                new Sealer(nd(fp).networkId(), light, lightKeys.identity(), viewB, now, 0).seal(heavy, 0, payload());

        Instant rotatedAt = Instant.now();
        JsonNode rot = json(a, "node", "rotate-key", heavy.value(), "--keep", "2h", "--json");
        String newKid = rot.get("kid").asText();
        assertTrue(newKid.matches("[0-9a-f]{8}") && !newKid.equals(oldKid), rot.toString());
        assertEquals(oldKid, rot.get("previous").get(0).get("kid").asText());
        Instant oldExpiry =
                Instant.parse(rot.get("previous").get(0).get("expiresAt").asText());
        assertFalse(oldExpiry.isBefore(rotatedAt.plus(Duration.ofHours(2)).minusSeconds(1)), rot.toString());
        assertFalse(oldExpiry.isAfter(Instant.now().plus(Duration.ofHours(2))), rot.toString());

        // The republished descriptor lists both keys, the new one current, with a higher seq.
        NodeDescriptor after = descriptor(fp, heavy);
        assertTrue(after.seq() > before.seq(), after + " after " + before);
        assertEquals(
                List.of(oldKid, newKid),
                after.encryptionKeys().stream().map(EncryptionKey::kid).toList());
        assertEquals(newKid, after.currentKey(now.instant()).orElseThrow().kid());
        assertEquals(oldExpiry, after.encryptionKeys().get(0).expiresAt());

        // The key store: a new 0600 key file, the old one with the shorter expiry.
        Path keyDir = homeA.nodeKeysDir(heavy);
        assertEquals(
                "rw-------",
                java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(keyDir.resolve("enc-" + newKid + ".key"))));
        NodeKeys heavyKeys = Membership.keys(homeA, heavy);
        assertEquals(2, heavyKeys.encryptionKeys().size());

        // A message sealed to the old key still opens, up to its expiry plus the grace, not after.
        KeyDirectory senders = KeyDirectory.of(List.of(lightDesc));
        Duration grace = SealingTransport.DEFAULT_KEY_GRACE;
        assertEquals(
                "{\"v\":1,\"type\":\"ping\"}",
                new String(open(heavyKeys, senders, now, sealedOld, heavy, light), StandardCharsets.UTF_8));
        Clock lastMoment = Clock.fixed(oldExpiry.plus(grace), ZoneOffset.UTC);
        assertEquals(payload().length, open(heavyKeys, senders, lastMoment, sealedOld, heavy, light).length);
        Clock tooLate = Clock.fixed(oldExpiry.plus(grace).plusSeconds(1), ZoneOffset.UTC);
        EnvelopeRejectedException expired = assertThrows(
                EnvelopeRejectedException.class, () -> open(heavyKeys, senders, tooLate, sealedOld, heavy, light));
        assertEquals(Step.KEY_EXPIRED, expired.step());
        assertTrue(expired.getMessage().startsWith("key expired: key " + oldKid), expired.getMessage());

        // B seals to the old key until its registry sync brings the new descriptor, then to the new one.
        Sealer sealerB = new Sealer(nd(fp).networkId(), light, lightKeys.identity(), viewB, now, 0);
        assertEquals(
                oldKid,
                verify(heavyKeys, senders, now, sealerB.seal(heavy, 1, payload()), heavy, light)
                        .kid());
        json(b, "node", "list", "--json"); // any command that reads the registry syncs it
        try (NetworkDb net = NetworkDb.open(homeB)) {
            viewB.refresh(net, RegistrySync.network(homeB, net.pin().orElseThrow()));
        }
        byte[] sealedNew = sealerB.seal(heavy, 2, payload());
        assertEquals(
                newKid, verify(heavyKeys, senders, now, sealedNew, heavy, light).kid());
        assertEquals(
                payload().length,
                open(heavyKeys, senders, tooLate, sealedNew, heavy, light).length,
                "the new key opens after the old one expired");
    }

    @Test
    @Timeout(30)
    void rotateKeyRefusesUnknownRemoteNodesAndBadDurations() throws Exception {
        network(1, 1);
        String heavy = json(a, "node", "list", "--role", "heavy", "--json")
                .get(0)
                .get("uid")
                .asText();
        CliRun remote = on(b, "node", "rotate-key", heavy);
        assertEquals(4, remote.code(), remote.toString());
        assertEquals(
                "formix: " + heavy + " runs on another host (its keys are not in this home) — rotate its key "
                        + "there: formix node rotate-key " + heavy,
                remote.err().strip());
        CliRun unknown = on(a, "node", "rotate-key", "heavy-zzzzz-9");
        assertEquals(3, unknown.code(), unknown.toString());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        for (String bad : List.of("soon", "-1h", "PT-1S", "400d", "9000h")) {
            CliRun r = on(a, "node", "rotate-key", heavy, "--keep", bad);
            assertEquals(2, r.code(), bad + ": " + r);
        }
        byte[] doc = Files.readAllBytes(data.resolve("formix/nodes/" + heavy + ".json"));
        assertEquals(
                1,
                Membership.keys(new FormixHome(a, data), PartyId.of(heavy))
                        .encryptionKeys()
                        .size(),
                "a refused rotation adds no key");
        assertTrue(java.util.Arrays.equals(doc, Files.readAllBytes(data.resolve("formix/nodes/" + heavy + ".json"))));
        CliRun human = on(a, "node", "rotate-key", heavy, "--keep", "0s");
        assertEquals(0, human.code(), human.toString());
        assertTrue(human.out().startsWith(heavy + ": new encryption key "), human.out());
    }

    /**
     * Rotating the keys of running nodes on both hosts: each host reads its key store again without
     * a restart, and a computation after the rotation is revealed with the right total. (With the
     * reload switched off, heavy node 1 seals the invitation to light 1's new key, which light 1's
     * host cannot open, and the computation fails: exit 5.)
     */
    @Test
    @Timeout(120)
    void runningHostsPickUpRotatedKeysAndAComputationStillReveals() throws Exception {
        network(3, 3);
        assertEquals(0, on(a, "node", "start", "--all").code());
        assertEquals(0, on(b, "node", "start", "--all").code());
        String heavy1 = json(a, "node", "list", "--role", "heavy", "--json")
                .get(0)
                .get("uid")
                .asText();
        JsonNode lights = json(b, "node", "list", "--role", "light", "--json");
        String light1 = lights.get(0).get("uid").asText();

        // The light node first, so A's host reads its new descriptor in the sync in which it
        // reloads heavy node 1's keys; then both hosts must show the reload in their logs.
        json(b, "node", "rotate-key", light1, "--json");
        json(a, "node", "rotate-key", heavy1, "--json");
        awaitLog(a, "keys of " + heavy1 + " reloaded: 2 encryption key(s)");
        awaitLog(b, "keys of " + light1 + " reloaded: 2 encryption key(s)");

        CliRun p = on(
                b,
                "comp",
                "propose",
                "--prompt",
                "cups of tea?",
                "--threshold",
                "3",
                "--deadline",
                "8s",
                "--grace",
                "3s",
                "--wait",
                "--json");
        assertEquals(0, p.code(), p.toString());
        JsonNode outcome = Main.JSON.readTree(p.out());
        assertEquals("revealed", outcome.get("status").asText(), outcome.toString());
        long sum = 0;
        FormixHome homeB = new FormixHome(b, data);
        for (JsonNode l : lights) {
            try (LightStore s = LightStore.open(homeB, PartyId.of(l.get("uid").asText()))) {
                sum += s.entry(outcome.get("id").asText()).orElseThrow().answer();
            }
        }
        assertEquals(sum, outcome.get("result").asLong());
        // Nothing was refused along the way (node show reports refusals since the node started).
        JsonNode heavyShow = json(a, "node", "show", heavy1, "--json");
        assertEquals(0, heavyShow.get("rejectedMessages").size(), heavyShow.toString());
        JsonNode lightShow = json(b, "node", "show", light1, "--json");
        assertEquals(0, lightShow.get("rejectedMessages").size(), lightShow.toString());
        assertFalse(hostLogs(a).contains("cannot reload") || hostLogs(b).contains("cannot reload"));
    }

    /** The network of the test, for the receiver's checks. */
    private io.formix.transport.seal.NetworkId netId;

    private byte[] open(NodeKeys keys, KeyDirectory senders, Clock clock, byte[] env, PartyId self, PartyId from)
            throws Exception {
        Opener o = new Opener(netId, self, keys, senders, clock, SealingTransport.DEFAULT_KEY_GRACE, MAX_ENVELOPE);
        return o.open(o.verify(env, from));
    }

    private VerifiedEnvelope verify(
            NodeKeys keys, KeyDirectory senders, Clock clock, byte[] env, PartyId self, PartyId from) throws Exception {
        return new Opener(netId, self, keys, senders, clock, SealingTransport.DEFAULT_KEY_GRACE, MAX_ENVELOPE)
                .verify(env, from);
    }

    private String hostLogs(Path home) throws Exception {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.list(new FormixHome(home, data).hostsDir())) {
            for (Path f :
                    s.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                b.append(Files.readString(f));
            }
        }
        return b.toString();
    }

    private void awaitLog(Path home, String line) throws Exception {
        long until = System.nanoTime() + 20_000_000_000L;
        while (!hostLogs(home).contains(line)) {
            assertTrue(
                    System.nanoTime() < until, "no '" + line + "' in the host log of " + home + ":\n" + hostLogs(home));
            Thread.sleep(100); // the host's registry sync runs every 2 s
        }
    }
}
