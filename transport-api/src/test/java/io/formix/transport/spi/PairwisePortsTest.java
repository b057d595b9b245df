package io.formix.transport.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PairwisePortsTest {

    /** Ports party {@code self} listens on / connects to with its own base, as in the seed's table. */
    private static List<Integer> ports(int base, int n, int self, boolean listening) {
        List<Integer> ports = new ArrayList<>();
        for (int peer = 0; peer < n; peer++) {
            if (peer != self && PairwisePorts.listens(self, peer) == listening) {
                ports.add(PairwisePorts.port(base, n, self, peer));
            }
        }
        return ports;
    }

    @Test
    void reproducesTheSbproxyTableForThreeParties() {
        assertEquals(List.of(8001, 8002), ports(8000, 3, 0, true));
        assertEquals(List.of(), ports(8000, 3, 0, false));
        assertEquals(List.of(9003), ports(9000, 3, 1, true));
        assertEquals(List.of(9001), ports(9000, 3, 1, false));
        assertEquals(List.of(), ports(10000, 3, 2, true));
        assertEquals(List.of(10002, 10003), ports(10000, 3, 2, false));
    }

    @Test
    void orderOfThePairDoesNotMatterAndLowerPidListens() {
        assertEquals(PairwisePorts.port(100, 3, 1, 2), PairwisePorts.port(100, 3, 2, 1));
        assertTrue(PairwisePorts.listens(0, 2));
        assertFalse(PairwisePorts.listens(2, 0));
    }

    @Test
    void offsetsAreOneToNChooseTwoWithoutGapsOrRepeats() {
        for (int n = 2; n <= 12; n++) {
            Set<Integer> seen = new HashSet<>();
            for (int a = 0; a < n; a++) {
                for (int b = a + 1; b < n; b++) {
                    int off = PairwisePorts.offset(a, b, n);
                    assertEquals(off, PairwisePorts.offset(b, a, n));
                    assertTrue(seen.add(off), "offset repeated for n=" + n);
                    assertTrue(off >= 1 && off <= PairwisePorts.maxOffset(n), "offset " + off + " for n=" + n);
                    assertEquals(20000 + off, PairwisePorts.port(20000, n, a, b));
                }
            }
            assertEquals(PairwisePorts.maxOffset(n), seen.size());
        }
    }

    @Test
    void rejectsImpossibleArguments() {
        assertThrows(IllegalArgumentException.class, () -> PairwisePorts.port(8000, 3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> PairwisePorts.port(8000, 3, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> PairwisePorts.port(8000, 3, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> PairwisePorts.port(65_534, 3, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> PairwisePorts.offset(0, 1, 1));
    }
}
