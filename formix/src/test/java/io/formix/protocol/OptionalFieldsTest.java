package io.formix.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.PartyId;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The optional fields added to existing bodies: a {@code compute}'s {@code proposer} and a {@code
 * result}'s {@code scheme}. Each round-trips through the wire, a body from an older sender without
 * it still parses (as null), and a malformed one is refused.
 */
class OptionalFieldsTest {

    static final PartyId H1 = PartyId.of("heavy-1");
    static final List<PartyId> HEAVY = List.of(H1, PartyId.of("heavy-2"), PartyId.of("heavy-3"));
    static final PartyId PROPOSER = PartyId.of("light-0002");

    static ComputeBody compute(PartyId proposer) {
        return new ComputeBody(
                "q",
                ResponseSchema.DEFAULT,
                "additive-3-z64",
                3,
                123,
                5,
                HEAVY,
                List.of(),
                "{\"aggregate\":{\"type\":\"count\"},\"dataset\":\"patients\"}",
                null,
                proposer);
    }

    static Bodies.Result result(String scheme) {
        return new Bodies.Result(
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
                HEAVY,
                1,
                2,
                "7",
                "{\"aggregate\":{\"type\":\"count\"},\"dataset\":\"patients\"}",
                null,
                scheme);
    }

    static ObjectNode wire(Envelope e) throws ProtocolException {
        return (ObjectNode) Envelope.decode(e.encode()).body();
    }

    @Test
    void aComputeNamesItsProposerAndAnOlderOneWithoutItParsesAsUnknown() throws Exception {
        ComputeBody named = compute(PROPOSER);
        ObjectNode body = wire(Envelope.of(MessageType.COMPUTE, H1, PROPOSER, "c1", named.toJson()));
        assertEquals("light-0002", body.get("proposer").asText());
        assertEquals(named, ComputeBody.parse(body));
        assertEquals(PROPOSER, named.inviting(List.of()).proposer(), "kept in the light nodes' copy");

        body.remove("proposer");
        assertNull(ComputeBody.parse(body).proposer(), "an older heavy node 1 names none");
        assertFalse(compute(null).toJson().has("proposer"), "unknown: the field is left out");

        body.put("proposer", "Not A Uid!");
        assertThrows(ProtocolException.class, () -> ComputeBody.parse(body));
        body.put("proposer", 7);
        assertThrows(ProtocolException.class, () -> ComputeBody.parse(body));
    }

    @Test
    void aResultCarriesTheSchemeAndAnOlderOneWithoutItParsesAsUnknown() throws Exception {
        Bodies.Result r = result("replicated-2of3-z64");
        ObjectNode body = wire(Envelope.of(MessageType.RESULT, H1, PROPOSER, "c1", r.toJson()));
        assertEquals("replicated-2of3-z64", body.get("scheme").asText());
        assertEquals(r, Bodies.Result.parse(body));
        assertEquals("replicated-2of3-z64", r.withoutValue().scheme(), "a light node's small copy keeps it");

        body.remove("scheme");
        assertNull(Bodies.Result.parse(body).scheme(), "an older heavy node 1 sends none");
        assertFalse(result(null).toJson().has("scheme"));

        body.put("scheme", "no-such-scheme");
        assertThrows(ProtocolException.class, () -> Bodies.Result.parse(body));
        body.put("scheme", "additive-2");
        assertThrows(ProtocolException.class, () -> Bodies.Result.parse(body));
    }
}
