package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code init}: creates, never destroys, and moves aside under the clock's time with {@code force}. */
@Timeout(60)
class HomeServiceTest {

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock(Instant.parse("2026-01-02T03:04:05Z"));

    @Test
    void initCreatesTheHomeAndRefusesToReplaceANetworkUnlessForced() throws Exception {
        Home home = Home.of(dir);
        HomeService homes = new HomeService(home, clock);
        NetworkViews.Init first = homes.init(false);
        assertEquals(List.of(), first.movedAside());
        assertTrue(Files.exists(dir.resolve("network.db")));
        assertTrue(Files.isDirectory(dir.resolve("nodes")));
        assertTrue(Files.isDirectory(dir.resolve("channels")));
        assertEquals(List.of(), homes.init(false).movedAside(), "an empty network.db may be initialised again");

        new NodeService(home, clock, clock.pause(), line -> {}).create("heavy", 1, "auto");
        ServiceException e = assertThrows(ServiceException.class, () -> homes.init(false));
        assertEquals(ServiceException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("already holds a network (1 node(s), 0 computation(s))"), e.getMessage());

        NetworkViews.Init forced = homes.init(true);
        Path root = dir.toAbsolutePath().normalize();
        assertEquals(
                List.of(
                        root.resolve("network.db.bak-20260102-030405").toString(),
                        root.resolve("admin.bak-20260102-030405").toString(),
                        root.resolve("nodes.bak-20260102-030405").toString()),
                forced.movedAside());
        assertTrue(Files.exists(dir.resolve("network.db")));
        assertEquals(List.of(), new NodeService(home, clock, clock.pause(), line -> {}).list(null));
    }
}
