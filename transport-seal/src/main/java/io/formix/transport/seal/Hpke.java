package io.formix.transport.seal;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * The one HPKE suite Formix uses, base mode (RFC 9180): DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
 * AES-128-GCM, the suite IETF DAP requires. A thin wrapper over BouncyCastle; large messages go
 * through {@link JdkHpke} (the JDK's AES-GCM, the same bytes) when C2 runs.
 */
final class Hpke {

    /** Length of the encapsulated key ({@code enc}). */
    static final int ENC_BYTES = 32;
    /** Length of the AES-GCM tag the ciphertext carries. */
    static final int TAG_BYTES = 16;
    /** Length of a raw X25519 key. */
    static final int KEY_BYTES = 32;
    /** The suite's name in network descriptors. */
    static final String SUITE = "hpke-base:x25519-hkdf-sha256:hkdf-sha256:aes-128-gcm+ed25519";

    // BC's HPKE objects keep per-suite helpers; one per thread avoids sharing them across threads.
    private static final ThreadLocal<HPKE> SUITE_INSTANCE = ThreadLocal.withInitial(Hpke::newSuite);

    private Hpke() {}

    static HPKE newSuite() {
        return new HPKE(HPKE.mode_base, HPKE.kem_X25519_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
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

    /**
     * Messages at least this long are sealed and opened by {@link JdkHpke} (the same bytes, with the
     * JDK's AES-GCM) when this JVM has C2 and the AES intrinsics; shorter ones, or without C2, by
     * BouncyCastle.
     */
    static final int JDK_AEAD_FROM_BYTES = 64 * 1024;

    /** SealBase to {@code recipient}: returns {@code {enc, ct}}. */
    static byte[][] seal(byte[] recipient, byte[] info, byte[] aad, byte[] pt) {
        if (pt.length >= JDK_AEAD_FROM_BYTES && JdkHpke.worthIt()) {
            return JdkHpke.seal(recipient, generate(), info, aad, pt);
        }
        try {
            byte[][] ctEnc = SUITE_INSTANCE
                    .get()
                    .seal(new X25519PublicKeyParameters(recipient, 0), info, aad, pt, null, null, null);
            return new byte[][] {ctEnc[1], ctEnc[0]};
        } catch (InvalidCipherTextException e) {
            // Sealing with a well-formed key does not fail; if BC says otherwise, it is a bug, not input.
            throw new IllegalStateException("HPKE seal failed: " + e.getMessage(), e);
        }
    }

    /**
     * OpenBase with {@code recipient}'s key pair.
     *
     * @throws InvalidCipherTextException if the ciphertext, enc, info or aad do not match
     */
    static byte[] open(AsymmetricCipherKeyPair recipient, byte[] enc, byte[] info, byte[] aad, byte[] ct)
            throws InvalidCipherTextException {
        if (ct.length >= JDK_AEAD_FROM_BYTES + TAG_BYTES && JdkHpke.worthIt()) {
            return JdkHpke.open(recipient, enc, info, aad, ct);
        }
        return SUITE_INSTANCE.get().open(enc, recipient, info, aad, ct, null, null, null);
    }
}
