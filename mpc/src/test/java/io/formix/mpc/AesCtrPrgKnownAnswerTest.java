package io.formix.mpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Pins the seed expansion. The expected values were computed once, outside the JDK, with OpenSSL
 * (Python {@code cryptography}: AES-256-CTR, zero counter block, key stream read as little-endian
 * int32); each test also recomputes them here with an independent counter-mode built on AES/ECB.
 */
class AesCtrPrgKnownAnswerTest {

    private static final byte[] SEED_0_TO_31 = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            SEED_0_TO_31[i] = (byte) i;
        }
    }

    /** NIST SP 800-38A F.5.5 key. */
    private static final byte[] NIST_KEY =
            HexFormat.of().parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");

    @Test
    void expansionOfSeed0To31MatchesOpenSsl() {
        int[] v = AesCtrPrg.expand(SEED_0_TO_31, 10_000);
        int[] indices = {0, 1, 2, 3, 4095, 4096, 4097, 9999};
        int[] expected = {
            -1241476878, -794867414, 1788539817, -2139672867, -514395378, 1249288355, -1784388113, -1786414652
        };
        for (int i = 0; i < indices.length; i++) {
            assertEquals(expected[i], v[indices[i]], "element " + indices[i]);
        }
        int sum = 0;
        for (int x : v) {
            sum += x;
        }
        assertEquals(1058437300, sum, "sum of all 10000 elements mod 2^32");
        assertArrayEquals(ecbCounterMode(SEED_0_TO_31, 10_000), v);
    }

    @Test
    void expansionOfTheNistKeyMatchesOpenSsl() {
        assertArrayEquals(new int[] {-2114557723, -696856684, -1068741353, 1420300355}, AesCtrPrg.expand(NIST_KEY, 4));
    }

    @Test
    void jdkAes256MatchesNistSp80038aBlockVector() throws Exception {
        // F.5.5 CTR-AES256.Encrypt block 1: the AES primitive the expansion is built on.
        Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
        ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(NIST_KEY, "AES"));
        byte[] keystream = ecb.doFinal(HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"));
        byte[] plain = HexFormat.of().parseHex("6bc1bee22e409f96e93d7e117393172a");
        byte[] cipher = new byte[16];
        for (int i = 0; i < 16; i++) {
            cipher[i] = (byte) (keystream[i] ^ plain[i]);
        }
        assertEquals("601ec313775789a5b7a7f504bbf3d228", HexFormat.of().formatHex(cipher));
    }

    @Test
    void everyLengthIsAPrefixOfTheSameStream() {
        int[] full = AesCtrPrg.expand(SEED_0_TO_31, 9000);
        for (int length : new int[] {0, 1, 4095, 4096, 4097, 8193}) {
            int[] prefix = AesCtrPrg.expand(SEED_0_TO_31, length);
            for (int j = 0; j < length; j++) {
                assertEquals(full[j], prefix[j]);
            }
        }
    }

    @Test
    void addToAndSubtractFromAgreeWithExpand() {
        int[] base = new int[5000];
        for (int j = 0; j < base.length; j++) {
            base[j] = j * 0x9E3779B9;
        }
        int[] prg = AesCtrPrg.expand(SEED_0_TO_31, base.length);
        int[] added = base.clone();
        AesCtrPrg.addTo(SEED_0_TO_31, added);
        for (int j = 0; j < base.length; j++) {
            assertEquals(base[j] + prg[j], added[j]);
        }
        AesCtrPrg.subtractFrom(SEED_0_TO_31, added);
        assertArrayEquals(base, added);
    }

    @Test
    void differentSeedsGiveDifferentStreams() {
        byte[] other = SEED_0_TO_31.clone();
        other[31] ^= 1;
        assertNotEquals(AesCtrPrg.expand(SEED_0_TO_31, 4)[0], AesCtrPrg.expand(other, 4)[0]);
    }

    @Test
    void refusesBadSeedsAndLengths() {
        assertThrows(IllegalArgumentException.class, () -> AesCtrPrg.expand(new byte[16], 4));
        assertThrows(IllegalArgumentException.class, () -> AesCtrPrg.expand(new byte[33], 4));
        assertThrows(IllegalArgumentException.class, () -> AesCtrPrg.expand(SEED_0_TO_31, -1));
    }

    /** Counter mode written out: block i = AES_seed(i as a 128-bit big-endian integer). */
    private static int[] ecbCounterMode(byte[] seed, int length) {
        try {
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"));
            int[] out = new int[length];
            byte[] counter = new byte[16];
            for (int block = 0; block * 4 < length; block++) {
                long c = block;
                for (int b = 15; b >= 8; b--) {
                    counter[b] = (byte) c;
                    c >>>= 8;
                }
                byte[] ks = ecb.doFinal(counter);
                for (int w = 0; w < 4 && block * 4 + w < length; w++) {
                    int o = w * 4;
                    out[block * 4 + w] = (ks[o] & 0xff)
                            | (ks[o + 1] & 0xff) << 8
                            | (ks[o + 2] & 0xff) << 16
                            | (ks[o + 3] & 0xff) << 24;
                }
            }
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
