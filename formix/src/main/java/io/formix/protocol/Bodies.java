package io.formix.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.mpc.PartialSum;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The typed bodies of each {@link MessageType}, with their JSON form and strict parsing. Every
 * parser bounds what it reads (string lengths, list sizes) and names the offending field.
 */
public final class Bodies {

    /** Most light nodes one computation may name. */
    public static final int MAX_LIGHTS = 100_000;
    /** The sharing scheme of a {@code compute} that names none. */
    public static final String DEFAULT_SCHEME = "additive-3";

    static final int MAX_TEXT = 4_096;

    private Bodies() {}

    /**
     * The share of one light node for one heavy node: {@link io.formix.mpc.ShareCodec} bytes of a
     * {@link io.formix.mpc.VectorShare} (every component the scheme gives that heavy node), in base64.
     */
    public record Share(byte[] encoded) {
        /** Longest encoded share accepted, in base64 characters (a scalar share is 32). */
        static final int MAX_CHARS = 4_096;

        public JsonNode toJson() {
            return Envelope.JSON
                    .createObjectNode()
                    .put("share", Base64.getEncoder().encodeToString(encoded));
        }

        public static Share parse(JsonNode b) throws ProtocolException {
            return new Share(Schemes.shareBytes(base64Field(b, "share", MAX_CHARS)));
        }
    }

    /** A light node's refusal, with its reason. */
    public record Decline(String reason) {
        public JsonNode toJson() {
            return Envelope.JSON.createObjectNode().put("reason", reason);
        }

        public static Decline parse(JsonNode b) throws ProtocolException {
            return new Decline(reasonField(b));
        }
    }

    /** A heavy node's set at its close, and how many shares came too late. */
    public record Received(Set<PartyId> lights, int late) {
        public JsonNode toJson() {
            ObjectNode o = Envelope.JSON.createObjectNode();
            o.set("lights", ids(lights));
            o.put("late", late);
            return o;
        }

        public static Received parse(JsonNode b) throws ProtocolException {
            return new Received(
                    new TreeSet<>(idList(b, "lights", MAX_LIGHTS)), (int) longField(b, "late", 0, Integer.MAX_VALUE));
        }
    }

    /** The agreed final set. */
    public record Aggregate(Set<PartyId> lights) {
        public JsonNode toJson() {
            ObjectNode o = Envelope.JSON.createObjectNode();
            o.set("lights", ids(lights));
            return o;
        }

        public static Aggregate parse(JsonNode b) throws ProtocolException {
            return new Aggregate(new TreeSet<>(idList(b, "lights", MAX_LIGHTS)));
        }
    }

    /**
     * A heavy node's {@link PartialSum} over the final set: its party, components, sums and the
     * contributors it summed (so heavy node 1 checks the contributor digests before revealing).
     */
    public record Partial(PartialSum sum) {
        public JsonNode toJson() {
            return PartialSums.toJson(sum);
        }

        public static Partial parse(JsonNode b) throws ProtocolException {
            return new Partial(PartialSums.parse(b));
        }
    }

    /** Heavy node 1 gave up on the computation. */
    public record Abort(String reason) {
        public JsonNode toJson() {
            return Envelope.JSON.createObjectNode().put("reason", reason);
        }

        public static Abort parse(JsonNode b) throws ProtocolException {
            return new Abort(reasonField(b));
        }
    }

