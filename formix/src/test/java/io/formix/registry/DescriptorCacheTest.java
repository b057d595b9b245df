package io.formix.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException;
import io.formix.transport.seal.IdentityKey;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Role;
import io.formix.transport.seal.Roster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A descriptor is verified once per content: the same bytes against the same roster entry are
 * accepted again without a signature check, and anything that changed (the bytes, the roster's
 * entry, the accepted sequence) is verified in full and refused for the same reason as without the
 * cache.
 */
@Timeout(60)
class DescriptorCacheTest {

    private NetworkDescriptor nd;
    private final List<NodeKeys> keys = new ArrayList<>();
    private final List<byte[]> docs = new ArrayList<>();
    private RosterPages roster;

    @BeforeEach
    void network() throws Exception {
        IdentityKey admin = IdentityKey.generate();
        nd = NetworkDescriptor.verify(NetworkDescriptor.create(admin, "file-v1").sign(admin), admin.fingerprint());
        List<Roster.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            NodeKeys k = NodeKeys.inMemory(Instant.EPOCH, Instant.now().plusSeconds(3600));
            PartyId uid = PartyId.of(String.format("light-%04d", i));
            keys.add(k);
            docs.add(NodeDescriptor.of(nd.networkId(), uid, Role.LIGHT, 1, k).sign(k.identity()));
            entries.add(new Roster.Entry(uid, Role.LIGHT, k.identity().fingerprint()));
        }
        roster = RosterPages.of(nd.networkId(), 1, entries); // two pages
    }

    private static PartyId uid(int i) {
        return PartyId.of(String.format("light-%04d", i));
    }

    @Test
    void aSecondSyncOfTheSameDocumentsVerifiesNoSignatureAgain() throws Exception {
        for (int i = 0; i < 300; i++) {
            assertEquals(
                    uid(i),
                    roster.verify(docs.get(i), nd, uid(i), -1).orElseThrow().uid());
        }
        long before = DescriptorCache.fullVerifications();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                NodeDescriptor d = roster.verify(docs.get(i), nd, uid(i), 1).orElseThrow();
                assertEquals(uid(i), d.uid());
                assertEquals(keys.get(i).identity().fingerprint(), d.identityFingerprint());
            }
        }
        assertEquals(before, DescriptorCache.fullVerifications(), "900 verifications, none in full");
    }

    @Test
    void whatChangedIsVerifiedInFullAndRefusedForTheSameReason() throws Exception {
        roster.verify(docs.get(5), nd, uid(5), -1).orElseThrow();
        // The bytes of another node under this uid: its own signature is fine, the uid is not.
        assertEquals(Optional.empty(), roster.verify(docs.get(6), nd, uid(5), -1));
        // A roster whose entry for light-0005 names another key refuses the cached document too.
        List<Roster.Entry> entries = new ArrayList<>(roster.entries());
        entries.set(
                5, new Roster.Entry(uid(5), Role.LIGHT, keys.get(7).identity().fingerprint()));
        RosterPages rotated = RosterPages.of(nd.networkId(), 2, entries);
        DocumentRejectedException e =
                assertThrows(DocumentRejectedException.class, () -> rotated.verify(docs.get(5), nd, uid(5), -1));
        assertTrue(e.getMessage().contains("but the roster lists"), e.getMessage());
        // A replayed older sequence is refused although its bytes verified before.
        e = assertThrows(DocumentRejectedException.class, () -> roster.verify(docs.get(5), nd, uid(5), 2));
        assertTrue(e.getMessage().contains("older than the accepted"), e.getMessage());
        // One changed byte is a new document: its signature fails.
        byte[] tampered = docs.get(5).clone();
        int at = new String(tampered, java.nio.charset.StandardCharsets.US_ASCII).indexOf("\"signature\":\"") + 14;
        tampered[at] = (byte) (tampered[at] == 'A' ? 'B' : 'A');
        assertThrows(DocumentRejectedException.class, () -> roster.verify(tampered, nd, uid(5), -1));
        // A node the roster does not list is not accepted from the cache either.
        RosterPages shorter = RosterPages.of(nd.networkId(), 3, roster.entries().subList(0, 5));
        assertEquals(Optional.empty(), shorter.verify(docs.get(5), nd, uid(5), -1));
    }

    @Test
    void aSelfSignedPendingDescriptorIsCheckedOnce() throws Exception {
        RosterPages empty = RosterPages.of(nd.networkId(), 0, List.of());
        assertTrue(RosterPages.selfSigned(docs.get(9), nd, empty));
        long before = DescriptorCache.fullVerifications();
        assertTrue(RosterPages.selfSigned(docs.get(9), nd, empty));
        assertEquals(before, DescriptorCache.fullVerifications());
        byte[] tampered = docs.get(9).clone();
        int at = new String(tampered, java.nio.charset.StandardCharsets.US_ASCII).indexOf("\"signature\":\"") + 14;
        tampered[at] = (byte) (tampered[at] == 'A' ? 'B' : 'A');
        assertThrows(DocumentRejectedException.class, () -> RosterPages.selfSigned(tampered, nd, empty));
    }
}
