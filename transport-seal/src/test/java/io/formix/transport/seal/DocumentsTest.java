package io.formix.transport.seal;

import static io.formix.transport.seal.Fixture.A;
import static io.formix.transport.seal.Fixture.B;
import static io.formix.transport.seal.Fixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Network descriptor, roster and node descriptor: what is accepted and each refusal's reason. */
class DocumentsTest {

    private final Fixture f = new Fixture();

    private static Reason reasonOf(Executable call) {
        DocumentRejectedException e = assertThrows(DocumentRejectedException.class, call);
        assertTrue(e.getMessage().indexOf('\n') < 0, "one line: " + e.getMessage());
        return e.reason();
    }

    @Test
    void networkDescriptorVerifiesAgainstThePinnedFingerprint() throws Exception {
        byte[] doc = f.network.sign(f.admin);
        NetworkDescriptor n = NetworkDescriptor.verify(doc, f.admin.fingerprint());
        assertEquals(f.net, n.networkId());
        assertArrayEquals(f.admin.publicKey(), n.adminKey());
        assertEquals("file-v1", n.layout());
        assertEquals(43, n.adminFingerprint().length());
    }

    @Test
    void networkDescriptorWithAnotherFingerprintIsRefused() {
        byte[] doc = f.network.sign(f.admin);
        assertEquals(
                Reason.WRONG_SIGNER,
                reasonOf(() ->
                        NetworkDescriptor.verify(doc, IdentityKey.generate().fingerprint())));
        // An attacker's own network, signed by its own key, fails the same pin.
        IdentityKey mallory = IdentityKey.generate();
        byte[] fake = NetworkDescriptor.create(mallory, "file-v1").sign(mallory);
        assertEquals(Reason.WRONG_SIGNER, reasonOf(() -> NetworkDescriptor.verify(fake, f.admin.fingerprint())));
    }

    @Test
    void aTamperedPayloadFailsTheSignature() {
        String doc = new String(f.network.sign(f.admin), StandardCharsets.UTF_8);
        int i = doc.indexOf("\"payload\":\"") + 20;
        char c = doc.charAt(i) == 'A' ? 'B' : 'A';
        byte[] bad = (doc.substring(0, i) + c + doc.substring(i + 1)).getBytes(StandardCharsets.UTF_8);
        assertEquals(Reason.BAD_SIGNATURE, reasonOf(() -> NetworkDescriptor.verify(bad, f.admin.fingerprint())));
    }

    @Test
    void oversizedAndMalformedDocumentsAreRefusedBeforeTheSignature() {
        byte[] big = new byte[SignedDocument.MAX_BYTES + 1];
        assertEquals(Reason.TOO_LARGE, reasonOf(() -> NetworkDescriptor.verify(big, f.admin.fingerprint())));
        for (String s : List.of(
                "",
                "[]",
                "{\"payload\":\"e30\"}",
                "{\"payload\":1,\"signature\":\"x\",\"key\":\"y\"}",
                "{\"payload\":\"e30\",\"payload\":\"e30\",\"signature\":\"x\",\"key\":\"y\"}")) {
            assertEquals(
                    Reason.MALFORMED,
                    reasonOf(() -> NetworkDescriptor.verify(s.getBytes(StandardCharsets.UTF_8), f.admin.fingerprint())),
                    s);
        }
    }

    @Test
    void aKeyThatIsNoEd25519PointIsMalformedNotACrash() {
        byte[] notAPoint = new byte[32];
        java.util.Arrays.fill(notAPoint, (byte) 0xff);
        notAPoint[31] = 0x7f; // y = 2^255 - 1 >= p: no valid encoding
        String doc = "{\"payload\":\"e30\",\"signature\":\"" + Bytes.b64(new byte[64]) + "\",\"key\":\""
                + Bytes.b64(notAPoint) + "\"}";
        Reason r =
                reasonOf(() -> NetworkDescriptor.verify(doc.getBytes(StandardCharsets.UTF_8), f.admin.fingerprint()));
        assertTrue(r == Reason.MALFORMED || r == Reason.BAD_SIGNATURE, r.toString());
    }

    @Test
    void aRosterVerifiesAndKeepsItsOrder() throws Exception {
        Roster r = Roster.verify(f.roster(3).sign(f.admin), f.network, 2);
        assertEquals(3, r.version());
        assertEquals(
                List.of(A, B, Fixture.C),
                r.entries().stream().map(Roster.Entry::uid).toList());
        assertEquals(Role.LIGHT, r.entry(A).orElseThrow().role());
        assertEquals(
                r.version(),
                Roster.verify(f.roster(3).sign(f.admin), f.network, 3).version(),
                "same version again");
    }

    @Test
    void aRosterSignedByAnyOtherKeyIsRefused() {
        byte[] byNode = f.roster(3).sign(f.keys.get(B).identity());
        assertEquals(Reason.WRONG_SIGNER, reasonOf(() -> Roster.verify(byNode, f.network, -1)));
    }

