package io.formix.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The protocol's largest legitimate messages fit the bounds of {@link MessageLimits}, and the bounds are tight. */
class MessageLimitsTest {

    static final PartyId H1 = PartyId.of("h".repeat(63));
    static final PartyId H2 = PartyId.of("i".repeat(63));
    static final PartyId H3 = PartyId.of("j".repeat(63));
    static final String COMP = "c".repeat(63);
    /** A query text of the longest length, every character written as a 6-byte escape. */
    static final String LONGEST_QUERY = "\u0001".repeat(ComputeBody.MAX_QUERY_CHARS);
    /** An ε of 40 characters, the longest a compute body takes. */
    static final java.math.BigDecimal LONGEST_EPSILON = new java.math.BigDecimal("0." + "1".repeat(38));

    /** 100 000 distinct ids of the longest length a party id may have. */
    static List<PartyId> longestIds() {
        List<PartyId> ids = new ArrayList<>(Bodies.MAX_LIGHTS);
        for (int i = 0; i < Bodies.MAX_LIGHTS; i++) {
            String n = Integer.toString(i);
            ids.add(PartyId.of("l".repeat(63 - n.length()) + n));
        }
        return ids;
    }

    /** An envelope with the longest id (64 characters that all need escaping) a sender may use. */
    static byte[] encode(MessageType type, PartyId to, com.fasterxml.jackson.databind.JsonNode body) {
        return new Envelope(1, type, "\u0001".repeat(64), H1, to, COMP, body).encode();
    }

    @Test
    void theLargestMessagesToHeavyNodesFit() throws Exception {
        List<PartyId> ids = longestIds();
        Set<PartyId> set = new TreeSet<>(ids);
        String prompt = "\u0001".repeat(Bodies.MAX_TEXT); // every character written as a 6-byte escape
        ResponseSchema schema = new ResponseSchema("number", -1.2345678901234567E-300, 1.2345678901234567E300);
        byte[] compute = encode(
                MessageType.COMPUTE,
                H2,
                new ComputeBody(
                                prompt,
                                schema,
                                Bodies.DEFAULT_SCHEME,
                                Bodies.MAX_LIGHTS,
                                Long.MAX_VALUE,
                                3_600_000,
                                List.of(H1, H2, H3),
                                ids,
                                LONGEST_QUERY,
                                LONGEST_EPSILON,
                                PartyId.of("p".repeat(63)))
                        .toJson());
        byte[] received = encode(MessageType.RECEIVED, H1, new Bodies.Received(set, Integer.MAX_VALUE).toJson());
        byte[] aggregate = encode(MessageType.AGGREGATE, H2, new Bodies.Aggregate(set).toJson());
        List<String> contributors = new java.util.ArrayList<>();
        ids.forEach(id -> contributors.add(id.value()));
        // A replicated heavy node holds two components: the largest partial sum.
        byte[] partial = encode(
                MessageType.PARTIAL,
                H1,
                new Bodies.Partial(new io.formix.mpc.PartialSum(
                                1, new int[] {1, 2}, new int[][] {{-1}, {-1}}, contributors))
                        .toJson());
        for (byte[] m : List.of(compute, received, aggregate, partial)) {
            assertTrue(m.length <= MessageLimits.HEAVY_SUM, m.length + " > " + MessageLimits.HEAVY_SUM);
            assertTrue(m.length <= MessageLimits.MAX_TO_HEAVY);
            Envelope.decode(m); // and it is still a valid message
        }
        // The arithmetic is close, not a wild guess: within 1 % of the largest real message.
        assertTrue(compute.length > MessageLimits.HEAVY_SUM * 0.99, compute.length + " vs " + MessageLimits.HEAVY_SUM);
        assertEquals(
                Bodies.MAX_LIGHTS,
                ComputeBody.parse(Envelope.decode(compute).body()).invited().size());
    }

    @Test
    void theLargestMessagesToLightNodesFit() throws Exception {
        String prompt = "\u0001".repeat(Bodies.MAX_TEXT);
        ResponseSchema schema = new ResponseSchema("number", -1.2345678901234567E-300, 1.2345678901234567E300);
        byte[] compute = encode(
                MessageType.COMPUTE,
                PartyId.of("l".repeat(63)),
                new ComputeBody(
                                prompt,
                                schema,
                                Bodies.DEFAULT_SCHEME,
                                Bodies.MAX_LIGHTS,
                                Long.MAX_VALUE,
                                3_600_000,
                                List.of(H1, H2, H3),
                                List.of(),
                                LONGEST_QUERY,
                                LONGEST_EPSILON,
                                PartyId.of("p".repeat(63)))
                        .toJson());
        assertTrue(compute.length <= MessageLimits.LIGHT_SUM, compute.length + " > " + MessageLimits.LIGHT_SUM);
        assertTrue(compute.length <= MessageLimits.MAX_TO_LIGHT);
        // What a light node sends (a decline with the longest reason) fits its own bound too.
        byte[] decline = encode(MessageType.DECLINE, H1, new Bodies.Decline("\u0001".repeat(Bodies.MAX_TEXT)).toJson());
        assertTrue(decline.length <= MessageLimits.MAX_TO_LIGHT, decline.length + "");
    }