    /**
     * Heavy node 1's outcome of a computation, for hosts that do not share its {@code network.db}:
     * status, total (revealed only), counts, reason (failed only) and the computation's public
     * facts. No prompt: every receiver already holds it (its own node.db, or the proposal it made).
     */
    public record Result(
            String status,
            long result,
            int participants,
            int invited,
            int answers,
            int late,
            String reason,
            ResponseSchema schema,
            int threshold,
            long deadline,
            long graceMs,
            List<PartyId> heavy,
            long createdAt,
            long endedAt) {
        public JsonNode toJson() {
            ObjectNode o = Envelope.JSON.createObjectNode();
            o.put("status", status);
            if (result >= 0) {
                o.put("result", result);
            }
            o.put("participants", participants);
            o.put("invited", invited);
            o.put("answers", answers);
            o.put("late", late);
            if (reason != null) {
                o.put("reason", reason);
            }
            o.set("schema", schema.toJson());
            o.put("threshold", threshold);
            o.put("deadline", deadline);
            o.put("graceMs", graceMs);
            o.set("heavy", ids(heavy));
            o.put("createdAt", createdAt);
            o.put("endedAt", endedAt);
            return o;
        }

        public static Result parse(JsonNode b) throws ProtocolException {
            String status = Envelope.text(b, "status");
            if (!status.equals("revealed") && !status.equals("failed")) {
                throw new ProtocolException("a result's status is revealed or failed");
            }
            long result = status.equals("revealed") ? longField(b, "result", 0, 0xffff_ffffL) : -1;
            String reason = b.has("reason") ? reasonField(b) : null;
            ResponseSchema schema;
            try {
                schema = ResponseSchema.parse(b.get("schema"));
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("bad schema: " + e.getMessage());
            }
            List<PartyId> heavy = idList(b, "heavy", 3);
            if (heavy.size() != 3 || new TreeSet<>(heavy).size() != 3) {
                throw new ProtocolException("'heavy' must name three distinct heavy nodes");
            }
            return new Result(
                    status,
                    result,
                    (int) longField(b, "participants", -1, MAX_LIGHTS),
                    (int) longField(b, "invited", 0, MAX_LIGHTS),
                    (int) longField(b, "answers", 0, MAX_LIGHTS),
                    (int) longField(b, "late", 0, Integer.MAX_VALUE),
                    reason,
                    schema,
                    (int) longField(b, "threshold", 1, MAX_LIGHTS),
                    longField(b, "deadline", 0, Long.MAX_VALUE),
                    longField(b, "graceMs", 0, 3_600_000),
                    heavy,
                    longField(b, "createdAt", 0, Long.MAX_VALUE),
                    longField(b, "endedAt", 0, Long.MAX_VALUE));
        }
    }

    static long longField(JsonNode b, String field, long min, long max) throws ProtocolException {
        JsonNode f = b.get(field);
        if (f == null || !f.isIntegralNumber() || !f.canConvertToLong()) {
            throw new ProtocolException("missing or non-integer field '" + field + "'");
        }
        long v = f.longValue();
        if (v < min || v > max) {
            throw new ProtocolException("field '" + field + "' out of range " + min + ".." + max);
        }
        return v;
    }

    /** A base64 text field of at most {@code maxChars} characters, decoded. */
    static byte[] base64Field(JsonNode b, String field, int maxChars) throws ProtocolException {
        JsonNode f = b.get(field);
        if (f == null || !f.isTextual() || f.textValue().length() > maxChars) {
            throw new ProtocolException(
                    "missing or non-base64 field '" + field + "' (at most " + maxChars + " characters)");
        }
        try {
            return Base64.getDecoder().decode(f.textValue());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("field '" + field + "' is not base64");
        }
    }

    /** The text field {@code reason}, cut to {@link #MAX_TEXT} characters. */
    static String reasonField(JsonNode b) throws ProtocolException {
        String r = Envelope.text(b, "reason");
        return r.length() > MAX_TEXT ? r.substring(0, MAX_TEXT) : r;
    }

    static List<PartyId> idList(JsonNode b, String field, int max) throws ProtocolException {
        JsonNode f = b.get(field);
        if (f == null || !f.isArray()) {
            throw new ProtocolException("missing or non-array field '" + field + "'");
        }
        if (f.size() > max) {
            throw new ProtocolException("field '" + field + "' has more than " + max + " entries");
        }
        List<PartyId> out = new ArrayList<>(f.size());
        for (JsonNode e : f) {
            if (!e.isTextual() || !PartyId.isValid(e.textValue())) {
                throw new ProtocolException("field '" + field + "' holds an invalid party id");
            }
            out.add(PartyId.of(e.textValue()));
        }
        return out;
    }

    static ArrayNode ids(Collection<PartyId> ids) {
        ArrayNode a = Envelope.JSON.createArrayNode();
        for (PartyId id : ids) {
            a.add(id.value());
        }
        return a;
    }
}
