package io.formix.node;

import static io.formix.node.HeavyCoreTest.DEADLINE;
import static io.formix.node.HeavyCoreTest.GRACE;
import static io.formix.node.HeavyCoreTest.H1;
import static io.formix.node.HeavyCoreTest.H2;
import static io.formix.node.HeavyCoreTest.H3;
import static io.formix.node.HeavyCoreTest.HEAVY;
import static io.formix.node.HeavyCoreTest.ID;
import static io.formix.node.HeavyCoreTest.LIGHTS;
import static io.formix.node.HeavyCoreTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.formix.dp.NoiseSpec;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.node.HeavyCoreTest.Cluster;
import io.formix.protocol.ResponseSchema;
import io.formix.query.Canonical;
import io.formix.query.QueryParser;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.state.HeavyStore.State;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Query computations in the heavy-node core, without threads and on a fixed clock: 64-bit totals
 * revealed and decoded exactly, shares held to the computation's ring and length, the wrap guard
 * checked again by heavy node 1, and the noise of differential privacy each heavy node adds.
 */
class QueryCoreTest {

    static final String Z64 = "additive-3-z64";

    static String canonical(String query) {
        return Canonical.json(QueryParser.parse(query));
    }

    static void propose(Cluster c, String query, BigDecimal epsilon, String scheme) throws Exception {
        propose(c, query, epsilon, scheme, 3);
    }

    static void propose(Cluster c, String query, BigDecimal epsilon, String scheme, int threshold) throws Exception {
        c.scheme = scheme;
        ComputationRecord r = new ComputationRecord(
                        ID,
                        "q",
                        ResponseSchema.DEFAULT.toJsonText(),
                        threshold,
                        DEADLINE,
                        GRACE,
                        HEAVY,
                        Status.PROPOSED,
                        0,
                        0,
                        0,
                        -1,
                        null,
                        0,
                        T0,
                        0,
                        scheme)
                .withQuery(canonical(query), epsilon);
        c.run(H1, new HeavyCore.Proposal(r, LIGHTS, scheme), T0);
    }

    /** {@code light} sends its answer {@code cells}, shared (compressed when long) with the 64-bit scheme. */
    static void answer(Cluster c, PartyId light, long[] cells) throws Exception {
        var scheme = SharingSchemes.forId(c.scheme);
        VectorShare[] shares = cells.length > 16 ? scheme.shareCompressed(cells) : scheme.share(cells);
        for (int i = 0; i < 3; i++) {
            c.deliver(HeavyCoreTest.share(light, HEAVY.get(i), shares[i]), T0 + 1);
        }
    }

    static JsonNode value(Cluster c) throws Exception {
        List<Effect.Reveal> r = c.outside(Effect.Reveal.class);
        assertEquals(1, r.size(), "revealed once: " + c.outside);
        assertNotEquals(null, r.get(0).value(), "a query computation reveals a typed value");
        return new ObjectMapper().readTree(r.get(0).value());
    }

    @Test
    void aSumWhoseTotalExceeds2To32IsRevealedAndDecodedExactly() throws Exception {
        Cluster c = new Cluster();
        propose(
                c,
                "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":0,\"max\":10000000000,"
                        + "\"decimals\":2},\"maxRows\":1000}",
                null,
                Z64);
        assertEquals(
                canonical("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":0,"
                        + "\"max\":10000000000,\"decimals\":2},\"maxRows\":1000}"),
                c.entry(H3).query(),
                "the compute body carried the query to heavy node 3");
        long[] cents = {123_456_789_012L, 400_000_000_000L, 1L};
        for (int i = 0; i < 3; i++) {
            answer(c, LIGHTS.get(i), new long[] {cents[i]});
        }
        BigInteger total =
                BigInteger.valueOf(cents[0]).add(BigInteger.valueOf(cents[1])).add(BigInteger.ONE);
        assertTrue(total.compareTo(BigInteger.ONE.shiftLeft(32)) > 0, "above 2^32");
        String value = c.outside(Effect.Reveal.class).get(0).value();
        assertEquals(new BigDecimal(total, 2).toPlainString(), value, "5234567890.13, exactly, with its 2 decimals");
        assertEquals(-1, c.outside(Effect.Reveal.class).get(0).total(), "no 32-bit total");
        assertEquals(State.REVEALED, c.entry(H1).state());
    }

