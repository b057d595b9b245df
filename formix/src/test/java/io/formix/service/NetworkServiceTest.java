package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Creating, joining and admitting, and the status of a network, without starting a process. */
@Timeout(60)
class NetworkServiceTest {

    @TempDir
    Path a;

    @TempDir
    Path b;

    @TempDir
    Path data;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-02T03:04:05Z"));
    private final List<String> notices = new ArrayList<>();

    private NetworkService network(Home home) {
        return new NetworkService(home, clock, clock.pause(), notices::add);
    }

    @Test
    void aCreatedNetworkTagsItsNodesAndRefusesASecondOne() throws Exception {
        Home home = new Home(a, data, () -> "file");
        NetworkViews.Pin pin = network(home).create();
        assertEquals(5, pin.tag().length());
        assertEquals(32, pin.network().length(), pin.network());
        ServiceException again =
                assertThrows(ServiceException.class, () -> network(home).create());
        assertEquals(ServiceException.Kind.REFUSED, again.kind());
        assertTrue(
                again.getMessage().startsWith("this home already belongs to network " + pin.network()),
                again.getMessage());
    }

    @Test
    void nodesOfAnotherHomeWaitUntilTheAdminAdmitsThem() throws Exception {
        Home admin = new Home(a, data, () -> "file");
        Home other = new Home(b, data, () -> "file");
        NetworkViews.Pin pin = network(admin).create();
        ServiceException wrong = assertThrows(
                ServiceException.class,
                () -> network(other).join("00" + pin.fingerprint().substring(2)));
        assertEquals(ServiceException.Kind.REFUSED, wrong.kind());
        NetworkViews.Pin joined = network(other).join(" " + pin.fingerprint() + " ");
        assertEquals(pin.network(), joined.network());
        List<NodeView> made = new NodeService(other, clock, clock.pause(), notices::add).create("light", 1, "auto");
        List<NetworkViews.Pending> pending = network(admin).pending();
        assertEquals(1, pending.size(), pending.toString());
        assertEquals(made.get(0).uid(), pending.get(0).uid());
        assertEquals("light", pending.get(0).role());
        NetworkViews.Admitted done = network(admin).admit(null);
        assertEquals(List.of(made.get(0).uid()), done.admitted());
        assertEquals(List.of(), network(admin).pending());
        assertEquals(List.of(), network(admin).admit(null).admitted());
        ServiceException notAdmin =
                assertThrows(ServiceException.class, () -> network(other).admit(null));
        assertEquals(ServiceException.Kind.REFUSED, notAdmin.kind());
    }

    @Test
    void joiningAFolderWithoutANetworkIsNotFound() {
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> network(new Home(b, data, () -> "file")).join("ab"));
        assertEquals(ServiceException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void statusCountsNodesByRoleAndStatus() throws Exception {
        Home home = new Home(a, null, () -> "tcp");
        NodeService nodes = new NodeService(home, clock, clock.pause(), notices::add);
        nodes.create("heavy", 3, "auto");
        nodes.create("light", 2, "auto");
        NetworkViews.Status s = network(home).status();
        assertEquals(Map.of("heavy", Map.of("stopped", 3), "light", Map.of("stopped", 2)), s.nodes());
        assertEquals(Map.of(), s.computations());
        assertEquals("tcp", s.transport());
        assertNotNull(s.network());
        assertNull(s.network().tag(), "a single-machine network names its nodes without a tag");
    }

    @Test
    void upRefusesCountsOutOfRangeBeforeTouchingTheHome() {
        ServiceException e =
                assertThrows(ServiceException.class, () -> network(Home.of(a)).up(-1, 3, "auto", line -> {}));
        assertEquals(ServiceException.Kind.USAGE, e.kind());
        assertEquals("--heavy must be 0..1000 and --light 0..100000", e.getMessage());
        assertTrue(!a.resolve("network.db").toFile().exists());
    }

    @Test
    void upKeepsTheFastKernelsChoiceForLaterStarts() throws Exception {
        Home home = new Home(a, data, () -> "file");
        List<String> lines = new ArrayList<>();
        network(home).up(0, 0, "auto", true, lines::add);
        assertTrue(HostJit.stored(home.files()));
        assertEquals(HostJit.FAST, HostJit.flag(home.files()));
        assertTrue(lines.get(0).endsWith("(transport file, fast kernels)"), lines.get(0));
        network(home).up(0, 0, "auto", lines::add); // no option: the setting stays
        assertEquals(HostJit.FAST, HostJit.flag(home.files()));
        network(home).up(0, 0, "auto", false, lines::add);
        assertEquals(HostJit.QUICK, HostJit.flag(home.files()));
        assertTrue(lines.get(2).endsWith("(transport file)"), lines.get(2));
    }
}
