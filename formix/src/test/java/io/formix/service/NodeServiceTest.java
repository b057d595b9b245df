package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.node.ProcessLiveness;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Nodes of a home, on a fixed clock, without starting a process. */
@Timeout(60)
class NodeServiceTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private Home home;
    private TestClock clock;
    private final List<String> notices = new ArrayList<>();
    private NodeService nodes;

    @BeforeEach
    void setUp() {
        home = Home.of(dir);
        clock = new TestClock(NOW);
        nodes = new NodeService(home, clock, clock.pause(), notices::add);
    }

    @Test
    void createdNodesCarryTheClocksTimeAndAreListedStopped() throws Exception {
        List<NodeView> made = nodes.create("light", 2, "manual");
        assertEquals(
                List.of("light-0001", "light-0002"),
                made.stream().map(NodeView::uid).toList());
        assertEquals(NOW.toString(), made.get(0).createdAt());
        assertEquals("manual", made.get(0).approval());
        nodes.create("heavy", 1, "auto");
        List<NodeView> all = nodes.list(null);
        assertEquals(3, all.size());
        assertTrue(
                all.stream().allMatch(v -> v.status().equals("stopped") && v.local() && v.admitted()), all.toString());
        assertEquals(
                List.of("heavy-1"),
                nodes.list("heavy").stream().map(NodeView::uid).toList());
        assertEquals(List.of(), notices);
    }

    @Test
    void badArgumentsAreUsageErrorsAndUnknownNodesNotFound() throws Exception {
        assertEquals(
                ServiceException.Kind.USAGE,
                assertThrows(ServiceException.class, () -> nodes.create("light", 0, "auto"))
                        .kind());
        assertThrows(IllegalArgumentException.class, () -> nodes.create("medium", 1, "auto"));
        nodes.create("heavy", 1, "auto");
        ServiceException bad = assertThrows(ServiceException.class, () -> nodes.stop(List.of("../etc")));
        assertEquals(ServiceException.Kind.USAGE, bad.kind());
        assertEquals("'../etc' is not a node uid (e.g. heavy-1, light-0001)", bad.getMessage());
        ServiceException none = assertThrows(ServiceException.class, () -> nodes.show("light-0009"));
        assertEquals(ServiceException.Kind.NOT_FOUND, none.kind());
        assertEquals("no node light-0009 — see formix node list", none.getMessage());
        assertEquals(
                ServiceException.Kind.USAGE,
                assertThrows(
                                ServiceException.class,
                                () -> nodes.rotateKey("heavy-1", NodeService.MAX_KEEP.plusSeconds(1)))
                        .kind());
    }

    @Test
    void aHomeWithoutNetworkDbIsNotFound() {
        ServiceException e = assertThrows(ServiceException.class, () -> nodes.list(null));
        assertEquals(ServiceException.Kind.NOT_FOUND, e.kind());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "no Formix network at " + dir.toAbsolutePath().normalize()),
                e.getMessage());
    }

    @Test
    void showReadsTheNodesOwnDatabaseOnlyWhenItExists() throws Exception {
        nodes.create("light", 1, "auto");
        nodes.create("heavy", 1, "auto");
        NodeDetail light = nodes.show("light-0001");
        assertEquals(List.of(), light.answers());
        assertEquals(List.of(), light.computations());
        assertEquals(
                dir.resolve("nodes/light-0001/node.db")
                        .toAbsolutePath()
                        .normalize()
                        .toString(),
                light.nodeDb());
        assertFalse(Files.exists(dir.resolve("nodes/light-0001/node.db")), "show must not create the node's database");
        NodeDetail heavy = nodes.show("heavy-1");
        assertEquals(null, heavy.answers());
        assertEquals(List.of(), heavy.stalledChannels());
    }

    @Test
    void stopWithNothingRunningStopsNothingAndRemoveForgetsTheNode() throws Exception {
        nodes.create("light", 2, "auto");
        assertEquals(0, nodes.stop(null));
        assertEquals(0, nodes.stopAll());
        assertTrue(Files.isDirectory(dir.resolve("nodes/light-0002")));
        assertEquals(1, nodes.remove(List.of("light-0002")));
        assertFalse(Files.exists(dir.resolve("nodes/light-0002")));
        assertEquals(
                List.of("light-0001"),
                nodes.list(null).stream().map(NodeView::uid).toList());
    }

    @Test
    void startLeavesOutNodesNotAdmittedAndSaysSo() throws Exception {
        new NetworkService(home, clock, clock.pause(), notices::add).create();
        nodes.create("light", 2, "auto");
        NodeService.Started s = nodes.start(null);
        assertEquals(List.of(), s.uids());
        assertEquals(0, s.wanted());
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("2 node(s) not admitted yet, not started (light-"), notices.get(0));
        assertTrue(notices.get(0).endsWith("— the network admin runs: formix network admit --all"), notices.get(0));
    }

    @Test
    void rotationKeepsThePreviousKeyForKeepFromTheClocksNow() throws Exception {
        // Keys are made on the wall clock (valid from a day before): the rotation's clock is near it.
        Instant now = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        clock = new TestClock(now);
        nodes = new NodeService(home, clock, clock.pause(), notices::add);
        nodes.create("heavy", 1, "auto");
        clock.advance(Duration.ofMinutes(10));
        NetworkViews.Rotation r = nodes.rotateKey("heavy-1", Duration.ofHours(2));
        assertEquals("heavy-1", r.uid());
        assertEquals(1, r.previous().size());
        assertEquals(
                now.plus(Duration.ofMinutes(10)).plus(Duration.ofHours(2)).toString(),
                r.previous().get(0).expiresAt());
        assertTrue(r.seq() >= now.getEpochSecond(), "seq " + r.seq());
    }

    @Test
    void aNodesStatusComesFromItsRecordedProcess() {
        PartyId uid = PartyId.of("light-0001");
        long self = ProcessLiveness.selfPid();
        long start = ProcessLiveness.startTime(self);
        assertEquals("stopped", HostProcesses.status(record(uid, 0, 0, true, true)));
        assertEquals("pending", HostProcesses.status(record(uid, 0, 0, true, false)));
        assertEquals("remote", HostProcesses.status(record(uid, self, start, false, true)));
        assertEquals("running", HostProcesses.status(record(uid, self, start, true, true)));
        assertEquals("dead", HostProcesses.status(record(uid, self, start - 60_000, true, true)));
    }

    @Test
    void stopClearsTheRecordOfAHostThatDiedAndCountsNothingStopped() throws Exception {
        nodes.create("light", 2, "auto");
        long self = ProcessLiveness.selfPid();
        try (NetworkDb net = NetworkDb.open(home.files())) {
            // A pid recorded with another start time: that process is gone (or the pid was reused).
            net.markStarted(
                    List.of(PartyId.of("light-0001"), PartyId.of("light-0002")),
                    self,
                    ProcessLiveness.startTime(self) - 60_000,
                    clock.millis());
        }
        assertEquals(
                List.of("dead", "dead"),
                nodes.list(null).stream().map(NodeView::status).toList());
        assertEquals(0, nodes.stop(List.of("light-0001")));
        assertEquals(
                List.of("stopped", "dead"),
                nodes.list(null).stream().map(NodeView::status).toList());
        assertEquals(0, nodes.stopAll());
        assertEquals(
                List.of("stopped", "stopped"),
                nodes.list(null).stream().map(NodeView::status).toList());
    }

    @Test
    void aHostOfUnknownNodesStartsNothing() throws Exception {
        nodes.create("heavy", 1, "auto");
        HostService host = new HostService(home, clock, d -> {
            throw new AssertionError("no host may run");
        });
        java.io.StringWriter out = new java.io.StringWriter();
        ServiceException e = assertThrows(
                ServiceException.class,
                () -> host.host(List.of("heavy-1", "light-0042"), new java.io.PrintWriter(out)));
        assertEquals(ServiceException.Kind.NOT_FOUND, e.kind());
        assertEquals("no node light-0042", e.getMessage());
        assertEquals("", out.toString());
        assertEquals(
                List.of("stopped"),
                nodes.list(null).stream().map(NodeView::status).toList());
    }

    private static NodeRecord record(PartyId uid, long pid, long pidStart, boolean local, boolean admitted) {
        return new NodeRecord(
                1,
                uid,
                NodeRecord.Role.LIGHT,
                NodeRecord.Approval.AUTO,
                0,
                pid,
                pidStart,
                0,
                0,
                false,
                local,
                admitted,
                -1);
    }
}
