package io.formix.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.formix.registry.Membership;
import io.formix.registry.RegistryKeys;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentFiles;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Role;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's registry watch syncs when the folder's stamp changes and at least every 30 s, and not
 * in between while nothing changes.
 */
@Timeout(60)
class RegistryWatchTest {

    @TempDir
    Path dir;

    /** The folder's documents as if written a minute ago. */
    private static void age(FormixHome home) throws Exception {
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        Path shared = home.sharedDir();
        for (Path p : List.of(shared.resolve("network.json"), shared.resolve("roster.json"), shared.resolve("nodes"))) {
            Files.setLastModifiedTime(p, old);
        }
    }

    @Test
    void aFolderThatDoesNotChangeIsSyncedOnlyEvery30SecondsAndAPublishedDescriptorAtOnce() throws Exception {
        FormixHome home = FormixHome.of(dir);
        try (NetworkDb net = NetworkDb.open(home)) {
            NetworkPin pin = Membership.create(home, net, false);
            List<NodeRecord> nodes =
                    net.createNodes(NodeRecord.Role.LIGHT, 3, NodeRecord.Approval.AUTO, System.currentTimeMillis());
            for (NodeRecord n : nodes) {
                Membership.publish(home, net, pin, n);
            }
            Membership.admit(home, net, null);
            TestClock clock = new TestClock(Instant.parse("2026-12-05T10:00:00Z"));
            RegistryKeys keys = new RegistryKeys();
            StringWriter log = new StringWriter();
            RegistryWatch watch = new RegistryWatch(home, net, keys, clock, new PrintWriter(log));
            watch.run();
            assertEquals(1, watch.syncs);
            assertEquals(3, keys.size());
            age(home);
            watch.run(); // the times moved: synced
            int synced = watch.syncs;
            for (int tick = 0; tick < 14; tick++) {
                clock.advance(Duration.ofSeconds(2));
                watch.run();
            }
            assertEquals(synced, watch.syncs, "28 s of ticks over a still folder: no sync");
            clock.advance(Duration.ofSeconds(2));
            watch.run();
            assertEquals(synced + 1, watch.syncs, "the full sync at 30 s");

            // A descriptor published as Formix and sync engines publish (renamed into nodes/).
            PartyId uid = nodes.get(0).uid();
            NodeKeys k = Membership.keys(home, uid);
            byte[] newer = NodeDescriptor.of(NetworkId.fromHex(pin.networkId()), uid, Role.LIGHT, 9, k)
                    .sign(k.identity());
            DocumentFiles.write(home.sharedDir().resolve("nodes").resolve(uid.value() + ".json"), newer);
            clock.advance(Duration.ofSeconds(2));
            watch.run();
            assertEquals(synced + 2, watch.syncs, "the next tick syncs");
            assertEquals(9, keys.lookup(uid).orElseThrow().seq());
            assertEquals("", log.toString(), "nothing refused");
        }
    }
}
