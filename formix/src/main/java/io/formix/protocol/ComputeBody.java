package io.formix.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.util.List;
import java.util.TreeSet;

/**
 * The body of a {@code compute} message: a computation announcement. {@code invited} (the light
 * nodes it was broadcast to) is sent to the other heavy nodes only; light nodes get an empty list.
 *
 * <p>{@code query} is the canonical JSON text of the computation's query ({@code io.formix.query}
 * parses and checks it; this class bounds its length only), or null for a computation answered
 * with a number within {@code schema}. {@code dpEpsilon} is the ε of the differential privacy the
 * heavy nodes add to the total, or null for none. {@code proposer} is the party heavy node 1 has
 * recorded as the computation's proposer (the sender of a {@code propose} message, or the node a
 * {@code comp propose --from} named in heavy node 1's home), or null when it does not know one; it
 * is signed as part of heavy node 1's message, and an older message without it parses as null.
 */
public record ComputeBody(
        String prompt,
        ResponseSchema schema,
        String scheme,
        int threshold,
        long deadline,
        long graceMs,
        List<PartyId> heavy,
        List<PartyId> invited,
        String query,
        BigDecimal dpEpsilon,
        PartyId proposer) {

    /** Longest query text accepted, in characters. */
    public static final int MAX_QUERY_CHARS = 16_384;

    /** An announcement without a query or differential privacy. */
    public ComputeBody(
            String prompt,
            ResponseSchema schema,
            String scheme,
            int threshold,
            long deadline,
            long graceMs,
            List<PartyId> heavy,
            List<PartyId> invited) {
        this(prompt, schema, scheme, threshold, deadline, graceMs, heavy, invited, null, null);
    }

    /** An announcement that names no proposer. */
    public ComputeBody(
            String prompt,
            ResponseSchema schema,
            String scheme,
            int threshold,
            long deadline,
            long graceMs,
            List<PartyId> heavy,
            List<PartyId> invited,
            String query,
            BigDecimal dpEpsilon) {
        this(prompt, schema, scheme, threshold, deadline, graceMs, heavy, invited, query, dpEpsilon, null);
    }

    /** The same announcement for {@code others} (light nodes get an empty list). */
    public ComputeBody inviting(List<PartyId> others) {
        return new ComputeBody(
                prompt, schema, scheme, threshold, deadline, graceMs, heavy, others, query, dpEpsilon, proposer);
    }

    public JsonNode toJson() {
        ObjectNode o = Envelope.JSON.createObjectNode();
        o.put("prompt", prompt);
        o.put("scheme", scheme);
        o.set("schema", schema.toJson());
        o.put("threshold", threshold);
        o.put("deadline", deadline);
        o.put("graceMs", graceMs);
        o.set("heavy", Bodies.ids(heavy));
        o.set("invited", Bodies.ids(invited));
        if (query != null) {
            o.put("query", query);
        }
        if (dpEpsilon != null) {
            o.put("dpEpsilon", dpEpsilon.toPlainString());
        }
        if (proposer != null) {
            o.put("proposer", proposer.value());
        }
        return o;
    }

    public static ComputeBody parse(JsonNode b) throws ProtocolException {
        String prompt = Envelope.text(b, "prompt");
        if (prompt.length() > Bodies.MAX_TEXT) {
            throw new ProtocolException("prompt longer than " + Bodies.MAX_TEXT + " characters");
        }
        JsonNode s = b.get("schema");
        ResponseSchema schema;
        try {
            schema = ResponseSchema.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("bad schema: " + e.getMessage());
        }
        int threshold = (int) Bodies.longField(b, "threshold", 1, Bodies.MAX_LIGHTS);
        long deadline = Bodies.longField(b, "deadline", 0, Long.MAX_VALUE);
        long grace = Bodies.longField(b, "graceMs", 0, 3_600_000);
        List<PartyId> heavy = Bodies.idList(b, "heavy", 3);
        if (heavy.size() != 3 || new TreeSet<>(heavy).size() != 3) {
            throw new ProtocolException("'heavy' must name three distinct heavy nodes");
        }
        String scheme = b.has("scheme") ? Envelope.text(b, "scheme") : Bodies.DEFAULT_SCHEME;
        Schemes.check(scheme, heavy.size());
        ComputeBody q = queryFacts(b);
        return new ComputeBody(
                prompt,
                schema,
                scheme,
                threshold,
                deadline,
                grace,
                heavy,
                Bodies.idList(b, "invited", Bodies.MAX_LIGHTS),
                q.query(),
                q.dpEpsilon(),
                proposer(b));
    }

    /** The optional {@code proposer} field of {@code b}: a party uid, or null when absent. */
    static PartyId proposer(JsonNode b) throws ProtocolException {
        if (!b.has("proposer")) {
            return null;
        }
        JsonNode f = b.get("proposer");
        if (!f.isTextual() || !PartyId.isValid(f.textValue())) {
            throw new ProtocolException("field 'proposer' is not a party id");
        }
        return PartyId.of(f.textValue());
    }

    /** The {@code query} and {@code dpEpsilon} fields of {@code b} (each may be absent), checked; only those two set. */
    static ComputeBody queryFacts(JsonNode b) throws ProtocolException {
        String query = null;
        if (b.has("query")) {
            query = Envelope.text(b, "query");
            if (query.length() > MAX_QUERY_CHARS) {
                throw new ProtocolException("query longer than " + MAX_QUERY_CHARS + " characters");
            }
        }
        BigDecimal epsilon = null;
        if (b.has("dpEpsilon")) {
            String text = Envelope.text(b, "dpEpsilon");
            try {
                epsilon = text.length() <= 40 ? new BigDecimal(text) : null;
            } catch (NumberFormatException e) {
                epsilon = null;
            }
            if (epsilon == null || epsilon.signum() <= 0) {
                throw new ProtocolException("'dpEpsilon' must be a positive decimal number");
            }
        }
        return new ComputeBody(null, null, null, 0, 0, 0, List.of(), List.of(), query, epsilon);
    }
}
