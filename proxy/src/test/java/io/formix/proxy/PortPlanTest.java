package io.formix.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortPlanTest {

    /** The seed's table (001_*, three parties, bases 8000/9000/10000), from the application's side. */
    @Test
    void reproducesTheSeedPortTable() {
        int[] bases = {8000, 9000, 10000};
        List<String> table = new ArrayList<>();
        for (int pid = 0; pid < 3; pid++) {
            List<Integer> appListens = new ArrayList<>();
            List<Integer> appConnects = new ArrayList<>();
            for (Link l : PortPlan.linksOf(pid, 3, bases[pid], bases[pid])) {
                // The proxy inverts the application's role.
                (l.role() == Link.Role.CONNECT ? appListens : appConnects).add(l.port());
            }
            table.add("CP" + pid + " " + bases[pid] + " listens " + appListens + " connects " + appConnects);
        }
        assertEquals(
                List.of(
                        "CP0 8000 listens [8001, 8002] connects []",
                        "CP1 9000 listens [9003] connects [9001]",
                        "CP2 10000 listens [] connects [10002, 10003]"),
                table);
    }

    @Test
    void proxyRolesAndPortsForTheSeedSetup() {
        assertEquals(
                List.of(new Link(1, 0, Link.Role.LISTEN, 9001), new Link(1, 2, Link.Role.CONNECT, 9003)),
                PortPlan.linksOf(1, 3, 9000, 9000));
        // Distinct bases: the proxy listens on --base-port, connects to --sequre-base-port.
        assertEquals(
                List.of(new Link(1, 0, Link.Role.LISTEN, 5001), new Link(1, 2, Link.Role.CONNECT, 7003)),
                PortPlan.linksOf(1, 3, 5000, 7000));
    }

    @Test
    void bothEndsOfAPairAgreeOnThePortWhenBasesMatch() {
        int n = 5;
        for (int i = 0; i < n; i++) {
            for (Link l : PortPlan.linksOf(i, n, 30000, 30000)) {
                Link back = PortPlan.linksOf(l.peer(), n, 30000, 30000).stream()
                        .filter(x -> x.peer() == l.pid())
                        .findFirst()
                        .orElseThrow();
                assertEquals(l.port(), back.port());
                assertTrue(l.role() != back.role());
            }
        }
    }

    @Test
    void rejectsOutOfRangeInput() {
        assertThrows(IllegalArgumentException.class, () -> PortPlan.linksOf(3, 3, 8000, 8000));
        assertThrows(IllegalArgumentException.class, () -> PortPlan.linksOf(-1, 3, 8000, 8000));
        assertThrows(IllegalArgumentException.class, () -> PortPlan.linksOf(0, 1, 8000, 8000));
        assertThrows(IllegalArgumentException.class, () -> PortPlan.linksOf(0, 3, 65534, 8000));
        assertThrows(IllegalArgumentException.class, () -> PortPlan.linksOf(0, 3, 8000, -1));
    }
}
