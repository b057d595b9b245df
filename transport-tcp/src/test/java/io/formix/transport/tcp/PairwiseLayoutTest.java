package io.formix.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.formix.transport.PartyId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pairwise layout over the shared port rule ({@link io.formix.transport.spi.PairwisePorts}, tested in transport-api). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PairwiseLayoutTest {

    @Test
    void rejectsAPidOutsideTheLayout() {
        assertThrows(IllegalArgumentException.class, () -> PairwiseLayout.numeric(3, 3, 8000));
        assertThrows(IllegalArgumentException.class, () -> PairwiseLayout.numeric(1, 3, 65_534), "ports beyond 65535");
    }

    @Test
    void layoutMapsPidsToIdsAndPorts() {
        PairwiseLayout l = PairwiseLayout.numeric(1, 3, 9000)
                .withParties(List.of(PartyId.of("a"), PartyId.of("b"), PartyId.of("c")));
        assertEquals(PartyId.of("b"), l.party(l.selfPid()));
        assertEquals(2, l.pidOf(PartyId.of("c")));
        assertEquals(-1, l.pidOf(PartyId.of("d")));
        assertEquals(9001, l.portWith(0));
        assertEquals(9003, l.portWith(2));
        assertEquals(PartyId.of("1"), PairwiseLayout.numeric(1, 3, 9000).party(1));
        assertThrows(
                IllegalArgumentException.class,
                () -> l.withParties(List.of(PartyId.of("a"), PartyId.of("a"), PartyId.of("c"))));
    }
}
