package io.formix.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.PartialSum;
import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {

    private static final PartyId A = PartyId.of("light-0001");
    private static final PartyId B = PartyId.of("heavy-1");

    @Test
    void roundTripsEveryBody() throws Exception {
        SharingScheme scheme = SharingSchemes.forId(Bodies.DEFAULT_SCHEME);
        VectorShare[] shares = scheme.share(new int[] {-2});
        byte[] encoded = ShareCodec.encode(shares[1]);
        Envelope e = Envelope.of(MessageType.SHARE, A, B, "c0001", new Bodies.Share(encoded).toJson());
        Envelope d = Envelope.decode(e.encode());
        assertEquals(MessageType.SHARE, d.type());
        assertEquals(A, d.from());
        assertEquals(B, d.to());
        assertEquals("c0001", d.computation());
        assertArrayEquals(encoded, Bodies.Share.parse(d.body()).encoded(), "ShareCodec bytes, base64 on the wire");
        assertTrue(new String(e.encode(), StandardCharsets.UTF_8)
                .contains("\"share\":\"" + java.util.Base64.getEncoder().encodeToString(encoded) + "\""));

        var heavy = List.of(B, PartyId.of("heavy-2"), PartyId.of("heavy-3"));
        ComputeBody c =
                new ComputeBody("q", ResponseSchema.DEFAULT, Bodies.DEFAULT_SCHEME, 3, 123, 5, heavy, List.of(A));
        assertEquals(
                c,
                ComputeBody.parse(Envelope.decode(Envelope.of(MessageType.COMPUTE, B, A, "c1", c.toJson())
                                .encode())
                        .body()));
        assertEquals(Bodies.DEFAULT_SCHEME, c.scheme());
        ComputeBody withQuery = new ComputeBody(
                "q",
                ResponseSchema.DEFAULT,
                Bodies.DEFAULT_SCHEME,
                3,
                123,
                5,
                heavy,
                List.of(),
                "{\"aggregate\":{\"type\":\"count\"},\"dataset\":\"patients\"}",
                new java.math.BigDecimal("0.5"));
        assertEquals(
                withQuery,
                ComputeBody.parse(Envelope.JSON.readTree(withQuery.toJson().toString())));
        assertEquals(c.query(), null, "an announcement without a query carries none");
        ShareAccumulator acc = ShareAccumulator.forContributors(scheme, 1, 1, java.util.Set.of("light-0001"));
        acc.add("light-0001", shares[1]);
        PartialSum p = acc.partialSum();
        assertEquals(
                p,
                Bodies.Partial.parse(Envelope.JSON.readTree(
                                new Bodies.Partial(p).toJson().toString()))
                        .sum());
        var tampered = (com.fasterxml.jackson.databind.node.ObjectNode) new Bodies.Partial(p).toJson();
        tampered.put("digest", "00");
        assertThrows(ProtocolException.class, () -> Bodies.Partial.parse(tampered), "a digest that lies is refused");
    }

    @Test
    void toStringNeverShowsTheBody() {
        byte[] share = ShareCodec.encode(SharingSchemes.additive(3).share(new int[] {987654321})[0]);
        Envelope e = Envelope.of(MessageType.SHARE, A, B, "c1", new Bodies.Share(share).toJson());
        assertFalse(e.toString()
                .contains(java.util.Base64.getEncoder().encodeToString(share).substring(0, 12)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[]",
                "{\"v\":2,\"type\":\"share\"}",
                "{\"v\":1,\"type\":\"gossip\",\"id\":\"1\",\"from\":\"a\",\"to\":\"b\",\"computation\":\"c\",\"body\":{}}",
                "{\"v\":1,\"type\":\"share\",\"id\":\"1\",\"from\":\"A_B\",\"to\":\"b\",\"computation\":\"c\",\"body\":{}}",
                "{\"v\":1,\"type\":\"share\",\"id\":\"1\",\"from\":\"a\",\"to\":\"b\",\"computation\":\"../x\",\"body\":{}}",
                "{\"v\":1,\"type\":\"share\",\"id\":\"1\",\"from\":\"a\",\"to\":\"b\",\"computation\":\"c\",\"body\":3}",
                "{\"v\":\"1\"}",
            })
    void rejectsMalformedEnvelopes(String json) {
        assertThrows(ProtocolException.class, () -> Envelope.decode(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rejectsOutOfRangeOrMistypedBodies() throws Exception {
        var m = Envelope.JSON;
        assertThrows(ProtocolException.class, () -> Bodies.Share.parse(m.readTree("{\"share\":4294967296}")));
        assertThrows(ProtocolException.class, () -> Bodies.Share.parse(m.readTree("{\"share\":-1}")));
        assertThrows(ProtocolException.class, () -> Bodies.Share.parse(m.readTree("{\"share\":1.5}")));
        assertThrows(ProtocolException.class, () -> Bodies.Share.parse(m.readTree("{\"share\":\"lots\"}")));
        assertThrows(
                ProtocolException.class,
                () -> Bodies.Share.parse(m.readTree("{\"share\":\"RlhTAQ==\"}")),
                "a truncated share");
        assertThrows(
                ProtocolException.class,
                () -> ComputeBody.parse(m.readTree(
                        "{\"prompt\":\"q\",\"schema\":{\"type\":\"integer\"},\"scheme\":\"additive-2\",\"threshold\":1,"
                                + "\"deadline\":1,\"graceMs\":1,\"heavy\":[\"h\",\"i\",\"j\"],\"invited\":[]}")),
                "a scheme for another number of heavy nodes");
        assertThrows(
                ProtocolException.class,
                () -> ComputeBody.parse(
                        m.readTree("{\"prompt\":\"q\",\"schema\":{\"type\":\"integer\"},\"threshold\":1,\"deadline\":1,"
                                + "\"graceMs\":1,\"heavy\":[\"h\",\"i\",\"j\"],\"invited\":[],\"dpEpsilon\":\"-1\"}")),
                "a negative epsilon");
        assertThrows(
                ProtocolException.class,
                () -> ComputeBody.parse(
                        m.readTree("{\"prompt\":\"q\",\"schema\":{\"type\":\"integer\"},\"threshold\":1,\"deadline\":1,"
                                + "\"graceMs\":1,\"heavy\":[\"h\",\"i\",\"j\"],\"invited\":[],\"query\":\""
                                + "x".repeat(ComputeBody.MAX_QUERY_CHARS + 1) + "\"}")),
                "an overlong query");
        assertThrows(
                ProtocolException.class, () -> Bodies.Received.parse(m.readTree("{\"lights\":[\"Bad\"],\"late\":0}")));
        assertThrows(
                ProtocolException.class,
                () -> ComputeBody.parse(m.readTree(
                        "{\"prompt\":\"q\",\"schema\":{\"type\":\"integer\"},\"threshold\":1,\"deadline\":1,\"graceMs\":1,"
                                + "\"heavy\":[\"h\",\"h\",\"i\"],\"invited\":[]}")));
    }
}
