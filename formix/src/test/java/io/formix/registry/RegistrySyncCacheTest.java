package io.formix.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry sync over a real home: once the documents were verified, a sync that finds the same
 * bytes verifies no signature (counted through {@link VerifiedDocuments#signatureChecks}), and a
 * replayed, forged or changed descriptor is still refused or taken exactly as without the cache.
 */
@Timeout(60)
class RegistrySyncCacheTest {

    private static final int NODES = 12;

    @TempDir
    Path dir;

    private FormixHome home;
    private NetworkDb net;
    private NetworkPin pin;
    private List<NodeRecord> nodes;

    @BeforeEach
    void network() throws Exception {
        home = FormixHome.of(dir);
        net = NetworkDb.open(home);
        pin = Membership.create(home, net, false);
        nodes = net.createNodes(NodeRecord.Role.LIGHT, NODES, NodeRecord.Approval.AUTO, System.currentTimeMillis());
        for (NodeRecord n : nodes) {
            Membership.publish(home, net, pin, n);
        }
        assertEquals(NODES, Membership.admit(home, net, null).size());
        pin = net.pin().orElseThrow();
    }

    @AfterEach
    void close() {
        net.close();
    }

    private PartyId uid(int i) {
        return nodes.get(i).uid();
    }

    /** {@code uid}'s descriptor signed again with its own keys at {@code seq}. */
    private byte[] descriptor(PartyId uid, long seq) throws Exception {
        NodeKeys k = Membership.keys(home, uid);
        return NodeDescriptor.of(NetworkId.fromHex(pin.networkId()), uid, Role.LIGHT, seq, k)
                .sign(k.identity());
    }

    @Test
    void aSyncWithNothingChangedVerifiesNoSignatureAndKeepsEveryKey() throws Exception {
        RegistrySync.Result first = RegistrySync.sync(home, net);
        assertEquals(NODES, first.keys().size());
        long before = VerifiedDocuments.signatureChecks();
        RegistrySync.Result again = RegistrySync.sync(home, net);
        assertEquals(before, VerifiedDocuments.signatureChecks(), "network, roster and every descriptor: no check");
        assertEquals(first.keys().keySet(), again.keys().keySet());
        assertEquals(List.of(), again.problems());
        // The key directory takes the sync's descriptors as they are: nothing verified again either.
        RegistryKeys keys = new RegistryKeys();
        keys.use(again);
        assertEquals(before, VerifiedDocuments.signatureChecks());
        assertEquals(NODES, keys.size());
        // And they are what network.db holds, read back and checked against its roster.
        assertEquals(
                RegistrySync.descriptors(net, again.network()).keySet(),
                again.keys().keySet());
        assertEquals(before, VerifiedDocuments.signatureChecks());
    }

    @Test
    void aChangedDescriptorIsVerifiedOnceAndTheOthersNotAtAll() throws Exception {
        RegistrySync.sync(home, net);
        byte[] newer = descriptor(uid(2), 5);
        DocumentFiles.write(SharedFiles.node(home, uid(2)), newer);
        long before = VerifiedDocuments.signatureChecks();
        RegistrySync.Result r = RegistrySync.sync(home, net);
        assertEquals(before + 1, VerifiedDocuments.signatureChecks(), "only the new bytes");
        assertEquals(5, r.keys().get(uid(2)).seq());
        assertEquals(5, RegistrySync.descriptors(net, r.network()).get(uid(2)).seq());
    }

    @Test
    void aReplayedOlderDescriptorIsRefusedAlthoughItsBytesWereVerifiedBefore() throws Exception {
        byte[] old = Files.readAllBytes(SharedFiles.node(home, uid(1)));
        RegistrySync.sync(home, net); // the old bytes are in the cache now
        DocumentFiles.write(SharedFiles.node(home, uid(1)), descriptor(uid(1), 7));
        assertEquals(7, RegistrySync.sync(home, net).keys().get(uid(1)).seq());
        DocumentFiles.write(SharedFiles.node(home, uid(1)), old); // the replay
        RegistrySync.Result r = RegistrySync.sync(home, net);
        assertTrue(
                r.problems().stream().anyMatch(p -> p.contains("older than the accepted 7")),
                r.problems().toString());
        assertEquals(7, r.keys().get(uid(1)).seq(), "the node keeps the descriptor accepted before");
        assertEquals(7, RegistrySync.descriptors(net, r.network()).get(uid(1)).seq());
        // Refused the same way at the next sync, so the host reports it once (the same line).
        assertEquals(r.problems(), RegistrySync.sync(home, net).problems());
    }

    @Test
    void aForgedOrSwappedDescriptorIsRefusedAndTheAcceptedOneStays() throws Exception {
        RegistrySync.sync(home, net);
        Path file = SharedFiles.node(home, uid(3));
        byte[] genuine = Files.readAllBytes(file);
        // One byte of the signature changed, written in place.
        byte[] forged = genuine.clone();
        int at = new String(forged, java.nio.charset.StandardCharsets.US_ASCII).indexOf("\"signature\":\"") + 14;
        forged[at] = (byte) (forged[at] == 'A' ? 'B' : 'A');
        Files.write(file, forged, StandardOpenOption.TRUNCATE_EXISTING);
        RegistrySync.Result r = RegistrySync.sync(home, net);
        assertTrue(
                r.problems().stream().anyMatch(p -> p.startsWith(file + " refused")),
                r.problems().toString());
        assertEquals(
                NodeDescriptor.class, r.keys().get(uid(3)).getClass(), "the descriptor accepted before stays in force");
        // Another node's genuine (and cached) descriptor under this node's name.
        Files.write(file, Files.readAllBytes(SharedFiles.node(home, uid(4))), StandardOpenOption.TRUNCATE_EXISTING);
        r = RegistrySync.sync(home, net);
        assertTrue(
                r.problems().stream().anyMatch(p -> p.startsWith(file + " refused")),
                r.problems().toString());
        assertEquals(uid(3), r.keys().get(uid(3)).uid());
        assertNotEquals(
                r.keys().get(uid(4)).identityFingerprint(), r.keys().get(uid(3)).identityFingerprint());
    }

    /** The folder's documents as if written a minute ago. */
    private void age() throws Exception {
        FileTime old = FileTime.from(Instant.now().minusSeconds(60));
        for (Path p : List.of(SharedFiles.network(home), RosterPages.file(home, 0), SharedFiles.nodesDir(home))) {
            Files.setLastModifiedTime(p, old);
        }
    }

    @Test
    void theFolderStampSeesARenameIntoNodesButNotARewriteInPlaceWhichTheFullSyncStillTakes() throws Exception {
        RegistrySync.sync(home, net);
        age();
        String still = FolderStamp.of(home);
        assertEquals(still, FolderStamp.of(home), "nothing changed, nothing recent: the same stamp");
        // Published as Formix and sync engines publish: a temp file renamed into the folder.
        DocumentFiles.write(SharedFiles.node(home, uid(5)), descriptor(uid(5), 3));
        String published = FolderStamp.of(home);
        assertNotEquals(still, published);
        // A change within the last 2 s makes every stamp unique: the host syncs until the folder is still.
        assertNotEquals(published, FolderStamp.of(home));
        age();
        String quiet = FolderStamp.of(home);
        Path file = SharedFiles.node(home, uid(6));
        Files.write(file, descriptor(uid(6), 4), StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals(quiet, FolderStamp.of(home), "a rewrite in place does not change the folder");
        assertEquals(4, RegistrySync.sync(home, net).keys().get(uid(6)).seq(), "the periodic full sync takes it");
    }
}
