package io.formix.transport.seal;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * {@link Hpke}'s suite (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM)
 * for one large message, with the AEAD done by the JDK, whose AES-CTR and GCM are compiler
 * intrinsics under C2 (BouncyCastle's GCM is plain Java, ~100 MB/s): the same bytes as
 * BouncyCastle's {@code HPKE.seal}/{@code open} ({@code HpkeKnownAnswerTest} checks RFC 9180 A.1
 * and both directions against BouncyCastle). X25519 is BouncyCastle's; the key schedule (RFC 9180
 * §4.1, §5.1; single-shot, sequence number 0) is HMAC-SHA256.
 *
 * <p>The intrinsics only apply to methods C2 has compiled, so the data goes through in
 * {@link #CHUNK}-byte {@code update}s (a method called once with 10 MB is never compiled). The
 * JDK's GCM decryption holds everything back until {@code doFinal}, so {@link #open} decrypts with
 * AES-CTR from GCM's first data counter block, then seals the plaintext again with the same key and
 * nonce and compares the tag (in constant time) before releasing anything: GCM is deterministic,
 * so that tag is the one over the received ciphertext, exactly GCM's own check.
 */
final class JdkHpke {

    /** Bytes per {@code Cipher.update}. */
    static final int CHUNK = 8 * 1024;

    private static final byte[] VERSION = ascii("HPKE-v1");
    /** "KEM" || kem_id 0x0020. */
    private static final byte[] KEM_SUITE = {'K', 'E', 'M', 0x00, 0x20};
    /** "HPKE" || kem_id 0x0020 || kdf_id 0x0001 || aead_id 0x0001. */
    private static final byte[] HPKE_SUITE = {'H', 'P', 'K', 'E', 0x00, 0x20, 0x00, 0x01, 0x00, 0x01};

    private static final int NK = 16;
    private static final int NN = 12;
    private static final int NH = 32;
    private static final int TAG = Hpke.TAG_BYTES;

    private static final boolean C2 = c2();

    private JdkHpke() {}

    /**
     * Whether this JVM compiles with C2 (not {@code -XX:TieredStopAtLevel=1..3}, not {@code -Xint}):
     * without it the JDK's AES has no intrinsics and is slower than BouncyCastle's, and {@link Hpke}
     * keeps BouncyCastle.
     */
    static boolean worthIt() {
        return C2;
    }

    private static boolean c2() {
        try {
            var hs = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return hs != null
                    && Integer.parseInt(hs.getVMOption("TieredStopAtLevel").getValue()) >= 4
                    && !System.getProperty("java.vm.info", "").contains("interpreted");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** SealBase to {@code recipient} with the ephemeral key pair {@code ephemeral}: returns {@code {enc, ct}}. */
    static byte[][] seal(byte[] recipient, AsymmetricCipherKeyPair ephemeral, byte[] info, byte[] aad, byte[] pt) {
        byte[] enc = ((X25519PublicKeyParameters) ephemeral.getPublic()).getEncoded();
        byte[] dh =
                agree((X25519PrivateKeyParameters) ephemeral.getPrivate(), new X25519PublicKeyParameters(recipient, 0));
        byte[][] keyNonce = keySchedule(sharedSecret(dh, enc, recipient), info);
        byte[] ct = new byte[pt.length + TAG];
        gcmSeal(keyNonce, aad, pt, ct);
        return new byte[][] {enc, ct};
    }

    /**
     * OpenBase with {@code recipient}'s key pair.
     *
     * @throws InvalidCipherTextException if the ciphertext, enc, info or aad do not match
     */
    static byte[] open(AsymmetricCipherKeyPair recipient, byte[] enc, byte[] info, byte[] aad, byte[] ct)
            throws InvalidCipherTextException {
        if (enc.length != Hpke.ENC_BYTES || ct.length < TAG) {
            throw new InvalidCipherTextException("malformed enc or ciphertext");
        }
        byte[] dh = agree((X25519PrivateKeyParameters) recipient.getPrivate(), new X25519PublicKeyParameters(enc, 0));
        byte[][] keyNonce = keySchedule(sharedSecret(dh, enc, Hpke.publicKey(recipient)), info);
        int n = ct.length - TAG;
        if ((long) n > (0xffffffffL - 2) * 16) {
            throw new InvalidCipherTextException("ciphertext longer than GCM allows");
        }
        byte[] pt = new byte[n];
        try {
            // GCM's data counter blocks: nonce || 2, 3, ... (inc32; the message is far too short
            // for the low 32 bits to wrap, where a 128-bit counter would differ).
            byte[] counter = Arrays.copyOf(keyNonce[1], 16);
            counter[15] = 2;
            Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
            ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keyNonce[0], "AES"), new IvParameterSpec(counter));
            int off = 0;
            for (; n - off > CHUNK; off += CHUNK) {
                ctr.update(ct, off, CHUNK, pt, off);
            }
            ctr.doFinal(ct, off, n - off, pt, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed: " + e.getMessage(), e);
        }
        byte[] again = new byte[ct.length];
        gcmSeal(keyNonce, aad, pt, again);
        if (!MessageDigest.isEqual(Arrays.copyOfRange(again, n, again.length), Arrays.copyOfRange(ct, n, ct.length))) {
            Arrays.fill(pt, (byte) 0);
            throw new InvalidCipherTextException("mac check in GCM failed");
        }
        return pt;
    }

    private static void gcmSeal(byte[][] keyNonce, byte[] aad, byte[] pt, byte[] out) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(keyNonce[0], "AES"),
                    new GCMParameterSpec(TAG * 8, keyNonce[1]));
            c.updateAAD(aad);
            int in = 0;
            int o = 0;
            for (; pt.length - in > CHUNK; in += CHUNK) {
                o += c.update(pt, in, CHUNK, out, o);
            }
            o += c.doFinal(pt, in, pt.length - in, out, o);
            if (o != out.length) {
                throw new IllegalStateException("AES-GCM wrote " + o + " bytes, not " + out.length);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    /** X25519; an all-zero result (a low-order point) fails with {@link IllegalStateException}, as BouncyCastle's. */
    private static byte[] agree(X25519PrivateKeyParameters sk, X25519PublicKeyParameters pk) {
        X25519Agreement a = new X25519Agreement();
        a.init(sk);
        byte[] out = new byte[a.getAgreementSize()];
        a.calculateAgreement(pk, out, 0);
        return out;
    }

    /** DHKEM's ExtractAndExpand (RFC 9180 §4.1): kem_context = enc || pkRm. */
    private static byte[] sharedSecret(byte[] dh, byte[] enc, byte[] pkRm) {
        byte[] eaePrk = labeledExtract(KEM_SUITE, new byte[0], "eae_prk", dh);
        return labeledExpand(KEM_SUITE, eaePrk, "shared_secret", concat(enc, pkRm), NH);
    }

    /** KeySchedule (RFC 9180 §5.1), base mode, empty psk and psk_id: {@code {key, base_nonce}}. */
    private static byte[][] keySchedule(byte[] sharedSecret, byte[] info) {
        byte[] pskIdHash = labeledExtract(HPKE_SUITE, new byte[0], "psk_id_hash", new byte[0]);
        byte[] infoHash = labeledExtract(HPKE_SUITE, new byte[0], "info_hash", info);
        byte[] context = concat(new byte[] {0x00}, concat(pskIdHash, infoHash)); // mode_base
        byte[] secret = labeledExtract(HPKE_SUITE, sharedSecret, "secret", new byte[0]);
        return new byte[][] {
            labeledExpand(HPKE_SUITE, secret, "key", context, NK),
            labeledExpand(HPKE_SUITE, secret, "base_nonce", context, NN)
        };
    }

    /** LabeledExtract: HKDF-Extract(salt, "HPKE-v1" || suite || label || ikm); an empty salt is NH zeros. */
    private static byte[] labeledExtract(byte[] suite, byte[] salt, String label, byte[] ikm) {
        return hmac(salt.length == 0 ? new byte[NH] : salt, concat(concat(VERSION, suite), concat(ascii(label), ikm)));
    }

    /** LabeledExpand for at most NH bytes: T(1) = HMAC(prk, I2OSP(L, 2) || "HPKE-v1" || suite || label || info || 0x01). */
    private static byte[] labeledExpand(byte[] suite, byte[] prk, String label, byte[] info, int length) {
        byte[] labeled = concat(
                concat(new byte[] {(byte) (length >>> 8), (byte) length}, concat(VERSION, suite)),
                concat(ascii(label), info));
        return Arrays.copyOf(hmac(prk, concat(labeled, new byte[] {1})), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
