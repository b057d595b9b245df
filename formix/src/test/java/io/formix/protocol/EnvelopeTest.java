package io.formix.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        Envelope e = Envelope.of(MessageType.SHARE, A, B, "c0001", new Bodies.Share(-2).toJson());
        Envelope d = Envelope.decode(e.encode());
        assertEquals(MessageType.SHARE, d.type());
        assertEquals(A, d.from());
        assertEquals(B, d.to());
        assertEquals("c0001", d.computation());
        assertEquals(-2, Bodies.Share.parse(d.body()).value(), "unsigned on the wire, int in the ring");
        assertTrue(new String(e.encode(), StandardCharsets.UTF_8).contains("\"share\":4294967294"));

        var heavy = List.of(B, PartyId.of("heavy-2"), PartyId.of("heavy-3"));
        Bodies.Compute c = new Bodies.Compute("q", ResponseSchema.DEFAULT, 3, 123, 5, heavy, List.of(A));
        assertEquals(c, Bodies.Compute.parse(Envelope.decode(
                Envelope.of(MessageType.COMPUTE, B, A, "c1", c.toJson()).encode()).body()));
        assertEquals(-7, Bodies.Partial.parse(new Bodies.Partial(-7).toJson()).sum());
    }

    @Test
    void toStringNeverShowsTheBody() {
        Envelope e = Envelope.of(MessageType.SHARE, A, B, "c1", new Bodies.Share(987654321).toJson());
        assertFalse(e.toString().contains("987654321"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
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
        assertThrows(ProtocolException.class, () -> Bodies.Received.parse(m.readTree("{\"lights\":[\"Bad\"],\"late\":0}")));
        assertThrows(ProtocolException.class, () -> Bodies.Compute.parse(m.readTree(
                "{\"prompt\":\"q\",\"schema\":{\"type\":\"integer\"},\"threshold\":1,\"deadline\":1,\"graceMs\":1,"
                        + "\"heavy\":[\"h\",\"h\",\"i\"],\"invited\":[]}")));
    }
}
