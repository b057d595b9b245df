package io.formix.transport.seal;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * The two HPKE suites Formix uses, both base mode (RFC 9180) with DHKEM(X25519, HKDF-SHA256) and
 * HKDF-SHA256: AES-128-GCM (the suite IETF DAP requires) for envelope version 1, ChaCha20-Poly1305
 * for version 2, the bulk envelope of large messages (BouncyCastle's ChaCha20-Poly1305 is about
 * twice as fast as its pure-Java AES-GCM). A thin wrapper over BouncyCastle; no cryptography here.
 */
final class Hpke {

    /** Length of the encapsulated key ({@code enc}). */
    static final int ENC_BYTES = 32;
    /** Length of the AEAD tag the ciphertext carries (AES-GCM and ChaCha20-Poly1305 alike). */
    static final int TAG_BYTES = 16;
    /** Length of a raw X25519 key. */
    static final int KEY_BYTES = 32;
    /** The suite's name in network descriptors. */
    static final String SUITE = "hpke-base:x25519-hkdf-sha256:hkdf-sha256:aes-128-gcm+ed25519";

    // BC's HPKE objects keep per-suite helpers; one per thread avoids sharing them across threads.
    private static final ThreadLocal<HPKE> SUITE_INSTANCE = ThreadLocal.withInitial(Hpke::newSuite);
    private static final ThreadLocal<HPKE> BULK_INSTANCE = ThreadLocal.withInitial(Hpke::newBulkSuite);

    private Hpke() {}

    static HPKE newSuite() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    }

    /** The bulk suite (envelope version 2): the same KEM and KDF with ChaCha20-Poly1305. */
    static HPKE newBulkSuite() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_CHACHA20_POLY1305);
    }

    /** A fresh X25519 key pair from {@code SecureRandom}. */
    static AsymmetricCipherKeyPair generate() {
        return fromPrivate(new X25519PrivateKeyParameters(Bytes.RANDOM).getEncoded());
    }

    static AsymmetricCipherKeyPair fromPrivate(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 private key is " + KEY_BYTES + " bytes");
        }
        X25519PrivateKeyParameters sk = new X25519PrivateKeyParameters(raw, 0);
        return new AsymmetricCipherKeyPair(sk.generatePublicKey(), sk);
    }

    static byte[] publicKey(AsymmetricCipherKeyPair pair) {
        return ((X25519PublicKeyParameters) pair.getPublic()).getEncoded();
    }

    static byte[] privateKey(AsymmetricCipherKeyPair pair) {
        return ((X25519PrivateKeyParameters) pair.getPrivate()).getEncoded();
    }

    /** SealBase to {@code recipient} with the version 1 suite: returns {@code {enc, ct}}. */
    static byte[][] seal(byte[] recipient, byte[] info, byte[] aad, byte[] pt) {
        return seal(false, recipient, info, aad, pt);
    }

    /** SealBase to {@code recipient} with the bulk suite if {@code bulk}: returns {@code {enc, ct}}. */
    static byte[][] seal(boolean bulk, byte[] recipient, byte[] info, byte[] aad, byte[] pt) {
        try {
            byte[][] ctEnc = (bulk ? BULK_INSTANCE : SUITE_INSTANCE)
                    .get()
                    .seal(new X25519PublicKeyParameters(recipient, 0), info, aad, pt, null, null, null);
            return new byte[][] {ctEnc[1], ctEnc[0]};
        } catch (InvalidCipherTextException e) {
            // Sealing with a well-formed key does not fail; if BC says otherwise, it is a bug, not input.
            throw new IllegalStateException("HPKE seal failed: " + e.getMessage(), e);
        }
    }

    /**
     * OpenBase with {@code recipient}'s key pair and the version 1 suite.
     *
     * @throws InvalidCipherTextException if the ciphertext, enc, info or aad do not match
     */
    static byte[] open(AsymmetricCipherKeyPair recipient, byte[] enc, byte[] info, byte[] aad, byte[] ct)
            throws InvalidCipherTextException {
        return SUITE_INSTANCE.get().open(enc, recipient, info, aad, ct, null, null, null);
    }

    /**
     * OpenBase with {@code recipient}'s key pair, the bulk suite if {@code bulk}, of the ciphertext
     * at {@code buf[ctOff, ctOff + ctLen)} (read in place, not copied).
     *
     * @throws InvalidCipherTextException if the ciphertext, enc, info or aad do not match
     */
    static byte[] open(
            boolean bulk,
            AsymmetricCipherKeyPair recipient,
            byte[] enc,
            byte[] info,
            byte[] aad,
            byte[] buf,
            int ctOff,
            int ctLen)
            throws InvalidCipherTextException {
        HPKEContext ctx = (bulk ? BULK_INSTANCE : SUITE_INSTANCE).get().setupBaseR(enc, recipient, info);
        return ctx.open(aad, buf, ctOff, ctLen);
    }
}
