package io.formix.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One protocol message: {@code {"v":1,"type":...,"id":...,"from":...,"to":...,"computation":...,
 * "body":{...}}}. {@code id} is a random message id (for logs and tracing); {@code computation}
 * is the computation id. The body's shape depends on the type; see {@link Bodies}.
 *
 * <p>{@code toString} never shows the body: it may hold a share.
 */
public record Envelope(
        int v, MessageType type, String id, PartyId from, PartyId to, String computation, JsonNode body) {

    /** The only protocol version this code speaks. */
    public static final int VERSION = 1;
    /** Computation ids: same alphabet as party ids, so they are safe in logs and file names. */
    public static final Pattern COMPUTATION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    static final ObjectMapper JSON = new ObjectMapper();

    public Envelope {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(body, "body");
    }

    /** A new envelope with a fresh message id. */
    public static Envelope of(MessageType type, PartyId from, PartyId to, String computation, JsonNode body) {
        return new Envelope(VERSION, type, UUID.randomUUID().toString(), from, to, computation, body);
    }

    /**
     * Serialises to UTF-8 JSON; a {@code share} whose body holds its bytes ({@link
     * Bodies.Share#toBinaryJson}) to the binary form ({@link BinaryForm}: the envelope as JSON, then
     * the share's bytes as they are).
     */
    public byte[] encode() {
        if (BinaryForm.carries(this)) {
            return BinaryForm.encode(this);
        }
        return json(body);
    }

    /** This envelope with {@code body} instead of its own, as UTF-8 JSON. */
    byte[] json(JsonNode body) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", v);
        o.put("type", type.wire());
        o.put("id", id);
        o.put("from", from.value());
        o.put("to", to.value());
        o.put("computation", computation);
        o.set("body", body);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /**
     * Parses and validates the envelope (not the body: see {@link Bodies}).
     *
     * @throws ProtocolException with the reason when anything is off
     */
    public static Envelope decode(byte[] bytes) throws ProtocolException {
        if (BinaryForm.is(bytes)) {
            return BinaryForm.decode(bytes);
        }
        return decodeJson(bytes, 0, bytes.length);
    }

    /** {@link #decode} of the JSON envelope in {@code bytes[offset, offset + length)}. */
    static Envelope decodeJson(byte[] bytes, int offset, int length) throws ProtocolException {
        JsonNode n;
        try {
            n = JSON.readTree(bytes, offset, length);
        } catch (IOException e) {
            throw new ProtocolException("not JSON (" + length + " bytes)");
        }
        if (n == null || !n.isObject()) {
            throw new ProtocolException("envelope is not a JSON object");
        }
        JsonNode v = n.get("v");
        if (v == null || !v.isInt()) {
            throw new ProtocolException("envelope has no integer 'v'");
        }
        if (v.intValue() != VERSION) {
            throw new ProtocolException(
                    "unsupported protocol version " + v.intValue() + " (this node speaks " + VERSION + ")");
        }
        MessageType type = MessageType.fromWire(text(n, "type"));
        String id = text(n, "id");
        if (id.length() > 64) {
            throw new ProtocolException("message id longer than 64 characters");
        }
        PartyId from = party(n, "from");
        PartyId to = party(n, "to");
        String computation = text(n, "computation");
        if (!COMPUTATION_ID.matcher(computation).matches()) {
            throw new ProtocolException("invalid computation id '" + clip(computation) + "'");
        }
        JsonNode body = n.get("body");
        if (body == null || !body.isObject()) {
            throw new ProtocolException("envelope has no object 'body'");
        }
        return new Envelope(VERSION, type, id, from, to, computation, body);
    }

    static String text(JsonNode n, String field) throws ProtocolException {
        JsonNode f = n.get(field);
        if (f == null || !f.isTextual()) {
            throw new ProtocolException("missing or non-text field '" + field + "'");
        }
        return f.textValue();
    }

    static PartyId party(JsonNode n, String field) throws ProtocolException {
        String s = text(n, field);
        if (!PartyId.isValid(s)) {
            throw new ProtocolException("field '" + field + "' is not a valid party id: '" + clip(s) + "'");
        }
        return PartyId.of(s);
    }

    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String c = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return c.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public String toString() {
        return type.wire() + " " + id + " " + from + "->" + to + " computation=" + computation;
    }
}
