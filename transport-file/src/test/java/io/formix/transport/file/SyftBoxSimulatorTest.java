package io.formix.transport.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The simulator follows SyftBox's documented rules (driven by {@link SyftBoxSimulator#fullSyncNow()}). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyftBoxSimulatorTest {

    static final String ALICE = "alice@example.org";
    static final String BOB = "bob@example.org";
    static final String CAROL = "carol@example.org";

    @TempDir
    Path dir;

    Map<String, Path> ws = new LinkedHashMap<>();

    @BeforeEach
    void workspaces() throws Exception {
        for (String e : List.of(ALICE, BOB, CAROL)) {
            ws.put(e, dir.resolve(e.substring(0, e.indexOf('@'))).resolve("datasites"));
            Files.createDirectories(ws.get(e).resolve(e));
        }
        Path shared = own(ALICE, "app_data/x");
        Files.createDirectories(shared);
        Files.writeString(shared.resolve("syft.pub.yaml"), ChannelLayout.permissionFor(BOB));
    }

    Path own(String email, String rel) {
        return ws.get(email).resolve(email).resolve(rel);
    }

    Path mirror(String reader, String owner, String rel) {
        return ws.get(reader).resolve(owner).resolve(rel);
    }

    SyftBoxSimulator sim(Duration period) {
        return SyftBoxSimulator.create(ws, period, Duration.ofMillis(20), new Random(7));
    }

    @Test
    void ownerFilesReachExactlyTheReadersTheirPermissionFileNames() throws Exception {
        Files.writeString(own(ALICE, "app_data/x/f.txt"), "v1");
        Files.writeString(own(ALICE, "private.txt"), "secret");
        SyftBoxSimulator s = sim(Duration.ofHours(1));
        s.fullSyncNow();
        s.fullSyncNow();
        assertEquals("v1", Files.readString(mirror(BOB, ALICE, "app_data/x/f.txt")));
        assertFalse(Files.exists(mirror(CAROL, ALICE, "app_data/x/f.txt")), "carol is not granted read");
        assertFalse(Files.exists(mirror(BOB, ALICE, "private.txt")), "a datasite is private without a grant");
    }

    @Test
    void emptyFilesTempFilesAndMarkedCopiesAreNotSynced() throws Exception {
        Files.write(own(ALICE, "app_data/x/empty.ready"), new byte[0]);
        Files.writeString(own(ALICE, "app_data/x/.a.msg.tmp"), "partial");
        Files.writeString(own(ALICE, "app_data/x/f.conflict.txt"), "c");
        SyftBoxSimulator s = sim(Duration.ofHours(1));
        s.fullSyncNow();
        s.fullSyncNow();
        assertTrue(Files.exists(mirror(BOB, ALICE, "app_data/x/syft.pub.yaml")), "the folder itself is synced");
        assertFalse(Files.exists(mirror(BOB, ALICE, "app_data/x/empty.ready")));
        assertFalse(Files.exists(mirror(BOB, ALICE, "app_data/x/.a.msg.tmp")));
        assertFalse(Files.exists(mirror(BOB, ALICE, "app_data/x/f.conflict.txt")));
    }

    @Test
    void writesBySomeoneElseAreRejectedAndTheOwnersVersionComesBack() throws Exception {
        Files.writeString(own(ALICE, "app_data/x/f.txt"), "alice's");
        SyftBoxSimulator s = sim(Duration.ofHours(1));
        s.fullSyncNow();
        s.fullSyncNow();
        Files.writeString(mirror(BOB, ALICE, "app_data/x/f.txt"), "bob's edit");
        Files.writeString(mirror(BOB, ALICE, "app_data/x/new.txt"), "bob's file");
        s.fullSyncNow();
        s.fullSyncNow();
        assertEquals("alice's", Files.readString(own(ALICE, "app_data/x/f.txt")));
        assertFalse(Files.exists(own(ALICE, "app_data/x/new.txt")));
        assertEquals(
                "alice's", Files.readString(mirror(BOB, ALICE, "app_data/x/f.txt")), "the server's version returns");
        assertEquals("bob's edit", Files.readString(mirror(BOB, ALICE, "app_data/x/f.rejected.txt")));
        assertEquals("bob's file", Files.readString(mirror(BOB, ALICE, "app_data/x/new.rejected.txt")));
        assertEquals(2, s.counters().get("rejections"));
    }

    @Test
    void deletionsPropagateOnlyFromTheOwner() throws Exception {
        Files.writeString(own(ALICE, "app_data/x/a.txt"), "a");
        Files.writeString(own(ALICE, "app_data/x/b.txt"), "b");
        SyftBoxSimulator s = sim(Duration.ofHours(1));
        s.fullSyncNow();
        s.fullSyncNow();
        Files.delete(mirror(BOB, ALICE, "app_data/x/a.txt"));
        Files.delete(own(ALICE, "app_data/x/b.txt"));
        s.fullSyncNow();
        s.fullSyncNow();
        assertEquals("a", Files.readString(mirror(BOB, ALICE, "app_data/x/a.txt")), "bob's deletion is undone");
        assertTrue(Files.exists(own(ALICE, "app_data/x/a.txt")));
        assertFalse(Files.exists(mirror(BOB, ALICE, "app_data/x/b.txt")), "alice's deletion reaches bob");
    }

    @Test
    void priorityNamesSyncAtOnceAndOthersWaitForTheFullSync() throws Exception {
        try (SyftBoxSimulator s = sim(Duration.ofHours(1)).start()) {
            byte[] big = new byte[(int) SyftBoxSimulator.MAX_PRIORITY_BYTES + 1];
            big[0] = 1;
            Files.write(own(ALICE, "app_data/x/big.request"), big);
            Files.writeString(own(ALICE, "app_data/x/slow.msg"), "slow");
            Files.writeString(own(ALICE, "app_data/x/fast.request"), "fast");
            Path fast = mirror(BOB, ALICE, "app_data/x/fast.request");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(fast) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(5); // polling another thread's file writes: no event to wait on
            }
            assertEquals("fast", Files.readString(fast));
            assertFalse(Files.exists(mirror(BOB, ALICE, "app_data/x/slow.msg")), "not a priority name");
            assertFalse(Files.exists(mirror(BOB, ALICE, "app_data/x/big.request")), "over 1 MiB: full sync only");
            s.fullSyncNow();
            s.fullSyncNow();
            assertEquals("slow", Files.readString(mirror(BOB, ALICE, "app_data/x/slow.msg")));
            assertArrayEquals(big, Files.readAllBytes(mirror(BOB, ALICE, "app_data/x/big.request")));
        }
    }

    @Test
    void ignoredNamesMatchSyftBoxsList() {
        assertTrue(SyftBoxSimulator.ignored(".tmp-00000001.msg.tmp"));
        assertTrue(SyftBoxSimulator.ignored("00000001.msg.rejected.request"));
        assertTrue(SyftBoxSimulator.ignored("x.conflict.20260101010101.txt"));
        assertFalse(SyftBoxSimulator.ignored("00000001.msg.request"));
        assertTrue(SyftBoxSimulator.priority("ack.request"));
        assertTrue(SyftBoxSimulator.priority("syft.pub.yaml"));
        assertFalse(SyftBoxSimulator.priority("00000001.msg"));
    }
}