    @Test
    void aRosterRollbackIsRefused() {
        byte[] old = f.roster(4).sign(f.admin);
        DocumentRejectedException e =
                assertThrows(DocumentRejectedException.class, () -> Roster.verify(old, f.network, 5));
        assertEquals(Reason.ROLLBACK, e.reason());
        assertEquals("rollback: roster version 4 is older than the accepted version 5", e.getMessage());
    }

    @Test
    void aRosterOfAnotherNetworkIsRefused() {
        byte[] other = Roster.of(NetworkId.random(), 1, List.of()).sign(f.admin);
        assertEquals(Reason.WRONG_NETWORK, reasonOf(() -> Roster.verify(other, f.network, -1)));
        byte[] doc = f.network.sign(f.admin);
        assertEquals(
                Reason.MALFORMED,
                reasonOf(() -> Roster.verify(doc, f.network, -1)),
                "a network descriptor is no roster");
    }

    @Test
    void aNodeDescriptorRoundTripsThroughItsDocument() throws Exception {
        Roster roster = f.roster(1);
        NodeDescriptor mine = f.descriptors.get(B);
        NodeDescriptor read = NodeDescriptor.verify(mine.sign(f.keys.get(B).identity()), f.network, roster, -1)
                .orElseThrow();
        assertEquals(B, read.uid());
        assertEquals(Role.HEAVY, read.role());
        assertArrayEquals(mine.identityKey(), read.identityKey());
        assertEquals(mine.encryptionKeys(), read.encryptionKeys());
        assertEquals(1, read.seq());
    }

    @Test
    void aDescriptorNotInTheRosterIsIgnored() throws Exception {
        NodeKeys d = NodeKeys.inMemory(T0, T0.plus(Duration.ofDays(1)));
        byte[] doc = NodeDescriptor.of(f.net, PartyId.of("d"), Role.LIGHT, 0, d).sign(d.identity());
        assertTrue(NodeDescriptor.verify(doc, f.network, f.roster(1), -1).isEmpty());
    }

    @Test
    void aDescriptorWithASwappedIdentityKeyIsRefused() {
        // Mallory rewrites b's descriptor with her own keys and a valid self-signature.
        NodeKeys mallory = NodeKeys.inMemory(T0, T0.plus(Duration.ofDays(1)));
        byte[] doc = NodeDescriptor.of(f.net, B, Role.HEAVY, 9, mallory).sign(mallory.identity());
        assertEquals(
                Reason.FINGERPRINT_MISMATCH, reasonOf(() -> NodeDescriptor.verify(doc, f.network, f.roster(1), -1)));
    }

    @Test
    void aDescriptorSignedByAnotherKeyThanItNamesIsRefused() {
        ObjectNode p = Json.object();
        NodeDescriptor b = f.descriptors.get(B);
        p.put("type", NodeDescriptor.TYPE)
                .put("v", 1)
                .put("net", f.net.hex())
                .put("uid", "b")
                .put("role", "heavy")
                .put("idk", Bytes.b64(b.identityKey()))
                .put("seq", 1)
                .putArray("kem");
        byte[] doc = SignedDocument.sign(p, f.keys.get(A).identity());
        assertEquals(Reason.WRONG_SIGNER, reasonOf(() -> NodeDescriptor.verify(doc, f.network, f.roster(1), -1)));
    }

    @Test
    void aDescriptorOfAnotherNetworkRoleOrAnOlderSeqIsRefused() {
        NodeKeys b = f.keys.get(B);
        byte[] otherNet =
                NodeDescriptor.of(NetworkId.random(), B, Role.HEAVY, 1, b).sign(b.identity());
        assertEquals(Reason.WRONG_NETWORK, reasonOf(() -> NodeDescriptor.verify(otherNet, f.network, f.roster(1), -1)));
        byte[] otherRole = NodeDescriptor.of(f.net, B, Role.LIGHT, 1, b).sign(b.identity());
        assertEquals(
                Reason.ROLE_MISMATCH, reasonOf(() -> NodeDescriptor.verify(otherRole, f.network, f.roster(1), -1)));
        byte[] older = NodeDescriptor.of(f.net, B, Role.HEAVY, 1, b).sign(b.identity());
        assertEquals(Reason.ROLLBACK, reasonOf(() -> NodeDescriptor.verify(older, f.network, f.roster(1), 2)));
    }

    @Test
    void onlyTheOwnKeySignsADescriptor() {
        NodeDescriptor b = f.descriptors.get(B);
        assertThrows(IllegalArgumentException.class, () -> b.sign(f.keys.get(A).identity()));
        assertThrows(
                IllegalArgumentException.class,
                () -> f.network.sign(f.keys.get(A).identity()));
    }
}
