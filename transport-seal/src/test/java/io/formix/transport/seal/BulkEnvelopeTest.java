package io.formix.transport.seal;

import static io.formix.transport.seal.Fixture.A;
import static io.formix.transport.seal.Fixture.B;
import static io.formix.transport.seal.Fixture.C;
import static io.formix.transport.seal.Fixture.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.transport.PartyId;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.Ed25519phSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Envelope version 2 (bulk): chosen at 64 KiB of padded plaintext, made of standard parts, and
 * refused at the same steps as version 1 when tampered with.
 */
class BulkEnvelopeTest {

    private final Fixture f = new Fixture();

    private static Step stepOf(Executable call) {
        return assertThrows(EnvelopeRejectedException.class, call).step();
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        new Random(n).nextBytes(p);
        return p;
    }

    private Opener opener(PartyId self, int maxBytes) {
        return new Opener(f.net, self, f.keys.get(self), f.directory(), f.clock, Duration.ofHours(1), maxBytes);
    }

    private byte[] openAtB(byte[] envelope, PartyId channel) throws Exception {
        Opener o = opener(B, 16 << 20);
        return o.open(o.verify(envelope, channel));
    }

    /** A payload whose padded plaintext (with its 4-byte prefix, no padding) is exactly the threshold. */
    private static byte[] bulkPayload() {
        return payload(Sealer.BULK_MIN_PLAINTEXT - Padding.PREFIX);
    }

    @Test
    void thresholdIs64KiBOfPaddedPlaintext() throws Exception {
        assertEquals(64 * 1024, Sealer.BULK_MIN_PLAINTEXT);
        byte[] below = payload(Sealer.BULK_MIN_PLAINTEXT - 1 - Padding.PREFIX);
        byte[] v1 = f.sealer(A).seal(B, 1, below);
        assertEquals(Envelope.VERSION, v1[4]);
        assertArrayEquals(below, openAtB(v1, A));
        byte[] at = bulkPayload();
        byte[] v2 = f.sealer(A).seal(B, 2, at);
        assertEquals(Envelope.VERSION_BULK, v2[4]);
        assertArrayEquals(at, openAtB(v2, A));
        // Both carry the plaintext plus the same overhead: the tag length is 16 either way.
        assertEquals(v1.length + 1, v2.length);
    }

    @Test
    void paddingCountsTowardTheThreshold() throws Exception {
        byte[] small = payload(10);
        Sealer padded = new Sealer(f.net, A, f.keys.get(A).identity(), f.directory(), f.clock, 64 * 1024);
        byte[] env = padded.seal(B, 1, small);
        assertEquals(Envelope.VERSION_BULK, env[4]);
        assertArrayEquals(small, openAtB(env, A));
        Sealer under = new Sealer(f.net, A, f.keys.get(A).identity(), f.directory(), f.clock, 64 * 1024 - 1);
        byte[] env1 = under.seal(B, 2, small);
        assertEquals(Envelope.VERSION, env1[4]);
        assertArrayEquals(small, openAtB(env1, A));
    }

    @Test
    void eightMegabyteRoundTrip() throws Exception {
        byte[] big = payload(8 << 20);
        byte[] env = f.sealer(A).seal(B, 3, big);
        assertEquals(Envelope.VERSION_BULK, env[4]);
        VerifiedEnvelope v = opener(B, 16 << 20).verify(env, A);
        assertEquals(3, v.seq());
        assertArrayEquals(big, opener(B, 16 << 20).open(v));
    }

