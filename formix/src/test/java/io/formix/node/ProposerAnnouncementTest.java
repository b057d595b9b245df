package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.formix.protocol.Bodies;
import io.formix.protocol.ComputeBody;
import io.formix.protocol.Envelope;
import io.formix.protocol.MessageType;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.ComputationRecord.Status;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Heavy node 1 names in its {@code compute} the proposer its record holds: to heavy nodes 2 and 3
 * and to every invited light node, in the body it signs. The core without threads, a fixed time.
 */
class ProposerAnnouncementTest {

    static final PartyId PROPOSER = PartyId.of("light-0002");

    static ComputationRecord record(PartyId proposer) {
        return new ComputationRecord(
                        HeavyCoreTest.ID,
                        "q",
                        ResponseSchema.DEFAULT.toJsonText(),
                        1,
                        HeavyCoreTest.DEADLINE,
                        HeavyCoreTest.GRACE,
                        HeavyCoreTest.HEAVY,
                        Status.PROPOSED,
                        0,
                        0,
                        0,
                        -1,
                        null,
                        0,
                        HeavyCoreTest.T0,
                        0)
                .withProposer(proposer);
    }

    /** Every compute heavy node 1 sent for the proposal of {@code r}: to heavy nodes first, then the lights. */
    static List<Envelope> computes(ComputationRecord r) throws Exception {
        HeavyCoreTest.Cluster c = new HeavyCoreTest.Cluster();
        List<Effect> fx = c.run(
                HeavyCoreTest.H1,
                new HeavyCore.Proposal(r, HeavyCoreTest.LIGHTS, Bodies.DEFAULT_SCHEME),
                HeavyCoreTest.T0);
        List<Envelope> out = new ArrayList<>();
        for (Effect e : fx) {
            if (e instanceof Effect.Send s && s.message().type() == MessageType.COMPUTE) {
                out.add(s.message());
            } else if (e instanceof Effect.Broadcast b) {
                out.addAll(b.messages());
            }
        }
        assertEquals(2 + HeavyCoreTest.LIGHTS.size(), out.size(), "heavy nodes 2, 3 and three light nodes: " + fx);
        return out;
    }

    @Test
    void heavyNode1NamesTheProposerOfItsRecordToHeavyAndLightNodes() throws Exception {
        for (Envelope m : computes(record(PROPOSER))) {
            // decoded from the wire, as the receiver reads it
            ComputeBody body = ComputeBody.parse(Envelope.decode(m.encode()).body());
            assertEquals(PROPOSER, body.proposer(), "compute to " + m.to());
            assertEquals(HeavyCoreTest.H1, m.from());
        }
    }

    @Test
    void anUnknownProposerIsLeftOutOfTheBody() throws Exception {
        for (Envelope m : computes(record(null))) {
            assertFalse(m.body().has("proposer"), m.body().toString());
            assertNull(ComputeBody.parse(m.body()).proposer());
        }
    }
}