    @Test
    void vectorMessagesToHeavyNodesFollowTheirCellCountAndTheLongestQueryVectorFits() {
        // a 1,000,000-element share: the one explicit component, 8 bytes an element, in base64
        long share = MessageLimits.shareMessageBytes(1_000_000);
        assertTrue(share > 8_000_000L * 4 / 3, share + "");
        assertTrue(share <= MessageLimits.MAX_TO_HEAVY);
        assertTrue(MessageLimits.shareMessageBytes(MessageLimits.MAX_CELLS) <= MessageLimits.MAX_TO_HEAVY);
        assertTrue(MessageLimits.VECTOR_SUM <= MessageLimits.MAX_TO_HEAVY);
        assertTrue(MessageLimits.VECTOR_SUM > MessageLimits.MAX_TO_HEAVY * 0.99, "the bound is the sum rounded up");
        assertEquals(
                MessageLimits.base64(MessageLimits.shareBytes(MessageLimits.MAX_CELLS)),
                (long) Bodies.Share.MAX_CHARS,
                "a share message's field takes the longest vector's share");
        // a light node's bound stays small: no share or partial sum is ever sent to it
        assertTrue(MessageLimits.MAX_TO_LIGHT <= 128 * 1024);
    }

    @Test
    void aMillionElementSeedCompressedShareFitsAHeavyNodesBoundAndParses() throws Exception {
        long[] v = new long[1_000_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 7_919L - 3_000_000_000L;
        }
        io.formix.mpc.VectorShare[] shares =
                io.formix.mpc.SharingSchemes.forId("additive-3-z64").shareCompressed(v);
        for (io.formix.mpc.VectorShare share : shares) {
            byte[] m = encode(MessageType.SHARE, H2, new Bodies.Share(io.formix.mpc.ShareCodec.encode(share)).toJson());
            assertTrue(m.length <= MessageLimits.shareMessageBytes(v.length), m.length + " bytes");
            assertTrue(m.length <= MessageLimits.MAX_TO_HEAVY);
            Bodies.Share back = Bodies.Share.parse(Envelope.decode(m).body());
            assertTrue(io.formix.mpc.ShareCodec.encode(share).length <= MessageLimits.shareBytes(v.length));
            assertEquals(
                    v.length,
                    io.formix.mpc.ShareCodec.decodeShare(back.encoded(), v.length, 64)
                            .length());
        }
        // the largest of the three (the explicit component) is close to the arithmetic: within 1 %
        byte[] explicit =
                encode(MessageType.SHARE, H3, new Bodies.Share(io.formix.mpc.ShareCodec.encode(shares[2])).toJson());
        assertTrue(explicit.length > MessageLimits.shareMessageBytes(v.length) * 0.99, explicit.length + "");
    }

    @Test
    void aResultCarriesAQueryComputationsValueQueryAndEpsilonAndCanLeaveTheValueOut() throws Exception {
        List<PartyId> heavy = List.of(H1, H2, H3);
        Bodies.Result r = new Bodies.Result(
                "revealed",
                -1,
                3,
                3,
                3,
                0,
                null,
                ResponseSchema.DEFAULT,
                3,
                5,
                5,
                heavy,
                1,
                2,
                "{\"sum\":200.00,\"count\":6,\"mean\":33.33}",
                "{\"dataset\":\"d\"}",
                new java.math.BigDecimal("0.50"),
                "additive-3-z64");
        Bodies.Result back = Bodies.Result.parse(
                Envelope.decode(encode(MessageType.RESULT, H2, r.toJson())).body());
        assertEquals(r, back);
        assertEquals("{\"sum\":200.00,\"count\":6,\"mean\":33.33}", back.value(), "decimals exact");
        Bodies.Result small = Bodies.Result.parse(r.withoutValue().toJson());
        assertEquals(null, small.value());
        assertEquals(null, small.query());
        assertEquals(-1, small.result());
        assertEquals("revealed", small.status());
        var bad = (com.fasterxml.jackson.databind.node.ObjectNode) r.toJson();
        bad.put("value", "{not json");
        assertEquals(
                "field 'value' is not JSON",
                org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, () -> Bodies.Result.parse(bad))
                        .getMessage());
    }
}
