package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Proposing, following (with the watchdog at its edge), approving and declining, on a fixed clock. */
@Timeout(60)
class ComputationServiceTest {

    private static final List<PartyId> HEAVY =
            List.of(PartyId.of("heavy-1"), PartyId.of("heavy-2"), PartyId.of("heavy-3"));
    private static final long DEADLINE = 1_800_000_000_000L;
    private static final long GRACE = 5_000;

    @TempDir
    Path dir;

    private Home home;
    private TestClock clock;
    private final List<String> notices = new ArrayList<>();

    @BeforeEach
    void setUp() {
        home = Home.of(dir);
        clock = new TestClock(Instant.ofEpochMilli(DEADLINE - 10_000));
    }

    private ComputationService service(Pause pause) {
        return new ComputationService(home, clock, pause, notices::add);
    }

    private NodeService nodes() {
        return new NodeService(home, clock, clock.pause(), notices::add);
    }

    /** A computation collecting answers, with heavy-1..3, its deadline at {@link #DEADLINE}. */
    private void insert(String id) throws Exception {
        nodes().create("heavy", 3, "auto");
        try (NetworkDb net = NetworkDb.open(home.files())) {
            net.insertComputation(new ComputationRecord(
                    id,
                    "how many?",
                    "{\"type\":\"integer\"}",
                    3,
                    DEADLINE,
                    GRACE,
                    HEAVY,
                    ComputationRecord.Status.PROPOSED,
                    0,
                    0,
                    0,
                    -1,
                    null,
                    0,
                    DEADLINE - 30_000,
                    0));
            net.advance(id, ComputationRecord.Status.COLLECTING, 10);
        }
    }

    @Test
    void followReturnsAComputationThatEndedWithoutPolling() throws Exception {
        insert("c0000001");
        try (NetworkDb net = NetworkDb.open(home.files())) {
            net.reveal("c0000001", 123, 4, 0, DEADLINE + 1_000);
        }
        List<ComputationService.Progress> seen = new ArrayList<>();
        ComputationView end = service(d -> {
                    throw new AssertionError("no pause expected");
                })
                .follow("c0000001", seen::add);
        assertTrue(end.revealed());
        assertEquals(123L, end.result());
        assertEquals(4, end.participants());
        assertEquals(List.of(), seen);
    }

    @Test
    void theWatchdogFailsTheComputationOneMillisecondAfterItsLastMoment() throws Exception {
        insert("c0000002");
        long last = DEADLINE + 3 * GRACE + ComputationService.WATCHDOG.toMillis();
        clock = new TestClock(Instant.ofEpochMilli(last - 1));
        List<ComputationService.Progress> seen = new ArrayList<>();
        // Each poll moves the clock by 1 ms: readings at last - 1, last (both still running), last + 1.
        ComputationView end = service(d -> clock.advance(Duration.ofMillis(1))).follow("c0000002", seen::add);
        assertEquals(2, seen.size(), seen.toString());
        assertEquals("collecting", seen.get(1).status());
        assertEquals("failed", end.status());
        assertEquals(
                "no heavy node ended the computation by 20s after the deadline — check the heavy nodes run: "
                        + "formix node list --role heavy",
                end.reason());
        assertEquals(Instant.ofEpochMilli(last + 1).toString(), end.endedAt());
    }

