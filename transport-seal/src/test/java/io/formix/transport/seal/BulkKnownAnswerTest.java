package io.formix.transport.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/**
 * The bulk envelope's primitives give the standard bytes: RFC 9180 Appendix A.2.1
 * (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, base mode) for {@link Hpke}'s bulk
 * suite, and RFC 8032 section 7.3 (Ed25519ph, message "abc") for {@link IdentityKey#signPrehash}.
 */
class BulkKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] IKM_E =
            HEX.parseHex("909a9b35d3dc4713a5e72a4da274b55d3d3821a37e5d099e74a647db583a904b");
    private static final byte[] PK_EM =
            HEX.parseHex("1afa08d3dec047a643885163f1180476fa7ddb54c6a8029ea33f95796bf2ac4a");
    private static final byte[] SK_EM =
            HEX.parseHex("f4ec9b33b792c372c1d2c2063507b684ef925b8c75a42dbcbf57d63ccd381600");
    private static final byte[] IKM_R =
            HEX.parseHex("1ac01f181fdf9f352797655161c58b75c656a6cc2716dcb66372da835542e1df");
    private static final byte[] PK_RM =
            HEX.parseHex("4310ee97d88cc1f088a5576c77ab0cf5c3ac797f3d95139c6c84b5429c59662a");
    private static final byte[] SK_RM =
            HEX.parseHex("8057991eef8f1f1af18f4a9491d16a1ce333f695d4db8e38da75975c4478e0fb");
    private static final byte[] INFO = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
    private static final byte[] PT = HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479");
    private static final byte[] AAD0 = HEX.parseHex("436f756e742d30");
    private static final byte[] CT0 =
            HEX.parseHex("1c5250d8034ec2b784ba2cfd69dbdb8af406cfe3ff938e131f0def8c8b60b4db21993c62ce81883d2dd1b51a28");

    private static final byte[] ED_SK =
            HEX.parseHex("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42");
    private static final byte[] ED_PK =
            HEX.parseHex("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf");
    private static final byte[] ED_MSG = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ED_SIG = HEX.parseHex("98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae41"
            + "31f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406");

    @Test
    void bulkSuiteDerivesTheRfc9180Keys() {
        HPKE hpke = Hpke.newBulkSuite();
        assertArrayEquals(PK_EM, Hpke.publicKey(hpke.deriveKeyPair(IKM_E)));
        assertArrayEquals(SK_EM, Hpke.privateKey(hpke.deriveKeyPair(IKM_E)));
        assertArrayEquals(PK_RM, Hpke.publicKey(hpke.deriveKeyPair(IKM_R)));
        assertArrayEquals(SK_RM, Hpke.privateKey(hpke.deriveKeyPair(IKM_R)));
    }

    @Test
    void bulkSuiteSealsTheRfc9180Ciphertext() throws Exception {
        HPKE hpke = Hpke.newBulkSuite();
        HPKEContextWithEncapsulation ctx =
                hpke.setupBaseS(hpke.deriveKeyPair(IKM_R).getPublic(), INFO, hpke.deriveKeyPair(IKM_E));
        assertArrayEquals(PK_EM, ctx.getEncapsulation());
        assertArrayEquals(CT0, ctx.seal(AAD0, PT));
    }

    @Test
    void bulkSuiteOpensTheRfc9180CiphertextInPlace() throws Exception {
        AsymmetricCipherKeyPair r = Hpke.fromPrivate(SK_RM);
        // The ciphertext in the middle of a larger buffer, as it sits in an envelope.
        byte[] buf = new byte[CT0.length + 10];
        System.arraycopy(CT0, 0, buf, 7, CT0.length);
        assertArrayEquals(PT, Hpke.open(true, r, PK_EM, INFO, AAD0, buf, 7, CT0.length));
        byte[] bad = buf.clone();
        bad[7 + CT0.length - 1] ^= 1;
        assertThrows(InvalidCipherTextException.class, () -> Hpke.open(true, r, PK_EM, INFO, AAD0, bad, 7, CT0.length));
        // The version 1 suite (AES-128-GCM) does not open it.
        assertThrows(
                InvalidCipherTextException.class, () -> Hpke.open(false, r, PK_EM, INFO, AAD0, buf, 7, CT0.length));
    }

    @Test
    void ed25519phGivesTheRfc8032Signature() {
        IdentityKey k = IdentityKey.fromSeed(ED_SK);
        assertArrayEquals(ED_PK, k.publicKey());
        assertArrayEquals(ED_SIG, k.signPrehash(IdentityKey.Slice.of(ED_MSG)));
        // The same bytes signed in parts give the same signature (the hash runs over the concatenation).
        assertArrayEquals(
                ED_SIG, k.signPrehash(new IdentityKey.Slice(ED_MSG, 0, 1), new IdentityKey.Slice(ED_MSG, 1, 2)));
    }

    @Test
    void ed25519phVerifiesTheRfc8032SignatureAndNothingElse() {
        var pk = IdentityKey.publicParameters(ED_PK);
        byte[] framed = new byte[ED_SIG.length + 5];
        System.arraycopy(ED_SIG, 0, framed, 5, ED_SIG.length);
        assertTrue(IdentityKey.verifyPrehash(pk, framed, 5, IdentityKey.Slice.of(ED_MSG)));
        assertFalse(IdentityKey.verifyPrehash(
                pk, framed, 5, IdentityKey.Slice.of("abd".getBytes(StandardCharsets.US_ASCII))));
        assertFalse(
                IdentityKey.verifyPrehash(pk, HpkeKnownAnswerTest.flip(ED_SIG, 0), 0, IdentityKey.Slice.of(ED_MSG)));
        // Domain separation: an Ed25519ph signature is no pure Ed25519 signature of the same message, and back.
        assertFalse(IdentityKey.verify(pk, ED_SIG, 0, IdentityKey.Slice.of(ED_MSG)));
        byte[] pure = IdentityKey.fromSeed(ED_SK).sign(ED_MSG);
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, pk);
        v.update(ED_MSG, 0, ED_MSG.length);
        assertTrue(v.verifySignature(pure));
        assertFalse(IdentityKey.verifyPrehash(pk, pure, 0, IdentityKey.Slice.of(ED_MSG)));
    }
}
