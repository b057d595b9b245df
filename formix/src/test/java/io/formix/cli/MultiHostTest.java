package io.formix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.registry.Membership;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import io.formix.transport.file.ChannelNames;
import io.formix.transport.seal.DocumentFiles;
import io.formix.transport.seal.KeyDirectory;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Roster;
import io.formix.transport.seal.Sealer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "hosts" on this machine: two homes that share nothing but one data folder, as two machines
 * share a synced folder. Host A creates the network and runs the three heavy nodes; host B joins
 * it and runs the light nodes, and proposes a computation although it runs no heavy node: the
 * proposal travels to heavy node 1 as a sealed message, the outcome comes back the same way, and
 * both hosts show the same result, equal to the sum of the answers B's light nodes kept.
 */
class MultiHostTest {

    @TempDir
    Path a;

    @TempDir
    Path b;

    @TempDir
    Path c;

    @TempDir
    Path data;

    @AfterEach
    void down() {
        CliRun.run(a, env(), "network", "down");
        CliRun.run(b, env(), "network", "down");
        CliRun.run(c, env(), "network", "down");
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

    /**
     * The messages {@code uid} refused, by sender, as {@code node show --json} reports them once every
     * sender in {@code expected} is there (the host publishes them every few seconds).
     */
    private Map<String, JsonNode> refusedBy(Path home, String uid, List<String> expected) throws Exception {
        long until = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Map<String, JsonNode> bySender = new HashMap<>();
            json(home, "node", "show", uid, "--json")
                    .get("rejectedMessages")
                    .forEach(r -> bySender.put(r.get("from").asText(), r));
            if (bySender.keySet().containsAll(expected) || System.nanoTime() > until) {
                assertTrue(bySender.keySet().containsAll(expected), "refused by " + uid + ": " + bySender);
                return bySender;
            }
            Thread.sleep(200); // the host's next health pass publishes them
        }
    }

    private static Map<String, JsonNode> byUid(JsonNode list) {
        Map<String, JsonNode> m = new HashMap<>();
        list.forEach(n -> m.put(n.get("uid").asText(), n));
        return m;
    }

