package io.formix.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
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
        /**
         * Longest encoded share accepted, in base64 characters: a share of the longest query vector
         * ({@link MessageLimits#MAX_CELLS}); the heavy node holds each share to its computation's
         * own bound ({@link MessageLimits#shareBytes}) before decoding it.
         */
        static final int MAX_CHARS = (int) MessageLimits.base64(MessageLimits.shareBytes(MessageLimits.MAX_CELLS));
        /** Longest encoded share accepted, in bytes (the binary form's bound; {@link #MAX_CHARS} decoded). */
        static final int MAX_BYTES = (int) MessageLimits.shareBytes(MessageLimits.MAX_CELLS);

        static final String FIELD = "share";

        /** The JSON form's body: {@code {"share": base64}}. */
        public JsonNode toJson() {
            return Envelope.JSON
                    .createObjectNode()
                    .put(FIELD, Base64.getEncoder().encodeToString(encoded));
        }

        /**
         * A body holding the bytes themselves: {@link Envelope#encode} sends it in the binary form
         * ({@link BinaryForm}), which heavy nodes of this version read beside the JSON form.
         */
        public JsonNode toBinaryJson() {
            return Envelope.JSON.createObjectNode().set(FIELD, BinaryNode.valueOf(encoded));
        }

        public static Share parse(JsonNode b) throws ProtocolException {
            byte[] raw = BinaryForm.bytes(b);
            if (raw != null && raw.length > MAX_BYTES) {
                throw new ProtocolException("field 'share' holds " + raw.length + " bytes, at most " + MAX_BYTES);
            }
            return new Share(Schemes.shareBytes(raw != null ? raw : base64Field(b, FIELD, MAX_CHARS)));
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
     * A query computation's outcome carries its canonical {@code query}, its {@code dpEpsilon} and,
     * once revealed, its typed {@code value} (JSON text, exact decimals) instead of {@code result};
     * the value is left out for a receiver whose bound it would exceed (a light node that only took
     * part), never for heavy nodes. {@code scheme} is the computation's sharing scheme (null in an
     * older message without it).
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
            long endedAt,
            String value,
            String query,
            java.math.BigDecimal dpEpsilon,
            String scheme) {
        public JsonNode toJson() {
            return Results.toJson(this);
        }

        /** The outcome of a computation without a query. */
        public Result(
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
            this(
                    status,
                    result,
                    participants,
                    invited,
                    answers,
                    late,
                    reason,
                    schema,
                    threshold,
                    deadline,
                    graceMs,
                    heavy,
                    createdAt,
                    endedAt,
                    null,
                    null,
                    null,
                    null);
        }

        /** This outcome without its value (and query), for a receiver with a small bound. */
        public Result withoutValue() {
            return new Result(
                    status,
                    result,
                    participants,
                    invited,
                    answers,
                    late,
                    reason,
                    schema,
                    threshold,
                    deadline,
                    graceMs,
                    heavy,
                    createdAt,
                    endedAt,
                    null,
                    null,
                    dpEpsilon,
                    scheme);
        }

        public static Result parse(JsonNode b) throws ProtocolException {
            return Results.parse(b);
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