    @Test
    void aLongVectorTravelsSeedCompressedAndSumsExactly() throws Exception {
        Cluster c = new Cluster();
        int n = 1000;
        propose(
                c,
                "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"vector\",\"length\":" + n
                        + ",\"clip\":1000000000000,\"fractionalBits\":0}}",
                null,
                Z64);
        long[][] answers = new long[3][n];
        Random r = new Random(5);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < n; j++) {
                answers[i][j] = r.nextLong() % 1_000_000_000_000L;
            }
            answer(c, LIGHTS.get(i), answers[i]);
        }
        JsonNode sum = value(c).get("sum");
        assertEquals(n, sum.size());
        for (int j = 0; j < n; j++) {
            long expected = answers[0][j] + answers[1][j] + answers[2][j];
            assertEquals(expected, sum.get(j).asLong(), "element " + j);
        }
    }

    @Test
    void sharesOfTheWrongLengthOrRingAreRefusedAndNotStored() throws Exception {
        Cluster c = new Cluster();
        propose(c, "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"}}", null, Z64);
        VectorShare[] two = SharingSchemes.forId(Z64).share(new long[] {1, 2});
        IllegalStateException length = assertThrows(
                IllegalStateException.class, () -> c.deliver(HeavyCoreTest.share(LIGHTS.get(0), H1, two[0]), T0 + 1));
        assertTrue(
                length.getMessage().contains("share refused for " + ID + " (1 cell(s) mod 2^64)"), length.getMessage());
        VectorShare[] ring32 = SharingSchemes.forId("additive-3").share(new int[] {1});
        IllegalStateException ring = assertThrows(
                IllegalStateException.class,
                () -> c.deliver(HeavyCoreTest.share(LIGHTS.get(0), H2, ring32[1]), T0 + 1));
        assertTrue(ring.getMessage().contains("mod 2^64"), ring.getMessage());
        assertTrue(c.stores.get(H1).shareHolders(ID).isEmpty(), "nothing stored at heavy node 1");
        assertTrue(c.stores.get(H2).shareHolders(ID).isEmpty(), "nothing stored at heavy node 2");
        answer(c, LIGHTS.get(0), new long[] {1});
        assertEquals(1, c.stores.get(H1).shareHolders(ID).size(), "a share of the right ring and length is taken");
    }

    @Test
    void heavyNode1RefusesAProposalWhoseTotalCouldWrapNamingTheLargestNodeCount() throws Exception {
        Cluster c = new Cluster();
        // one node's answer is up to 4 rows × 10^18: two nodes fit in 2^63 − 1, three do not
        propose(
                c,
                "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"x\",\"min\":0,"
                        + "\"max\":1000000000000000000,\"decimals\":0},\"maxRows\":4}",
                null,
                Z64);
        List<Effect.Fail> fail = c.outside(Effect.Fail.class);
        assertEquals(1, fail.size(), c.outside.toString());
        assertTrue(
                fail.get(0).reason().contains("the total over 3 nodes could wrap mod 2^64"),
                fail.get(0).reason());
        assertTrue(
                fail.get(0).reason().contains("at most 2 nodes fit"),
                fail.get(0).reason());
        assertTrue(c.outside(Effect.Broadcast.class).isEmpty(), "nothing announced");
        assertTrue(c.stores.get(H2).entry(ID).isEmpty());
    }

    @Test
    void heavyNode1RefusesAQueryOnA32BitSchemeAndDifferentialPrivacyWithReplicatedSharing() throws Exception {
        Cluster c = new Cluster();
        propose(c, "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"}}", null, "additive-3");
        assertTrue(c.outside(Effect.Fail.class).get(0).reason().contains("shares over Z/2^64"));
        Cluster r = new Cluster();
        propose(r, "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"}}", BigDecimal.ONE, "replicated-2of3-z64");
        assertTrue(r.outside(Effect.Fail.class).get(0).reason().contains("--dp-epsilon needs --scheme additive"));
    }

    @Test
    void eachHeavyNodeAddsTheNoiseItsSpecDrawsToItsOwnPartialSum() throws Exception {
        String query = "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"}}";
        BigDecimal epsilon = new BigDecimal("0.5");
        NoiseSpec spec = NoiseSpec.of(QueryParser.parse(query).aggregate(), epsilon);
        long noise = 0;
        int seed = 0;
        while (noise == 0) { // the first seeds whose three draws do not cancel out, so the noise shows
            seed += 3;
            noise = 0;
            for (int i = 0; i < 3; i++) {
                noise += spec.addNoise(new long[] {0}, new Random(seed + i))[0];
            }
        }
        Cluster c = new Cluster();
        for (int i = 0; i < 3; i++) {
            c.cores.get(HEAVY.get(i)).noiseFrom(new Random(seed + i));
        }
        propose(c, query, epsilon, Z64);
        assertEquals(epsilon, c.entry(H2).dpEpsilon(), "the compute body carried ε");
        answer(c, LIGHTS.get(0), new long[] {40});
        answer(c, LIGHTS.get(1), new long[] {2});
        answer(c, LIGHTS.get(2), new long[] {0});
        assertEquals(42 + noise, value(c).asLong(), "the total moved by exactly the three draws");
        // heavy node 2 restarts while aggregating: it sends the same noised partial sum, not a new draw
        String first = c.stores.get(H1).partials(ID).get(H2);
        c.cores.get(H2).noiseFrom(new Random(seed + 1_000));
        List<Effect> again = c.run(H2, new HeavyCore.Resume(), T0 + 5);
        Effect.Send resent = again.stream()
                .filter(e -> e instanceof Effect.Send)
                .map(Effect.Send.class::cast)
                .findFirst()
                .orElseThrow();
        assertEquals(
                first,
                io.formix.protocol.PartialSums.encode(
                        io.formix.protocol.Bodies.Partial.parse(resent.message().body())
                                .sum()),
                "one draw per heavy node");
        assertNull(c.outside(Effect.Fail.class).stream().findFirst().orElse(null));
    }

    @Test
    void aShareStoredBeforeTheComputationWasKnownIsCheckedAtTheCloseAndLeftOutIfWrong() throws Exception {
        Cluster c = new Cluster();
        c.down.add(H2); // heavy node 2 gets compute late
        propose(c, "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"}}", null, Z64, 2);
        c.down.remove(H2);
        VectorShare[] two = SharingSchemes.forId(Z64).share(new long[] {1, 2});
        c.deliver(HeavyCoreTest.share(LIGHTS.get(0), H2, two[1]), T0 + 1); // unknown there yet: stored unchecked
        assertEquals(1, c.stores.get(H2).shareHolders(ID).size());
        var compute = new io.formix.protocol.ComputeBody(
                "q",
                ResponseSchema.DEFAULT,
                Z64,
                2,
                DEADLINE,
                GRACE,
                HEAVY,
                LIGHTS,
                canonical("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"count\"}}"),
                null);
        c.deliver(
                io.formix.protocol.Envelope.of(io.formix.protocol.MessageType.COMPUTE, H1, H2, ID, compute.toJson()),
                T0 + 2);
        answer(c, LIGHTS.get(0), new long[] {5}); // its good share reaches heavy node 2 as a duplicate
        answer(c, LIGHTS.get(1), new long[] {7});
        answer(c, LIGHTS.get(2), new long[] {11});
        List<Effect.Reveal> r = c.outside(Effect.Reveal.class);
        assertEquals(1, r.size(), c.outside.toString());
        assertEquals(2, r.get(0).participants(), "light-0001's share at heavy node 2 was of the wrong length");
        assertEquals("18", r.get(0).value());
    }
}
