package io.formix.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.formix.transport.PartyId;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The invited list of a row is parsed once per text; every entry still gets a set of its own. */
@Timeout(10)
class HeavyStoreTablesTest {

    @Test
    void theSameInvitedTextGivesEqualSetsThatAreEachTheirOwn() {
        TreeSet<PartyId> a = HeavyStoreTables.invited("light-0002,light-0001");
        TreeSet<PartyId> b = HeavyStoreTables.invited("light-0002,light-0001");
        assertEquals(List.of(PartyId.of("light-0001"), PartyId.of("light-0002")), List.copyOf(a));
        assertEquals(a, b);
        assertNotSame(a, b);
        a.add(PartyId.of("light-0009")); // a caller's change stays its own
        assertEquals(2, HeavyStoreTables.invited("light-0002,light-0001").size());
        assertEquals(List.of(PartyId.of("light-0003")), List.copyOf(HeavyStoreTables.invited("light-0003")));
        assertEquals(0, HeavyStoreTables.invited("").size());
    }
}