    @Test
    void progressSaysHowLongIsLeftAndPollsEveryHundredMilliseconds() throws Exception {
        insert("c0000003");
        List<ComputationService.Progress> seen = new ArrayList<>();
        List<Duration> pauses = new ArrayList<>();
        ComputationView end = service(d -> {
                    pauses.add(d);
                    if (pauses.size() == 3) {
                        try (NetworkDb net = NetworkDb.open(home.files())) {
                            net.fail("c0000003", "threshold not met", 2, 0, clock.millis());
                        }
                    }
                    clock.advance(d);
                })
                .follow("c0000003", seen::add);
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofMillis(100)), pauses);
        assertEquals(new ComputationService.Progress("collecting", 0, 10, 10_000), seen.get(0));
        assertEquals(9_900, seen.get(1).leftMillis());
        assertEquals("threshold not met", end.reason());
    }

    @Test
    void followingAnUnknownComputationIsNotFound() throws Exception {
        nodes().create("heavy", 1, "auto");
        ServiceException e = assertThrows(
                ServiceException.class, () -> service(clock.pause()).follow("cnope", null));
        assertEquals(ServiceException.Kind.NOT_FOUND, e.kind());
        assertEquals("no computation cnope — see formix comp list", e.getMessage());
    }

    @Test
    void aProposalNeedsThreeRunningHeavyNodes() throws Exception {
        nodes().create("heavy", 2, "auto");
        nodes().create("light", 3, "auto");
        ComputationService.Proposal p = new ComputationService.Proposal("how many?", null, null, null, null, null);
        ServiceException two = assertThrows(
                ServiceException.class, () -> service(clock.pause()).propose(p));
        assertEquals(ServiceException.Kind.REFUSED, two.kind());
        assertTrue(
                two.getMessage().startsWith("a computation needs 3 heavy nodes, the network has 2"), two.getMessage());
        nodes().create("heavy", 1, "auto");
        ServiceException stopped = assertThrows(
                ServiceException.class, () -> service(clock.pause()).propose(p));
        assertEquals(
                "heavy node heavy-1 is not running — start it with: formix node start heavy-1", stopped.getMessage());
        ServiceException bad = assertThrows(
                ServiceException.class,
                () -> service(clock.pause())
                        .propose(new ComputationService.Proposal(
                                "q", null, null, null, List.of("heavy-1", "../x", "heavy-3"), null)));
        assertEquals(ServiceException.Kind.USAGE, bad.kind());
        try (NetworkDb net = NetworkDb.open(home.files())) {
            assertEquals(List.of(), net.computations());
        }
    }

    @Test
    void theOwnerApprovesOrDeclinesInTheLightNodesOwnDatabaseOnce() throws Exception {
        nodes().create("heavy", 3, "auto");
        nodes().create("light", 2, "manual");
        FormixHome files = home.files();
        for (String light : List.of("light-0001", "light-0002")) {
            try (LightStore s = LightStore.open(files, PartyId.of(light))) {
                s.receive("c0000004", "q", "{}", DEADLINE, HEAVY, LightStore.State.PENDING, clock.millis());
            }
        }
        ComputationService svc = service(clock.pause());
        svc.decide("c0000004", "light-0001", true);
        svc.decide("c0000004", "light-0002", false);
        try (LightStore s = LightStore.open(files, PartyId.of("light-0001"))) {
            assertEquals(
                    LightStore.State.APPROVED, s.entry("c0000004").orElseThrow().state());
            assertNull(s.entry("c0000004").orElseThrow().reason());
        }
        try (LightStore s = LightStore.open(files, PartyId.of("light-0002"))) {
            assertEquals(
                    LightStore.State.REFUSED, s.entry("c0000004").orElseThrow().state());
            assertEquals(
                    "declined by the owner", s.entry("c0000004").orElseThrow().reason());
        }
        ServiceException again =
                assertThrows(ServiceException.class, () -> svc.decide("c0000004", "light-0001", false));
        assertEquals(ServiceException.Kind.REFUSED, again.kind());
        assertEquals("c0000004 is already approved on light-0001", again.getMessage());
        ServiceException heavy = assertThrows(ServiceException.class, () -> svc.decide("c0000004", "heavy-1", true));
        assertEquals(ServiceException.Kind.USAGE, heavy.kind());
        ServiceException unknown =
                assertThrows(ServiceException.class, () -> svc.decide("c0000009", "light-0001", true));
        assertEquals(ServiceException.Kind.NOT_FOUND, unknown.kind());
        assertEquals(
                "light-0001 has not received c0000009 — is it running? (formix node start light-0001)",
                unknown.getMessage());
    }
}
