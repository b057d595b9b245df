package io.formix.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;

/**
 * The binary form of a {@code share} message (protocol.md, "The binary form of a share"), which
 * carries a multi-megabyte vector share without base64 or a JSON string around it:
 *
 * <pre>
 * 0x00 'F' 'X' 'B'     magic (a JSON payload never starts with 0x00)
 * n                    length of the JSON part, big-endian uint32, 2 ≤ n ≤ {@value #MAX_JSON_BYTES}
 * n bytes              the envelope as UTF-8 JSON, type "share", body {}
 * the rest             the share: its ShareCodec bytes, what "share" holds in base64 in the JSON form
 * </pre>
 *
 * Decoding checks the magic and the stated length against the payload before reading anything;
 * the share is then held to the same bounds as the JSON form's ({@link Bodies.Share#parse}).
 */
final class BinaryForm {

    static final byte[] MAGIC = {0x00, 'F', 'X', 'B'};
    static final int PREFIX_BYTES = MAGIC.length + 4;
    /** Longest JSON part: an envelope without a body is far shorter ({@link MessageLimits#ENVELOPE_BYTES}). */
    static final int MAX_JSON_BYTES = 4 * 1024;

    private BinaryForm() {}

    /** Whether {@code e} is sent in this form: a {@code share} whose body is exactly its bytes. */
    static boolean carries(Envelope e) {
        return e.type() == MessageType.SHARE
                && e.body().size() == 1
                && e.body().get(Bodies.Share.FIELD) instanceof BinaryNode;
    }

    /** Whether {@code payload} starts with the magic of this form. */
    static boolean is(byte[] payload) {
        return payload.length >= 1 && payload[0] == MAGIC[0];
    }

    static byte[] encode(Envelope e) {
        byte[] share = ((BinaryNode) e.body().get(Bodies.Share.FIELD)).binaryValue();
        byte[] json = e.json(Envelope.JSON.createObjectNode());
        byte[] out = new byte[PREFIX_BYTES + json.length + share.length];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[4] = (byte) (json.length >>> 24);
        out[5] = (byte) (json.length >>> 16);
        out[6] = (byte) (json.length >>> 8);
        out[7] = (byte) json.length;
        System.arraycopy(json, 0, out, PREFIX_BYTES, json.length);
        System.arraycopy(share, 0, out, PREFIX_BYTES + json.length, share.length);
        return out;
    }

    /**
     * Decodes the binary form: the envelope, with body {@code {"share": <the bytes>}}.
     *
     * @throws ProtocolException with the reason when anything is off
     */
    static Envelope decode(byte[] payload) throws ProtocolException {
        if (payload.length < PREFIX_BYTES || !Arrays.equals(payload, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new ProtocolException("not JSON and not a binary share (" + payload.length + " bytes)");
        }
        long n = ((payload[4] & 0xffL) << 24)
                | ((payload[5] & 0xff) << 16)
                | ((payload[6] & 0xff) << 8)
                | (payload[7] & 0xff);
        if (n < 2 || n > MAX_JSON_BYTES || n > payload.length - PREFIX_BYTES) {
            throw new ProtocolException("binary share: a JSON part of " + n + " bytes in a payload of " + payload.length
                    + " (at most " + MAX_JSON_BYTES + ")");
        }
        int json = (int) n;
        Envelope head = Envelope.decodeJson(payload, PREFIX_BYTES, json);
        if (head.type() != MessageType.SHARE) {
            throw new ProtocolException("binary form of a '" + head.type().wire() + "' message: only shares have one");
        }
        if (head.body().size() != 0) {
            throw new ProtocolException("binary share: the JSON part's body must be empty");
        }
        int start = PREFIX_BYTES + json;
        if (payload.length - start > Bodies.Share.MAX_BYTES) {
            throw new ProtocolException(
                    "binary share: " + (payload.length - start) + " bytes of share, at most " + Bodies.Share.MAX_BYTES);
        }
        ObjectNode body = Envelope.JSON.createObjectNode();
        body.set(Bodies.Share.FIELD, BinaryNode.valueOf(Arrays.copyOfRange(payload, start, payload.length)));
        return new Envelope(head.v(), head.type(), head.id(), head.from(), head.to(), head.computation(), body);
    }

    /** The share bytes of a body decoded from this form, or null if the body is JSON text. */
    static byte[] bytes(JsonNode body) {
        JsonNode f = body.get(Bodies.Share.FIELD);
        return f instanceof BinaryNode b ? b.binaryValue() : null;
    }
}
