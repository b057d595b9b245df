package io.formix.transport.file;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Non-empty completion markers: the ASCII line {@code <size> <sha256>\n}, where size is the message
 * file's length in bytes (8 + L) and sha256 the lower-case hex SHA-256 of the whole message file,
 * so {@code sha256sum n.msg} checks it. An empty marker (wire format v1) says only "complete";
 * readers accept both.
 */
final class Markers {

    /** A marker longer than this is not one of ours: never read further. */
    static final int MAX_BYTES = 128;

    private Markers() {}

    /** What a non-empty marker says about its message file. */
    record Marker(long size, byte[] sha256) {}

    /** The marker line for a message file holding {@code header} then {@code payload}. */
    static byte[] of(byte[] header, byte[] payload) {
        MessageDigest d = sha256();
        d.update(header);
        d.update(payload);
        String line =
                (header.length + (long) payload.length) + " " + HexFormat.of().formatHex(d.digest()) + "\n";
        return line.getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a marker's bytes; null if they are not exactly one marker line. */
    static Marker parse(byte[] b, int len) {
        if (len < 67 || len > MAX_BYTES || b[len - 1] != '\n') {
            return null;
        }
        String s = new String(b, 0, len - 1, StandardCharsets.US_ASCII);
        int sp = s.indexOf(' ');
        if (sp < 1 || sp > 19 || s.length() - sp - 1 != 64) {
            return null;
        }
        long size = 0;
        for (int i = 0; i < sp; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            size = size * 10 + (c - '0');
        }
        String hex = s.substring(sp + 1);
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return new Marker(size, HexFormat.of().parseHex(hex));
    }

    /** The SHA-256 of {@code header} then {@code payload}. */
    static byte[] digest(byte[] header, byte[] payload) {
        MessageDigest d = sha256();
        d.update(header);
        d.update(payload);
        return d.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
