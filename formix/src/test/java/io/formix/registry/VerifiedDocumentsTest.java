package io.formix.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
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
 * A document is verified once per content: the same bytes against the same roster entry are
 * accepted again without a signature check, and anything that changed (the bytes, the roster's
 * entry, the accepted sequence) is verified in full and refused for the same reason as without the
 * cache.
 */
@Timeout(60)
class VerifiedDocumentsTest {

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
        long before = VerifiedDocuments.signatureChecks();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 300; i++) {
                NodeDescriptor d = roster.verify(docs.get(i), nd, uid(i), 1).orElseThrow();
                assertEquals(uid(i), d.uid());
                assertEquals(keys.get(i).identity().fingerprint(), d.identityFingerprint());
            }
        }
        assertEquals(before, VerifiedDocuments.signatureChecks(), "900 verifications, none in full");
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
        assertEquals(
                "light-0009",
                RosterPages.selfSigned(docs.get(9), nd, empty, uid(9)).uid());
        long before = VerifiedDocuments.signatureChecks();
        VerifiedDocuments.Claim c = RosterPages.selfSigned(docs.get(9), nd, empty, uid(9));
        assertEquals(before, VerifiedDocuments.signatureChecks());
        assertEquals(keys.get(9).identity().fingerprint(), c.fingerprint());
        byte[] tampered = docs.get(9).clone();
        int at = new String(tampered, java.nio.charset.StandardCharsets.US_ASCII).indexOf("\"signature\":\"") + 14;
        tampered[at] = (byte) (tampered[at] == 'A' ? 'B' : 'A');
        assertThrows(DocumentRejectedException.class, () -> RosterPages.selfSigned(tampered, nd, empty, uid(9)));
        // Once the roster lists the node under another key, the cached claim is not taken: the full
        // check reads the roster's entry and refuses it.
        RosterPages listing = RosterPages.of(
                nd.networkId(),
                1,
                List.of(new Roster.Entry(
                        uid(9), Role.LIGHT, keys.get(3).identity().fingerprint())));
        assertThrows(DocumentRejectedException.class, () -> RosterPages.selfSigned(docs.get(9), nd, listing, uid(9)));
    }

    @Test
    void aRosterPageOrNetworkDescriptorSeenBeforeIsStillRefusedWhenItsCheckChanged() throws Exception {
        IdentityKey admin = IdentityKey.generate();
        byte[] netDoc = NetworkDescriptor.create(admin, "file-v1").sign(admin);
        NetworkDescriptor net = VerifiedDocuments.network(netDoc, admin.fingerprint());
        long before = VerifiedDocuments.signatureChecks();
        assertSame(net, VerifiedDocuments.network(netDoc, admin.fingerprint()));
        assertEquals(before, VerifiedDocuments.signatureChecks(), "the same bytes under the same pin: no check");
        // Pinned to another admin, the same bytes are verified in full and refused.
        String other = IdentityKey.generate().fingerprint();
        DocumentRejectedException e =
                assertThrows(DocumentRejectedException.class, () -> VerifiedDocuments.network(netDoc, other));
        assertTrue(e.getMessage().contains("not by the pinned admin key"), e.getMessage());

        byte[] page = Roster.of(net.networkId(), 5001, List.of()).sign(admin);
        assertEquals(5001, VerifiedDocuments.rosterPage(page, net, 0, -1).version());
        before = VerifiedDocuments.signatureChecks();
        assertEquals(5001, VerifiedDocuments.rosterPage(page, net, 0, 5001).version());
        assertEquals(before, VerifiedDocuments.signatureChecks());
        // Once a newer roster was accepted, the old page's bytes are a replay: refused as without the cache.
        e = assertThrows(DocumentRejectedException.class, () -> VerifiedDocuments.rosterPage(page, net, 0, 6001));
        assertEquals(
                assertThrows(DocumentRejectedException.class, () -> Roster.verify(page, net, 6001))
                        .getMessage(),
                e.getMessage());
        // Another network's admin signing the same page bytes is a different document check.
        IdentityKey strange = IdentityKey.generate();
        NetworkDescriptor stranger = NetworkDescriptor.verify(
                NetworkDescriptor.create(strange, "file-v1").sign(strange), strange.fingerprint());
        assertThrows(DocumentRejectedException.class, () -> VerifiedDocuments.rosterPage(page, stranger, 0, -1));
    }

    @Test
    void anExpiredKeyIsJudgedWhenUsedWithOrWithoutTheCache() throws Exception {
        Instant exp = Instant.now().plusSeconds(60);
        NodeKeys k = NodeKeys.inMemory(Instant.EPOCH, exp);
        PartyId uid = PartyId.of("light-expiring");
        byte[] doc = NodeDescriptor.of(nd.networkId(), uid, Role.LIGHT, 4, k).sign(k.identity());
        RosterPages one = RosterPages.of(
                nd.networkId(),
                1,
                List.of(new Roster.Entry(uid, Role.LIGHT, k.identity().fingerprint())));
        NodeDescriptor full = one.verify(doc, nd, uid, -1).orElseThrow();
        long before = VerifiedDocuments.signatureChecks();
        NodeDescriptor cached = one.verify(doc, nd, uid, 4).orElseThrow();
        assertEquals(before, VerifiedDocuments.signatureChecks());
        // A descriptor has no expiry of its own: its keys are judged at the time they are used.
        Instant after = exp.plusSeconds(1);
        assertTrue(full.currentKey(after).isEmpty());
        assertTrue(cached.currentKey(after).isEmpty(), "the cached descriptor offers no expired key either");
        assertEquals(full.currentKey(Instant.now()), cached.currentKey(Instant.now()));
    }
}