    @Test
    @Timeout(180)
    void aComputationProposedOnTheHostWithoutHeavyNodesIsRevealedOnBothHosts() throws Exception {
        // A creates the network; the admin key stays in A's home, never in the data folder.
        JsonNode created = json(a, "network", "create", "--json");
        String fp = created.get("fingerprint").asText();
        assertTrue(Files.exists(a.resolve("admin/identity.key")));
        assertTrue(Files.exists(data.resolve("formix/network.json")));

        // B joins: a wrong fingerprint is one line and exit 4; the right one pins the network.
        CliRun wrong = on(b, "network", "join", "--fingerprint", "AAAA" + fp.substring(4));
        assertEquals(4, wrong.code(), wrong.toString());
        assertEquals(1, wrong.err().strip().lines().count(), wrong.err());
        assertTrue(wrong.err().contains("not by the pinned admin key"), wrong.err());
        assertEquals(
                fp,
                json(b, "network", "join", "--fingerprint", fp, "--json")
                        .get("fingerprint")
                        .asText());

        // Nodes on both hosts, uids unique without coordination (a per-home tag).
        JsonNode heavies = json(a, "node", "create", "--role", "heavy", "--count", "3", "--json");
        JsonNode lights = json(b, "node", "create", "--role", "light", "--count", "3", "--json");
        String heavy1 = heavies.get(0).get("uid").asText();
        assertTrue(heavy1.matches("heavy-[a-z2-7]{5}-1"), heavy1);
        assertTrue(lights.get(0).get("uid").asText().matches("light-[a-z2-7]{5}-0001"), lights.toString());
        assertFalse(
                heavy1.split("-")[1].equals(lights.get(0).get("uid").asText().split("-")[1]), "two tags");

        // A third host runs one more heavy node, not among the computation's three.
        assertEquals(
                fp,
                json(c, "network", "join", "--fingerprint", fp, "--json")
                        .get("fingerprint")
                        .asText());
        String spare = json(c, "node", "create", "--role", "heavy", "--json")
                .get(0)
                .get("uid")
                .asText();

        // A sees the seven descriptors pending, admits its own heavy nodes first (roster order is
        // the network's order: they become the default three), then the rest.
        JsonNode pending = json(a, "network", "pending", "--json");
        assertEquals(7, pending.size(), pending.toString());
        List<String> admitHeavies = new ArrayList<>(List.of("network", "admit", "--json"));
        heavies.forEach(h -> admitHeavies.add(h.get("uid").asText()));
        assertEquals(
                3, json(a, admitHeavies.toArray(String[]::new)).get("admitted").size());
        JsonNode admitted = json(a, "network", "admit", "--all", "--json");
        assertEquals(4, admitted.get("admitted").size());
        assertEquals(2, admitted.get("rosterVersion").asInt());
        assertEquals(0, json(a, "network", "pending", "--json").size());

        // A node created on B after the admission stays pending: it is never started nor invited.
        String outsider = json(b, "node", "create", "--role", "light", "--json")
                .get(0)
                .get("uid")
                .asText();

        assertEquals(0, on(a, "node", "start", "--all").code());
        assertEquals(0, on(c, "node", "start", "--all").code());
        CliRun startB = on(b, "node", "start", "--all");
        assertEquals(0, startB.code(), startB.toString());
        assertTrue(startB.err().contains("not admitted yet"), startB.err());

        // Each host lists every admitted node, its own as local.
        Map<String, JsonNode> listA = byUid(json(a, "node", "list", "--json"));
        Map<String, JsonNode> listB = byUid(json(b, "node", "list", "--json"));
        assertEquals(7, listA.size(), listA.toString());
        assertEquals(8, listB.size(), "B also lists its pending node: " + listB);
        assertTrue(listA.get(heavy1).get("local").asBoolean());
        assertFalse(listB.get(heavy1).get("local").asBoolean());
        // A heavy node of another host is running by its fresh signed heartbeat; light nodes publish none.
        assertEquals(
                "running",
                listB.get(heavy1).get("status").asText(),
                listB.get(heavy1).toString());
        assertTrue(Files.exists(data.resolve("formix/alive/" + heavy1 + ".json")));
        assertEquals(
                "remote",
                listA.get(lights.get(0).get("uid").asText()).get("status").asText());
        assertEquals("running", listA.get(heavy1).get("status").asText());
        assertFalse(listB.get(outsider).get("admitted").asBoolean());

        // Forgeries in the channels to heavy node 1: a plaintext share from a stranger, and a
        // sealed share signed by the pending node's real key. Both are refused and logged.
        forgePlaintext(PartyId.of("intruder"), PartyId.of(heavy1));
        forgeSealed(PartyId.of(outsider), PartyId.of(outsider), PartyId.of(heavy1), fp);
        // And in a live channel, at the number the genuine share will take: a share claiming to come
        // from light 1, signed by light 2. It is quarantined and the genuine share still arrives.
        PartyId light1 = PartyId.of(lights.get(0).get("uid").asText());
        forgeSealed(light1, PartyId.of(lights.get(1).get("uid").asText()), PartyId.of(heavy1), fp);
        Path planted =
                data.resolve(ChannelNames.channel(light1, PartyId.of(heavy1))).resolve("00000000.msg");
        long until = System.nanoTime() + 20_000_000_000L;
        while (Files.exists(planted) && System.nanoTime() < until) {
            Thread.sleep(50); // heavy node 1 takes it out of the channel
        }
        assertFalse(Files.exists(planted), "the forgery was taken out of the channel");

        // B proposes; B runs no heavy node, so the proposal travels as a message, sent by the --from node.
        String prompt = "Secret prompt 7f3a: how many cups of coffee today?";
        String from = lights.get(lights.size() - 1).get("uid").asText();
        CliRun p = on(
                b,
                "comp",
                "propose",
                "--prompt",
                prompt,
                "--threshold",
                "3",
                "--deadline",
                "40s",
                "--from",
                from,
                "--wait",
                "--json");
        assertEquals(0, p.code(), p.toString());
        JsonNode onB = Main.JSON.readTree(p.out());
        String id = onB.get("id").asText();
        assertEquals("revealed", onB.get("status").asText(), onB.toString());
        assertEquals(3, onB.get("participants").asInt());
        List<String> heavy = new ArrayList<>();
        onB.get("heavy").forEach(h -> heavy.add(h.asText()));
        assertEquals(
                List.of(
                        heavies.get(0).get("uid").asText(),
                        heavies.get(1).get("uid").asText(),
                        heavies.get(2).get("uid").asText()),
                heavy,
                "default heavies: the first three in roster order");

        long sum = 0;
        List<Long> shares = new ArrayList<>();
        FormixHome homeB = new FormixHome(b, data);
        for (JsonNode l : lights) {
            try (LightStore s = LightStore.open(homeB, PartyId.of(l.get("uid").asText()))) {
                LightStore.Entry e = s.entry(id).orElseThrow();
                sum += e.answer();
                for (int sh : e.shares()) {
                    shares.add(Integer.toUnsignedLong(sh));
                }
            }
        }
        assertEquals(sum, onB.get("result").asLong(), "the total is the sum of B's light nodes' own answers");

        // A, which runs heavy node 1, shows the same outcome, and recorded the signed sender as the proposer.
        try (io.formix.state.NetworkDb netA = io.formix.state.NetworkDb.open(new FormixHome(a, data))) {
            assertEquals(PartyId.of(from), netA.proposer(id).orElseThrow(), "the --from node sent the proposal");
        }
        JsonNode onA = json(a, "comp", "show", id, "--json");
        assertEquals("revealed", onA.get("status").asText());
        assertEquals(sum, onA.get("result").asLong());
        assertEquals(prompt, onA.get("prompt").asText());
        assertEquals(
                onB.get("result").asLong(),
                json(b, "comp", "show", id, "--json").get("result").asLong());
        // So does C, which runs only a heavy node that took no part.
        JsonNode onC = null;
        for (int i = 0; i < 100; i++) {
            CliRun show = on(c, "comp", "show", id, "--json");
            if (show.code() == 0) {
                onC = Main.JSON.readTree(show.out());
                break;
            }
            Thread.sleep(100); // the result message may still be on its way to C
        }
        assertTrue(onC != null, "C learns the outcome: " + spare);
        assertEquals("revealed", onC.get("status").asText());
        assertEquals(sum, onC.get("result").asLong());

        // Heavy node 1 refused both forgeries with their reasons (node show), and the total did not move.
        Map<String, JsonNode> refused = refusedBy(a, heavy1, List.of("intruder", outsider, light1.value()));
        assertTrue(refused.get("intruder").get("count").asInt() >= 1, refused.toString());
        assertEquals("seal", refused.get(outsider).get("kind").asText(), refused.toString());
        assertEquals("seal", refused.get(light1.value()).get("kind").asText(), refused.toString());
        assertTrue(refused.get(light1.value()).get("lastReason").asText().contains("SIGNATURE"), refused.toString());
        assertFalse(
                refused.values().stream().anyMatch(r -> r.get("kind").asText().equals("error")), refused.toString());

        // The sync operator learns nothing: no prompt, share, total or private key in the folder.
        List<byte[]> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(data)) {
            s.filter(Files::isRegularFile).forEach(f -> {
                assertFalse(f.getFileName().toString().endsWith(".key"), f.toString());
                try {
                    files.add(Files.readAllBytes(f));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertTrue(files.size() > 10, "the run left files to look at: " + files.size());
        List<String> secrets = new ArrayList<>(
                List.of(prompt, "Secret prompt", "\"share\"", "\"sum\"", "\"prompt\"", "\"result\":" + sum));
        for (long sh : shares) {
            if (sh >= 1_000_000) {
                secrets.add(Long.toString(sh));
            }
        }
        for (Path keyDir : List.of(
                a.resolve("admin"),
                b.resolve("nodes").resolve(lights.get(0).get("uid").asText()).resolve("keys"))) {
            JsonNode id0 = Main.JSON.readTree(Files.readAllBytes(keyDir.resolve("identity.key")));
            secrets.add(id0.get("sk").asText());
        }
        for (byte[] f : files) {
            String text = new String(f, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "the data folder holds '" + secret + "'");
            }
        }

        // A stops its nodes: their heartbeats go, and B no longer shows heavy node 1 as running.
        assertEquals(0, on(a, "network", "down").code());
        assertFalse(Files.exists(data.resolve("formix/alive/" + heavy1 + ".json")));
        assertEquals(
                "remote",
                byUid(json(b, "node", "list", "--json"))
                        .get(heavy1)
                        .get("status")
                        .asText());
    }

    /** Writes message 0 of {@code from → to} with a plaintext share, as a writer to the folder could. */
    private void forgePlaintext(PartyId from, PartyId to) throws Exception {
        String body = "{\"v\":1,\"type\":\"share\",\"id\":\"x\",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"computation\":\"c00000000\",\"body\":{\"share\":1000}}";
        writeMessage(from, to, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes message 0 of {@code from → to}, sealed to {@code to}'s real key and signed by the real
     * key of {@code signer} (a node of host B).
     */
    private void forgeSealed(PartyId from, PartyId signer, PartyId to, String fp) throws Exception {
        NetworkDescriptor nd = NetworkDescriptor.verify(DocumentFiles.read(data.resolve("formix/network.json")), fp);
        Roster roster = Roster.verify(DocumentFiles.read(data.resolve("formix/roster.json")), nd, -1);
        NodeDescriptor target = NodeDescriptor.verify(
                        DocumentFiles.read(data.resolve("formix/nodes/" + to + ".json")), nd, roster, -1)
                .orElseThrow();
        NodeKeys keys = Membership.keys(new FormixHome(b, data), signer);
        byte[] env = new Sealer(
                        nd.networkId(), from, keys.identity(), KeyDirectory.of(List.of(target)), Clock.systemUTC(), 0)
                .seal(
                        to,
                        0,
                        ("{\"v\":1,\"type\":\"share\",\"id\":\"x\",\"from\":\"" + from + "\",\"to\":\"" + to
                                        + "\",\"computation\":\"c00000000\",\"body\":{\"share\":1000}}")
                                .getBytes(StandardCharsets.UTF_8));
        writeMessage(from, to, env);
    }

    private void writeMessage(PartyId from, PartyId to, byte[] payload) throws Exception {
        Path ch = data.resolve(ChannelNames.channel(from, to));
        Files.createDirectories(ch);
        byte[] header = new byte[FrameCodec.HEADER_BYTES];
        FrameCodec.putLength(payload.length, header, 0);
        byte[] msg = new byte[header.length + payload.length];
        System.arraycopy(header, 0, msg, 0, header.length);
        System.arraycopy(payload, 0, msg, header.length, payload.length);
        Files.write(ch.resolve("00000000.msg"), msg);
        Files.write(ch.resolve("00000000.ready"), new byte[0]);
    }
}
