package io.formix.transport.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.junit.jupiter.api.Test;

/**
 * RFC 9180 Appendix A.1 (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode), the
 * suite {@link Hpke} wraps: key derivation, a deterministic seal with the RFC's ephemeral key, and
 * an open of the RFC's ciphertext; then interoperation across independently derived keys.
 */
class HpkeKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] IKM_E =
            HEX.parseHex("7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234");
    private static final byte[] PK_EM =
            HEX.parseHex("37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431");
    private static final byte[] SK_EM =
            HEX.parseHex("52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736");
    private static final byte[] IKM_R =
            HEX.parseHex("6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037");
    private static final byte[] PK_RM =
            HEX.parseHex("3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d");
    private static final byte[] SK_RM =
            HEX.parseHex("4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8");
    private static final byte[] INFO = HEX.parseHex("4f6465206f6e2061204772656369616e2055726e");
    private static final byte[] PT = HEX.parseHex("4265617574792069732074727574682c20747275746820626561757479");
    private static final byte[] AAD0 = HEX.parseHex("436f756e742d30");
    private static final byte[] CT0 =
            HEX.parseHex("f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a");

    @Test
    void deriveKeyPairMatchesRfc9180() {
        HPKE hpke = Hpke.newSuite();
        AsymmetricCipherKeyPair e = hpke.deriveKeyPair(IKM_E);
        AsymmetricCipherKeyPair r = hpke.deriveKeyPair(IKM_R);
        assertArrayEquals(PK_EM, Hpke.publicKey(e));
        assertArrayEquals(SK_EM, Hpke.privateKey(e));
        assertArrayEquals(PK_RM, Hpke.publicKey(r));
        assertArrayEquals(SK_RM, Hpke.privateKey(r));
    }

    @Test
    void sealWithTheRfcEphemeralKeyGivesTheRfcCiphertext() throws Exception {
        HPKE hpke = Hpke.newSuite();
        HPKEContextWithEncapsulation ctx =
                hpke.setupBaseS(hpke.deriveKeyPair(IKM_R).getPublic(), INFO, hpke.deriveKeyPair(IKM_E));
        assertArrayEquals(PK_EM, ctx.getEncapsulation());
        assertArrayEquals(CT0, ctx.seal(AAD0, PT));
    }

    @Test
    void opensTheRfcCiphertextWithTheRfcRecipientKey() throws Exception {
        AsymmetricCipherKeyPair r = Hpke.fromPrivate(SK_RM);
        assertArrayEquals(PK_RM, Hpke.publicKey(r));
        assertArrayEquals(PT, Hpke.open(r, PK_EM, INFO, AAD0, CT0));
        assertThrows(InvalidCipherTextException.class, () -> Hpke.open(r, PK_EM, INFO, AAD0, flip(CT0, 3)));
        assertThrows(InvalidCipherTextException.class, () -> Hpke.open(r, PK_EM, INFO, flip(AAD0, 0), CT0));
        assertThrows(InvalidCipherTextException.class, () -> Hpke.open(r, PK_EM, flip(INFO, 0), AAD0, CT0));
    }

    @Test
    void interoperatesAcrossIndependentlyDerivedKeys() throws Exception {
        // Two suite instances, as sender and receiver would hold; the receiver derives its key
        // from seed bytes, the sender knows only the raw public key.
        byte[] ikm = "independent recipient seed, 32+ bytes long".getBytes(StandardCharsets.US_ASCII);
        AsymmetricCipherKeyPair recipient = Hpke.newSuite().deriveKeyPair(ikm);
        byte[] rawPublic = Hpke.publicKey(recipient);
        byte[] msg = "share 42".getBytes(StandardCharsets.US_ASCII);
        byte[][] encCt = Hpke.seal(rawPublic, INFO, AAD0, msg);
        assertEquals(Hpke.ENC_BYTES, encCt[0].length);
        assertEquals(msg.length + Hpke.TAG_BYTES, encCt[1].length);
        AsymmetricCipherKeyPair rederived =
                Hpke.fromPrivate(Hpke.privateKey(Hpke.newSuite().deriveKeyPair(ikm)));
        assertArrayEquals(msg, Hpke.open(rederived, encCt[0], INFO, AAD0, encCt[1]));
        AsymmetricCipherKeyPair other = Hpke.generate();
        assertThrows(InvalidCipherTextException.class, () -> Hpke.open(other, encCt[0], INFO, AAD0, encCt[1]));
    }

    @Test
    void theJdkAeadPathGivesTheRfcCiphertextAndOpensIt() throws Exception {
        HPKE hpke = Hpke.newSuite();
        byte[][] encCt = JdkHpke.seal(PK_RM, hpke.deriveKeyPair(IKM_E), INFO, AAD0, PT);
        assertArrayEquals(PK_EM, encCt[0]);
        assertArrayEquals(CT0, encCt[1]);
        AsymmetricCipherKeyPair r = Hpke.fromPrivate(SK_RM);
        assertArrayEquals(PT, JdkHpke.open(r, PK_EM, INFO, AAD0, CT0));
        assertThrows(InvalidCipherTextException.class, () -> JdkHpke.open(r, PK_EM, INFO, AAD0, flip(CT0, 3)));
        assertThrows(InvalidCipherTextException.class, () -> JdkHpke.open(r, PK_EM, INFO, AAD0, flip(CT0, 40)));
        assertThrows(InvalidCipherTextException.class, () -> JdkHpke.open(r, PK_EM, INFO, flip(AAD0, 0), CT0));
        assertThrows(InvalidCipherTextException.class, () -> JdkHpke.open(r, PK_EM, flip(INFO, 0), AAD0, CT0));
        assertThrows(InvalidCipherTextException.class, () -> JdkHpke.open(r, PK_EM, INFO, AAD0, new byte[15]));
        assertThrows(InvalidCipherTextException.class, () -> JdkHpke.open(r, new byte[31], INFO, AAD0, CT0));
        assertThrows(IllegalStateException.class, () -> JdkHpke.open(r, new byte[32], INFO, AAD0, CT0));
    }

    @Test
    void largeMessagesOnTheJdkPathInteroperateWithBouncyCastle() throws Exception {
        AsymmetricCipherKeyPair r = Hpke.generate();
        HPKE hpke = Hpke.newSuite();
        for (int size : new int[] {0, 1, 16, JdkHpke.CHUNK - 1, JdkHpke.CHUNK, 3 * JdkHpke.CHUNK + 5, 200_001}) {
            byte[] msg = new byte[size];
            new java.util.Random(size).nextBytes(msg);
            // The same ephemeral key gives the same bytes on both paths.
            AsymmetricCipherKeyPair e = Hpke.generate();
            byte[] bc = hpke.setupBaseS(r.getPublic(), INFO, e).seal(AAD0, msg);
            byte[][] jdk = JdkHpke.seal(Hpke.publicKey(r), e, INFO, AAD0, msg);
            assertArrayEquals(bc, jdk[1], "size " + size);
            // Sealed by the JDK path, opened by BouncyCastle, and the reverse.
            assertArrayEquals(msg, hpke.open(jdk[0], r, INFO, AAD0, jdk[1], null, null, null));
            byte[][] bcCtEnc = hpke.seal(r.getPublic(), INFO, AAD0, msg, null, null, null);
            assertArrayEquals(msg, JdkHpke.open(r, bcCtEnc[1], INFO, AAD0, bcCtEnc[0]));
            if (size > 0) {
                assertThrows(
                        InvalidCipherTextException.class,
                        () -> JdkHpke.open(r, jdk[0], INFO, AAD0, flip(jdk[1], size - 1)));
            }
            assertThrows(
                    InvalidCipherTextException.class,
                    () -> JdkHpke.open(r, jdk[0], INFO, AAD0, flip(jdk[1], jdk[1].length - 1)));
            assertThrows(
                    InvalidCipherTextException.class, () -> JdkHpke.open(Hpke.generate(), jdk[0], INFO, AAD0, jdk[1]));
        }
        // Through Hpke, whichever path this JVM takes at this size.
        byte[] big = new byte[Hpke.JDK_AEAD_FROM_BYTES + 12_345];
        byte[][] encCt = Hpke.seal(Hpke.publicKey(r), INFO, AAD0, big);
        assertArrayEquals(big, hpke.open(encCt[0], r, INFO, AAD0, encCt[1], null, null, null));
        assertArrayEquals(big, Hpke.open(r, encCt[0], INFO, AAD0, encCt[1]));
        assertThrows(
                InvalidCipherTextException.class, () -> Hpke.open(r, encCt[0], INFO, AAD0, flip(encCt[1], 70_000)));
    }

    static byte[] flip(byte[] b, int i) {
        byte[] c = b.clone();
        c[i] ^= 1;
        return c;
    }
}
