package io.formix.mpc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SortedSet;

/** Validation of contributor ids and the digest that names a contributor set. */
final class ContributorIds {

    /** Longest contributor id, in chars. */
    static final int MAX_ID_LENGTH = 256;

    private static final byte[] DOMAIN = "formix-mpc/contributor-set/v1\0".getBytes(StandardCharsets.US_ASCII);

    private ContributorIds() {}

    /** Returns {@code id} if it is 1..256 chars without control characters. */
    static String validate(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("contributor id must be 1.." + MAX_ID_LENGTH + " chars, got "
                    + (id == null ? "null" : id.length() + " chars"));
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new IllegalArgumentException("contributor id contains a control character at index " + i);
            }
        }
        return id;
    }

    /**
     * SHA-256 over a domain tag, then for each id in {@code String} order its UTF-8 length (4 bytes,
     * big-endian) and bytes. Equal sets give equal digests; the encoding is injective.
     */
    static byte[] digest(SortedSet<String> ids) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-256", e);
        }
        sha.update(DOMAIN);
        for (String id : ids) {
            byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(4).putInt(utf8.length).array());
            sha.update(utf8);
        }
        return sha.digest();
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }
}
