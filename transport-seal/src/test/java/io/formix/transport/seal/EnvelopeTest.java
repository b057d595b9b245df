package io.formix.transport.seal;

import static io.formix.transport.seal.Fixture.A;
import static io.formix.transport.seal.Fixture.B;
import static io.formix.transport.seal.Fixture.C;
import static io.formix.transport.seal.Fixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.PartyId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link Sealer} and {@link Opener}: every receiver step refuses what it must, in order. */
class EnvelopeTest {

    private final Fixture f = new Fixture();
    private final byte[] share = "share: 1234567".getBytes(StandardCharsets.UTF_8);

    private static Step stepOf(Executable call) {
        return assertThrows(EnvelopeRejectedException.class, call).step();
    }

    private byte[] openAtB(byte[] envelope, PartyId channel) throws Exception {
        Opener o = f.opener(B);
        return o.open(o.verify(envelope, channel));
    }

    @Test
    void roundTripCarriesTheSignedHeader() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, share);
        VerifiedEnvelope v = f.opener(B).verify(env, A);
        assertEquals(A, v.from());
        assertEquals(B, v.to());
        assertEquals(7, v.seq());
        assertEquals(f.keys.get(B).encryptionKeys().get(0).kid(), v.kid());
        assertEquals(T0, v.timestamp());
        assertEquals(32, v.messageId().length());
        assertArrayEquals(share, f.opener(B).open(v));
        // The plaintext is not in the envelope.
        assertEquals(-1, indexOf(env, share));
        assertEquals(env.length, Envelope.FIXED + v.envelope.hdrLen + Padding.PREFIX + share.length + Hpke.TAG_BYTES);
    }

    @Test
    void messageIdsAreFresh() throws Exception {
        Sealer s = f.sealer(A);
        assertNotEquals(
                Forge.header(s.seal(B, 1, share)).midHex(),
                Forge.header(s.seal(B, 1, share)).midHex());
    }

    @Test
    void flippingAnyHeaderFieldEncCiphertextOrSignatureFailsTheSignature() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, share);
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        int h = e.hdrOff;
        Map<String, Integer> offsets = new LinkedHashMap<>();
        offsets.put("net", h);
        offsets.put("from", h + NetworkId.BYTES + 1); // "a" -> "`" is no party id: see below
        offsets.put("to", h + NetworkId.BYTES + 3);
        offsets.put("seq", h + NetworkId.BYTES + 4 + 7);
        offsets.put("kid", h + NetworkId.BYTES + 4 + 8);
        offsets.put("mid", h + NetworkId.BYTES + 4 + 12);
        offsets.put("ts", h + NetworkId.BYTES + 4 + 28 + 7);
        offsets.put("enc", e.encOff);
        offsets.put("ct", e.ctOff + 3);
        offsets.put("tag", e.ctOff + e.ctLen - 1);
        offsets.put("sig", e.sigOff + 10);
        for (Map.Entry<String, Integer> o : offsets.entrySet()) {
            byte[] bad = env.clone();
            if (o.getKey().equals("from") || o.getKey().equals("to")) {
                bad[o.getValue()] = 'c'; // another admitted party, so the envelope still parses
            } else {
                bad[o.getValue()] ^= 0x01;
            }
            assertEquals(Step.SIGNATURE, stepOf(() -> openAtB(bad, A)), o.getKey());
        }
    }

    @Test
    void damagedFramingFailsParsing() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, share);
        assertEquals(Step.PARSE, stepOf(() -> openAtB(Forge.flip(env, 0), A)), "magic");
        assertEquals(Step.PARSE, stepOf(() -> openAtB(Forge.flip(env, 4), A)), "version");
        assertEquals(Step.PARSE, stepOf(() -> openAtB(Forge.flip(env, 6), A)), "header length");
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        assertEquals(Step.PARSE, stepOf(() -> openAtB(Forge.flip(env, e.ctOff - 1), A)), "ciphertext length");
        byte[] fromNotAnId = env.clone();
        fromNotAnId[e.hdrOff + NetworkId.BYTES + 1] = '_';
        assertEquals(Step.PARSE, stepOf(() -> openAtB(fromNotAnId, A)), "party id");
        byte[] trailing = java.util.Arrays.copyOf(env, env.length + 1);
        assertEquals(Step.PARSE, stepOf(() -> openAtB(trailing, A)), "trailing byte");
    }

    @Test
    void truncatedAndOversizedEnvelopesAreRefusedBeforeAllocation() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, share);
        for (int len : new int[] {0, 3, 10, Envelope.MIN_BYTES - 1, env.length - 1, env.length - 64}) {
            byte[] cut = java.util.Arrays.copyOf(env, len);
            EnvelopeRejectedException e = assertThrows(EnvelopeRejectedException.class, () -> openAtB(cut, A));
            assertEquals(Step.PARSE, e.step(), "cut to " + len);
        }
        // Lengths claiming 4 GiB of ciphertext or 64 KiB of header are refused from the numbers alone.
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        byte[] hugeCt = env.clone();
        ByteBuffer.wrap(hugeCt).putInt(e.ctOff - 4, -1);
        assertTrue(assertThrows(EnvelopeRejectedException.class, () -> openAtB(hugeCt, A))
                .getMessage()
                .contains("ciphertext length 4294967295"));
        byte[] hugeHdr = env.clone();
        ByteBuffer.wrap(hugeHdr).putShort(5, (short) -1);
        assertTrue(assertThrows(EnvelopeRejectedException.class, () -> openAtB(hugeHdr, A))
                .getMessage()
                .contains("header length 65535"));
        Opener small = new Opener(f.net, B, f.keys.get(B), f.directory(), f.clock, Duration.ZERO, env.length - 1);
        assertTrue(assertThrows(EnvelopeRejectedException.class, () -> small.verify(env, A))
                .getMessage()
                .startsWith("malformed envelope: oversized"));
    }

    @Test
    void unknownSenderIsRefused() throws Exception {
        IdentityKey stranger = IdentityKey.generate();
        Header h = new Header(
                f.net,
                PartyId.of("d"),
                B,
                1,
                f.keys.get(B).encryptionKeys().get(0).kid(),
                Bytes.random(16),
                T0.getEpochSecond());
        byte[] env = Forge.envelope(
                stranger, h, f.keys.get(B).encryptionKeys().get(0).publicKey(), share);
        assertEquals(Step.SENDER, stepOf(() -> openAtB(env, PartyId.of("d"))));
    }

    @Test
    void ciphertextReSignedByAnotherAdmittedNodeIsRefused() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, share);
        Header h = Forge.header(env);
        IdentityKey c = f.keys.get(C).identity();
        // c keeps a's header and signs: the signature is checked with a's key.
        byte[] keptHeader = Forge.resign(c, env, h);
        assertEquals(Step.SIGNATURE, stepOf(() -> openAtB(keptHeader, A)));
        // c claims the message as its own and sends it on its channel: the header is the HPKE aad.
        byte[] claimed = Forge.resign(c, env, new Header(h.net(), C, h.to(), h.seq(), h.kid(), h.mid(), h.ts()));
        assertEquals(Step.DECRYPT, stepOf(() -> openAtB(claimed, C)));
    }

    @Test
    void aDegenerateEncSignedByTheSenderFailsDecryptionNotTheReceiver() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, share);
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        byte[] hdr = e.headerBytes();
        byte[] ct = e.ciphertext();
        for (byte[] enc : new byte[][] {new byte[32], Forge.flip(e.enc(), 5)}) {
            IdentityKey a = f.keys.get(A).identity();
            byte[] bad = Envelope.encode(hdr, enc, ct, a.sign(Envelope.SIG_LABEL, hdr, enc, ct));
            assertEquals(Step.DECRYPT, stepOf(() -> openAtB(bad, A)));
        }
    }

    @Test
    void wrongRecipientWrongChannelAndWrongNetworkAreRefused() throws Exception {
        byte[] toC = f.sealer(A).seal(C, 7, share);
        assertEquals(Step.RECIPIENT, stepOf(() -> openAtB(toC, A)));
        byte[] toB = f.sealer(A).seal(B, 7, share);
        assertEquals(Step.CHANNEL, stepOf(() -> openAtB(toB, C)));
        Sealer otherNet = new Sealer(NetworkId.random(), A, f.keys.get(A).identity(), f.directory(), f.clock, 0);
        assertEquals(Step.NETWORK, stepOf(() -> openAtB(otherNet.seal(B, 7, share), A)));
    }

    @Test
    void timestampMoreThanFiveMinutesAheadIsRefused() throws Exception {
        TestClock ahead = new TestClock(T0.plus(Duration.ofMinutes(5)));
        Sealer s = new Sealer(f.net, A, f.keys.get(A).identity(), f.directory(), ahead, 0);
        assertArrayEquals(share, openAtB(s.seal(B, 1, share), A), "five minutes ahead is tolerated");
        ahead.advance(Duration.ofSeconds(1));
        EnvelopeRejectedException e =
                assertThrows(EnvelopeRejectedException.class, () -> openAtB(s.seal(B, 2, share), A));
        assertEquals(Step.TIMESTAMP, e.step());
        assertTrue(e.getMessage().startsWith("timestamp in the future"), e.getMessage());
    }

    @Test
    void unknownKidIsRefused() throws Exception {
        Header h = new Header(f.net, A, B, 1, "0badc0de", Bytes.random(16), T0.getEpochSecond());
        byte[] env = Forge.envelope(
                f.keys.get(A).identity(),
                h,
                f.keys.get(B).encryptionKeys().get(0).publicKey(),
                share);
        EnvelopeRejectedException e = assertThrows(EnvelopeRejectedException.class, () -> openAtB(env, A));
        assertEquals(Step.KEY_UNKNOWN, e.step());
        assertTrue(e.getMessage().startsWith("unknown kid"), e.getMessage());
    }

    @Test
    void sealingToANodeWithoutAUsableKeyFails() {
        SealException noNode =
                assertThrows(SealException.class, () -> f.sealer(A).seal(PartyId.of("d"), 1, share));
        assertTrue(noNode.getMessage().contains("no descriptor for d"));
        f.clock.set(T0.plus(Duration.ofDays(31)));
        assertThrows(SealException.class, () -> f.sealer(A).seal(B, 1, share));
    }

    @Test
    void aPublishedLowOrderKeyIsRefusedBySealing() throws Exception {
        NodeDescriptor real = f.descriptors.get(B);
        EncryptionKey zero =
                new EncryptionKey("00000000", new byte[32], T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
        KeyDirectory dir = uid -> java.util.Optional.of(uid.equals(B) ? withKeys(real, zero) : f.descriptors.get(uid));
        Sealer s = new Sealer(f.net, A, f.keys.get(A).identity(), dir, f.clock, 0);
        SealException e = assertThrows(SealException.class, () -> s.seal(B, 1, share));
        assertTrue(e.getMessage().contains("00000000"), e.getMessage());
    }

    /** b's descriptor as a document that lists only {@code key}, verified like any other. */
    private NodeDescriptor withKeys(NodeDescriptor d, EncryptionKey key) {
        com.fasterxml.jackson.databind.node.ObjectNode p = Json.object();
        p.put("type", NodeDescriptor.TYPE)
                .put("v", 1)
                .put("net", f.net.hex())
                .put("uid", d.uid().value())
                .put("role", d.role().wireName())
                .put("idk", Bytes.b64(d.identityKey()))
                .put("seq", 2);
        p.putArray("kem")
                .addObject()
                .put("kid", key.kid())
                .put("pk", Bytes.b64(key.publicKey()))
                .put("nbf", key.notBefore().getEpochSecond())
                .put("exp", key.expiresAt().getEpochSecond());
        try {
            return NodeDescriptor.verify(SignedDocument.sign(p, f.keys.get(B).identity()), f.network, f.roster(1), -1)
                    .orElseThrow();
        } catch (DocumentRejectedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void paddingMakesShortMessagesTheSameSize() throws Exception {
        Sealer padded = new Sealer(f.net, A, f.keys.get(A).identity(), f.directory(), f.clock, 256);
        byte[] decline = "{\"type\":\"decline\"}".getBytes(StandardCharsets.UTF_8);
        byte[] shareMsg =
                "{\"type\":\"share\",\"value\":4294967295,\"padding\":\"......\"}".getBytes(StandardCharsets.UTF_8);
        byte[] e1 = padded.seal(B, 1, decline);
        byte[] e2 = padded.seal(B, 2, shareMsg);
        assertEquals(e1.length, e2.length);
        assertArrayEquals(decline, openAtB(e1, A));
        assertArrayEquals(shareMsg, openAtB(e2, A));
        assertEquals(
                e1.length + 256, padded.seal(B, 3, new byte[300]).length, "longer messages take the next multiple");
        assertArrayEquals(new byte[0], openAtB(padded.seal(B, 4, new byte[0]), A));
    }

    @Test
    void paddingIsCheckedInsideThePlaintext() {
        byte[] p = Padding.pad(share, 64);
        p[p.length - 1] = 1;
        assertEquals(Step.PADDING, stepOf(() -> Padding.unpad(p)));
        byte[] q = Padding.pad(share, 64);
        ByteBuffer.wrap(q).putInt(0, 61);
        assertEquals(Step.PADDING, stepOf(() -> Padding.unpad(q)));
        assertEquals(Step.PADDING, stepOf(() -> Padding.unpad(new byte[3])));
    }

    @Test
    void rotationSealsToTheNewestValidKeyAndTheOldKeyOpensUntilExpiryPlusGrace() throws Exception {
        NodeKeys b = f.keys.get(B);
        String oldKid = b.encryptionKeys().get(0).kid();
        EncryptionKey newer = b.addEncryptionKey(T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofDays(60)));
        f.refreshDescriptors();
        byte[] toOld = f.sealer(A).seal(B, 1, share);
        assertEquals(oldKid, Forge.header(toOld).kid(), "the new key is not valid yet");
        f.clock.advance(Duration.ofMinutes(10));
        byte[] toNew = f.sealer(A).seal(B, 2, share);
        assertEquals(newer.kid(), Forge.header(toNew).kid(), "newest key whose not-before has passed");
        assertArrayEquals(share, openAtB(toNew, A));
        assertArrayEquals(share, openAtB(toOld, A), "a message sealed to the previous key still opens");
        // The old key expires at T0 + 30 d; the fixture's opener grants 1 h of grace.
        f.clock.set(T0.plus(Duration.ofDays(30)).plus(Duration.ofHours(1)));
        assertArrayEquals(share, openAtB(toOld, A), "within the grace");
        f.clock.advance(Duration.ofSeconds(1));
        EnvelopeRejectedException e = assertThrows(EnvelopeRejectedException.class, () -> openAtB(toOld, A));
        assertEquals(Step.KEY_EXPIRED, e.step());
        assertTrue(e.getMessage().startsWith("key expired"), e.getMessage());
        assertArrayEquals(share, openAtB(toNew, A), "the new key still opens");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
