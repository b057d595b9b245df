package io.formix.transport.tcp;

import io.formix.transport.BadFrameException;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;

/**
 * The first frame on a directory-mode connection, sent by the dialler: {@code formix-tcp/1 <from> <to>}
 * in ASCII. The listener answers with one frame, {@code ok} or {@code no <reason>}. Both are at most
 * {@link #MAX_BYTES} long and parsed strictly; ids are validated as {@link PartyId}s before use.
 */
record Hello(PartyId from, PartyId to) {

    /** Bound on a hello or a reply frame: the tag, two ids of at most 63 characters, spaces. */
    static final int MAX_BYTES = 160;

    private static final String TAG = "formix-tcp/1";
    private static final String OK = "ok";

    byte[] encode() {
        return (TAG + " " + from + " " + to).getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a hello, refusing anything that is not exactly the tag and two valid ids. */
    static Hello parse(byte[] frame) throws BadFrameException {
        String s = ascii(frame);
        String[] parts = s.split(" ", -1);
        if (parts.length != 3 || !parts[0].equals(TAG)) {
            throw new BadFrameException("not a formix-tcp/1 hello: '" + s + "'");
        }
        if (!PartyId.isValid(parts[1]) || !PartyId.isValid(parts[2])) {
            throw new BadFrameException("hello carries an invalid party id: '" + s + "'");
        }
        return new Hello(PartyId.of(parts[1]), PartyId.of(parts[2]));
    }

    static byte[] accept() {
        return OK.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] refuse(String reason) {
        String r = "no " + reason;
        return (r.length() > MAX_BYTES ? r.substring(0, MAX_BYTES) : r).getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns null if {@code reply} accepts, else the peer's reason. */
    static String refusal(byte[] reply) throws BadFrameException {
        String s = ascii(reply);
        if (s.equals(OK)) {
            return null;
        }
        if (s.startsWith("no ")) {
            return s.substring(3);
        }
        throw new BadFrameException("not a formix-tcp/1 hello reply: '" + s + "'");
    }

    /** Decodes printable ASCII, replacing anything else with '?', so messages stay readable. */
    private static String ascii(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        for (byte x : b) {
            sb.append(x >= 0x20 && x < 0x7f ? (char) x : '?');
        }
        return sb.toString();
    }
}
