package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.data.Budget;
import io.formix.data.CsvSource;
import io.formix.data.DataSourceStore;
import io.formix.data.SourceSpec;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.policy.ApprovalMode;
import io.formix.policy.PolicyStore;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.query.Canonical;
import io.formix.query.QueryParser;
import io.formix.state.LightStore;
import io.formix.state.NodeRecord.Approval;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running light node (a real host, its light-tick pool and the evaluation pool) answering a query
 * computation under {@code --approval policy}; the heavy nodes are bare transports of the test.
 */
@Timeout(60)
class LightQueryHostTest {

    @TempDir
    Path dir;

    static final String COUNT_65 = "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\","
            + "\"value\":65}],\"aggregate\":{\"type\":\"count\"}}";

    /** A 10,000-row CSV source (ages 0..99 in turn) registered on {@code light}. */
    void patients(TestNetwork net, PartyId light) throws Exception {
        Path csv = dir.resolve("patients.csv");
        StringBuilder rows = new StringBuilder("id,age\n");
        for (int i = 0; i < 10_000; i++) {
            rows.append(i).append(',').append(i % 100).append('\n');
        }
        Files.writeString(csv, rows);
        Files.createDirectories(net.home.nodeDb(light).getParent());
        try (DataSourceStore s = DataSourceStore.open(net.home, light)) {
            s.add(
                    CsvSource.inspect(
                            "patients",
                            csv,
                            SourceSpec.DEFAULT_CSV_MAX_BYTES,
                            Map.of(),
                            Budget.of(100_000, Duration.ofSeconds(10))),
                    0);
        }
    }

    static void announce(Transport h1, PartyId light, String id) throws Exception {
        ComputeBody body = new ComputeBody(
                "how many?",
                ResponseSchema.DEFAULT,
                "additive-3-z64",
                1,
                System.currentTimeMillis() + 30_000,
                2_000,
                HeavyCoreTest.HEAVY,
                List.of(),
                Canonical.json(QueryParser.parse(COUNT_65)),
                null);
        h1.send(
                light,
                Envelope.of(MessageType.COMPUTE, HeavyCoreTest.H1, light, id, body.toJson())
                        .encode());
    }

    static String readLog(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** The answer the three heavy nodes' shares add up to. */
    static long[] shares(List<Transport> heavy, PartyId light) throws Exception {
        List<VectorShare> shares = new ArrayList<>();
        for (Transport t : heavy) {
            Message m = t.receive(light, Duration.ofSeconds(20)).orElseThrow();
            Envelope e = Envelope.decode(m.payload());
            assertEquals(MessageType.SHARE, e.type());
            shares.add(ShareCodec.decodeShare(
                    Base64.getDecoder().decode(e.body().get("share").asText()), 1));
        }
        return SharingSchemes.forId("additive-3-z64").reconstructLongs(shares);
    }

    @Test
    void theOwnersApprovalWrittenByTheServiceIsCarriedOutByTheRunningNode() throws Exception {
        try (TestNetwork net = new TestNetwork(dir.resolve("home"), 3, 1, Approval.AUTO)) {
            PartyId light = PartyId.of("light-0001");
            patients(net, light);
            List<Transport> heavy = new ArrayList<>();
            for (PartyId h : HeavyCoreTest.HEAVY) {
                heavy.add(net.memory.open(h));
            }
            net.start(List.of(net.node("light-0001")));
            announce(heavy.get(0), light, "c00000002");
            io.formix.service.OwnerService owner = new io.formix.service.OwnerService(
                    new io.formix.service.Home(net.home.home(), null, () -> "file"), java.time.Clock.systemUTC());
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (owner.inbox("light-0001").isEmpty() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertEquals(1, owner.inbox("light-0001").size(), () -> "node.log: " + readLog(net.home.nodeLog(light)));
            assertEquals("c00000002", owner.inbox("light-0001").get(0).id(), "waits for its owner");
            assertTrue(heavy.get(0).receive(light, Duration.ofMillis(300)).isEmpty(), "nothing sent before approval");
            String hash = owner.review("c00000002", "light-0001").review().proposalHash();
            assertEquals(hash, owner.approve("c00000002", "light-0001", null));
            assertArrayEquals(new long[] {3_500}, shares(heavy, light), "answered at the node's next tick");
            for (Transport t : heavy) {
                t.close();
            }
        }
    }

    @Test
    void aRunningLightNodeEvaluatesOffItsLockAndSendsTheSharesOfItsAnswer() throws Exception {
        try (TestNetwork net = new TestNetwork(dir.resolve("home"), 3, 1, Approval.AUTO)) {
            PartyId light = PartyId.of("light-0001");
            Path csv = dir.resolve("patients.csv");
            StringBuilder rows = new StringBuilder("id,age\n");
            for (int i = 0; i < 10_000; i++) {
                rows.append(i).append(',').append(i % 100).append('\n');
            }
            Files.writeString(csv, rows);
            Files.createDirectories(net.home.nodeDb(light).getParent());
            try (DataSourceStore s = DataSourceStore.open(net.home, light)) {
                s.add(
                        CsvSource.inspect(
                                "patients",
                                csv,
                                SourceSpec.DEFAULT_CSV_MAX_BYTES,
                                Map.of(),
                                Budget.of(100_000, Duration.ofSeconds(10))),
                        0);
            }
            try (PolicyStore p = PolicyStore.open(net.home, light)) {
                p.setApproval(ApprovalMode.POLICY, Instant.now());
            }
            List<Transport> heavy = new ArrayList<>();
            for (PartyId h : HeavyCoreTest.HEAVY) {
                heavy.add(net.memory.open(h));
            }
            net.start(List.of(net.node("light-0001")));
            String query = "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
                    + "\"aggregate\":{\"type\":\"count\"}}";
            ComputeBody body = new ComputeBody(
                    "how many?",
                    ResponseSchema.DEFAULT,
                    "additive-3-z64",
                    1,
                    System.currentTimeMillis() + 30_000,
                    2_000,
                    HeavyCoreTest.HEAVY,
                    List.of(),
                    Canonical.json(QueryParser.parse(query)),
                    null);
            heavy.get(0)
                    .send(
                            light,
                            Envelope.of(MessageType.COMPUTE, HeavyCoreTest.H1, light, "c00000001", body.toJson())
                                    .encode());
            List<VectorShare> shares = new ArrayList<>();
            for (Transport t : heavy) {
                Message m = t.receive(light, Duration.ofSeconds(20)).orElseThrow();
                Envelope e = Envelope.decode(m.payload());
                assertEquals(MessageType.SHARE, e.type());
                shares.add(ShareCodec.decodeShare(
                        Base64.getDecoder().decode(e.body().get("share").asText()), 1));
            }
            assertArrayEquals(
                    new long[] {3_500},
                    SharingSchemes.forId("additive-3-z64").reconstructLongs(shares),
                    "ages 65..99 in 35 of every 100 rows");
            try (LightStore s = LightStore.open(net.home, light)) {
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (s.entry("c00000001").orElseThrow().state() != LightStore.State.SENT && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertEquals(
                        LightStore.State.SENT,
                        s.entry("c00000001").orElseThrow().state());
            }
            for (Transport t : heavy) {
                t.close();
            }
            assertTrue(net.hosts.size() == 1);
        }
    }
}