    @Test
    void versionOneIsPureEd25519AndAesGcmAsBefore() throws Exception {
        byte[] env = f.sealer(A).seal(B, 1, payload(100));
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, IdentityKey.publicParameters(f.keys.get(A).identity().publicKey()));
        for (IdentityKey.Slice s : e.signedParts()) {
            v.update(s.buf(), s.off(), s.len());
        }
        assertTrue(v.verifySignature(Arrays.copyOfRange(env, e.sigOff, env.length)));
        HPKE aes = new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
        byte[] pt =
                aes.open(e.enc(), bPair(e), Envelope.info(f.net), e.headerBytes(), e.ciphertext(), null, null, null);
        assertEquals(4 + 100, pt.length);
    }

    @Test
    void versionTwoIsEd25519phAndChaCha20Poly1305UnderTheBulkLabel() throws Exception {
        byte[] msg = bulkPayload();
        byte[] env = f.sealer(A).seal(B, 1, msg);
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        // BouncyCastle's own Ed25519ph signer, empty context, over "formix/2 sig" || hdr || enc || ct.
        Ed25519phSigner v = new Ed25519phSigner(new byte[0]);
        v.init(false, IdentityKey.publicParameters(f.keys.get(A).identity().publicKey()));
        for (IdentityKey.Slice s : e.signedParts()) {
            v.update(s.buf(), s.off(), s.len());
        }
        assertTrue(v.verifySignature(Arrays.copyOfRange(env, e.sigOff, env.length)));
        HPKE chacha =
                new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_CHACHA20_POLY1305);
        byte[] info = ("formix/2 bulk").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        info = Arrays.copyOf(info, info.length + NetworkId.BYTES);
        System.arraycopy(f.net.raw(), 0, info, 13, NetworkId.BYTES);
        byte[] pt = chacha.open(e.enc(), bPair(e), info, e.headerBytes(), e.ciphertext(), null, null, null);
        assertArrayEquals(msg, Padding.unpad(pt));
    }

    private org.bouncycastle.crypto.AsymmetricCipherKeyPair bPair(Envelope e) {
        return f.keys.get(B).privateKey(e.header.kid()).orElseThrow().pair();
    }

    @Test
    void flippingAnyHeaderFieldEncCiphertextOrSignatureFailsTheSignature() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, bulkPayload());
        assertEquals(Envelope.VERSION_BULK, env[4]);
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        int h = e.hdrOff;
        Map<String, Integer> offsets = new LinkedHashMap<>();
        offsets.put("net", h);
        offsets.put("to", h + NetworkId.BYTES + 3);
        offsets.put("seq", h + NetworkId.BYTES + 4 + 7);
        offsets.put("kid", h + NetworkId.BYTES + 4 + 8);
        offsets.put("mid", h + NetworkId.BYTES + 4 + 12);
        offsets.put("ts", h + NetworkId.BYTES + 4 + 28 + 7);
        offsets.put("enc", e.encOff);
        offsets.put("ct", e.ctOff + 3);
        offsets.put("ct middle", e.ctOff + e.ctLen / 2);
        offsets.put("tag", e.ctOff + e.ctLen - 1);
        offsets.put("sig", e.sigOff + 10);
        offsets.put("sig last", env.length - 1);
        for (Map.Entry<String, Integer> o : offsets.entrySet()) {
            byte[] bad = env.clone();
            if (o.getKey().equals("to")) {
                bad[o.getValue()] = 'c'; // another admitted party, so the envelope still parses
            } else {
                bad[o.getValue()] ^= 0x01;
            }
            assertEquals(Step.SIGNATURE, stepOf(() -> openAtB(bad, A)), o.getKey());
        }
    }

    @Test
    void flippingTheVersionFailsTheSignatureBothWays() throws Exception {
        byte[] v1 = f.sealer(A).seal(B, 1, payload(100));
        byte[] v1AsV2 = v1.clone();
        v1AsV2[4] = Envelope.VERSION_BULK;
        assertEquals(Step.SIGNATURE, stepOf(() -> openAtB(v1AsV2, A)), "version 1 read as 2");
        byte[] v2 = f.sealer(A).seal(B, 2, bulkPayload());
        byte[] v2AsV1 = v2.clone();
        v2AsV1[4] = Envelope.VERSION;
        assertEquals(Step.SIGNATURE, stepOf(() -> openAtB(v2AsV1, A)), "version 2 read as 1");
        // Both still open unchanged.
        assertEquals(100, openAtB(v1, A).length);
        assertEquals(Sealer.BULK_MIN_PLAINTEXT - Padding.PREFIX, openAtB(v2, A).length);
    }

    @Test
    void otherVersionsAreRefusedAtParse() throws Exception {
        byte[] v2 = f.sealer(A).seal(B, 2, bulkPayload());
        for (int version : new int[] {0, 3, 255}) {
            byte[] bad = v2.clone();
            bad[4] = (byte) version;
            EnvelopeRejectedException e = assertThrows(EnvelopeRejectedException.class, () -> openAtB(bad, A));
            assertEquals(Step.PARSE, e.step());
            assertTrue(e.getMessage().contains("unsupported envelope version " + version), e.getMessage());
        }
    }

    @Test
    void boundsHoldForVersionTwo() throws Exception {
        byte[] v2 = f.sealer(A).seal(B, 2, bulkPayload());
        // Larger than the receiver's maximum: refused before anything else.
        assertEquals(Step.PARSE, stepOf(() -> opener(B, v2.length - 1).verify(v2, A)));
        byte[] cut = Arrays.copyOf(v2, v2.length - 1);
        assertEquals(Step.PARSE, stepOf(() -> openAtB(cut, A)));
        Envelope e = Envelope.parse(v2, Integer.MAX_VALUE);
        byte[] hugeCt = v2.clone();
        java.nio.ByteBuffer.wrap(hugeCt).putInt(e.ctOff - 4, -1);
        assertEquals(Step.PARSE, stepOf(() -> openAtB(hugeCt, A)));
    }

    @Test
    void sealedToAnotherKeyButValidlySignedFailsDecryption() throws Exception {
        Header h = new Header(
                f.net, A, B, 1, f.keys.get(B).encryptionKeys().get(0).kid(), Bytes.random(16), T0.getEpochSecond());
        byte[] toC = Forge.bulkEnvelope(
                f.keys.get(A).identity(),
                h,
                f.keys.get(C).encryptionKeys().get(0).publicKey(),
                Envelope.bulkInfo(f.net),
                bulkPayload());
        assertEquals(Step.DECRYPT, stepOf(() -> openAtB(toC, A)));
        // The same, sealed to b's key, opens: the forge builds real envelopes.
        byte[] toB = Forge.bulkEnvelope(
                f.keys.get(A).identity(),
                h,
                f.keys.get(B).encryptionKeys().get(0).publicKey(),
                Envelope.bulkInfo(f.net),
                bulkPayload());
        assertArrayEquals(bulkPayload(), openAtB(toB, A));
    }

    @Test
    void theVersionOneLabelDoesNotOpenAVersionTwoEnvelope() throws Exception {
        Header h = new Header(
                f.net, A, B, 1, f.keys.get(B).encryptionKeys().get(0).kid(), Bytes.random(16), T0.getEpochSecond());
        byte[] v1Label = Forge.bulkEnvelope(
                f.keys.get(A).identity(),
                h,
                f.keys.get(B).encryptionKeys().get(0).publicKey(),
                Envelope.info(f.net),
                bulkPayload());
        assertEquals(Step.DECRYPT, stepOf(() -> openAtB(v1Label, A)));
    }

    @Test
    void aChangedCiphertextOrEncSignedByTheSenderFailsDecryption() throws Exception {
        byte[] env = f.sealer(A).seal(B, 7, bulkPayload());
        Envelope e = Envelope.parse(env, Integer.MAX_VALUE);
        IdentityKey a = f.keys.get(A).identity();
        byte[] hdr = e.headerBytes();
        byte[] ct = Forge.flip(e.ciphertext(), 1000);
        assertEquals(
                Step.DECRYPT,
                stepOf(() -> openAtB(Forge.resign(a, hdr, e.enc(), ct, Envelope.VERSION_BULK), A)),
                "changed ciphertext");
        for (byte[] enc : new byte[][] {new byte[32], Forge.flip(e.enc(), 5)}) {
            byte[] bad = Forge.resign(a, hdr, enc, e.ciphertext(), Envelope.VERSION_BULK);
            assertEquals(Step.DECRYPT, stepOf(() -> openAtB(bad, A)), "changed enc");
        }
        // A version 1 (AES-GCM) ciphertext under a version 2 signature does not open either.
        byte[] aes = Hpke.seal(
                f.keys.get(B).encryptionKeys().get(0).publicKey(),
                Envelope.bulkInfo(f.net),
                hdr,
                Padding.pad(bulkPayload(), 0))[1];
        assertEquals(
                Step.DECRYPT,
                stepOf(() -> openAtB(Forge.resign(a, hdr, e.enc(), aes, Envelope.VERSION_BULK), A)),
                "other suite");
        // c keeps a's header and signs: the signature is checked with a's key.
        assertEquals(
                Step.SIGNATURE, stepOf(() -> openAtB(Forge.resign(f.keys.get(C).identity(), env, e.header), A)));
    }
}
