package io.formix.transport.seal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 signing key pair (RFC 8032): a node's identity key, or a network admin's key. It signs
 * with pure Ed25519, and bulk envelopes with Ed25519ph (RFC 8032 section 5.1: the same key over the
 * SHA-512 of the message, with the empty context), whose SHA-512 the JDK computes. The
 * private half never leaves this object except to {@link NodeKeys}' key file; {@link #toString()}
 * shows the fingerprint only. Thread-safe.
 */
public final class IdentityKey {

    /** Raw length of an Ed25519 public key and private seed. */
    static final int KEY_BYTES = 32;
    /** Length of an Ed25519 signature. */
    static final int SIGNATURE_BYTES = 64;

    private final Ed25519PrivateKeyParameters privateKey;
    private final byte[] publicKey;

    private IdentityKey(Ed25519PrivateKeyParameters privateKey) {
        this.privateKey = privateKey;
        this.publicKey = privateKey.generatePublicKey().getEncoded();
    }

    /** A fresh key pair from {@code SecureRandom}. */
    public static IdentityKey generate() {
        return new IdentityKey(new Ed25519PrivateKeyParameters(Bytes.RANDOM));
    }

    static IdentityKey fromSeed(byte[] seed) {
        if (seed.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 private key is " + KEY_BYTES + " bytes");
        }
        return new IdentityKey(new Ed25519PrivateKeyParameters(seed, 0));
    }

    byte[] seed() {
        return privateKey.getEncoded();
    }

    /** The raw 32-byte public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** {@link Fingerprint} of the public key. */
    public String fingerprint() {
        return Fingerprint.of(publicKey);
    }

    /** Signs the concatenation of {@code parts}. */
    byte[] sign(byte[]... parts) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        for (byte[] p : parts) {
            signer.update(p, 0, p.length);
        }
        return signer.generateSignature();
    }

    /**
     * The Ed25519ph context (RFC 8032 section 5.1): empty. Ed25519ph's dom2 prefix (phflag 1)
     * already keeps its signatures apart from pure Ed25519 ones made by the same key.
     */
    static final byte[] PH_CONTEXT = new byte[0];

    /** Signs the concatenation of {@code parts} with Ed25519ph (pre-hashed with SHA-512). */
    byte[] signPrehash(Slice... parts) {
        byte[] sig = new byte[SIGNATURE_BYTES];
        privateKey.sign(Ed25519.Algorithm.Ed25519ph, PH_CONTEXT, sha512(parts), 0, Ed25519.PREHASH_SIZE, sig, 0);
        return sig;
    }

    /**
     * Whether {@code signature} at {@code sigOff} is {@code key}'s Ed25519ph signature of the
     * concatenated slices.
     */
    static boolean verifyPrehash(Ed25519PublicKeyParameters key, byte[] signature, int sigOff, Slice... parts) {
        return key.verify(
                Ed25519.Algorithm.Ed25519ph, PH_CONTEXT, sha512(parts), 0, Ed25519.PREHASH_SIZE, signature, sigOff);
    }

    private static byte[] sha512(Slice... parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-512", e);
        }
        for (Slice s : parts) {
            md.update(s.buf(), s.off(), s.len());
        }
        return md.digest();
    }

    /** The verifier's form of a raw public key; decoding it once saves work on every verify. */
    static Ed25519PublicKeyParameters publicParameters(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("an Ed25519 public key is " + KEY_BYTES + " bytes");
        }
        return new Ed25519PublicKeyParameters(raw, 0);
    }

    /** Whether {@code signature} is {@code key}'s signature of the slices {@code (buf, off, len)...}. */
    static boolean verify(Ed25519PublicKeyParameters key, byte[] signature, int sigOff, Slice... parts) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        for (Slice s : parts) {
            verifier.update(s.buf(), s.off(), s.len());
        }
        byte[] sig = sigOff == 0 && signature.length == SIGNATURE_BYTES
                ? signature
                : java.util.Arrays.copyOfRange(signature, sigOff, sigOff + SIGNATURE_BYTES);
        return verifier.verifySignature(sig);
    }

    /** A part of an array, so a signature is checked over a received buffer without copying it. */
    record Slice(byte[] buf, int off, int len) {
        static Slice of(byte[] b) {
            return new Slice(b, 0, b.length);
        }
    }

    @Override
    public String toString() {
        return "IdentityKey[" + fingerprint() + "]";
    }
}
