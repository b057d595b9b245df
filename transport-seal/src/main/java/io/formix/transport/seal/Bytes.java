package io.formix.transport.seal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Encodings, hashing and randomness shared by the package. */
final class Bytes {

    /** The one source of key material, ids and nonces. */
    static final SecureRandom RANDOM = new SecureRandom();

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {}

    static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String b64(byte[] b) {
        return B64.encodeToString(b);
    }

    /**
     * Decodes unpadded base64url, refusing padding, other alphabets and non-canonical trailing bits
     * (so one value has one spelling).
     *
     * @throws IllegalArgumentException if {@code s} is not canonical unpadded base64url
     */
    static byte[] unb64(String s) {
        if (s.indexOf('=') >= 0) {
            throw new IllegalArgumentException("padded base64url");
        }
        byte[] b = B64D.decode(s);
        if (!B64.encodeToString(b).equals(s)) {
            throw new IllegalArgumentException("non-canonical base64url");
        }
        return b;
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** @throws IllegalArgumentException if {@code s} is not lower-case hex of even length */
    static byte[] unhex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException("not lower-case hex");
            }
        }
        return HEX.parseHex(s);
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Constant-time comparison, for keys and fingerprints. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Text from others, cut and stripped of control characters, safe for a one-line message. */
    static String printable(String s) {
        String cut = s.length() > 70 ? s.substring(0, 70) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
