package io.formix.protocol;

import static io.formix.protocol.Bodies.MAX_LIGHTS;
import static io.formix.protocol.Bodies.idList;
import static io.formix.protocol.Bodies.ids;
import static io.formix.protocol.Bodies.longField;
import static io.formix.protocol.Bodies.reasonField;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.protocol.Bodies.Result;
import io.formix.transport.PartyId;
import java.util.List;
import java.util.TreeSet;

/** The JSON form of a {@link Result} and its strict parsing. */
final class Results {

    private Results() {}

    static JsonNode toJson(Result r) {
        ObjectNode o = Envelope.JSON.createObjectNode();
        o.put("status", r.status());
        if (r.result() >= 0) {
            o.put("result", r.result());
        }
        o.put("participants", r.participants());
        o.put("invited", r.invited());
        o.put("answers", r.answers());
        o.put("late", r.late());
        if (r.reason() != null) {
            o.put("reason", r.reason());
        }
        o.set("schema", r.schema().toJson());
        o.put("threshold", r.threshold());
        o.put("deadline", r.deadline());
        o.put("graceMs", r.graceMs());
        o.set("heavy", ids(r.heavy()));
        o.put("createdAt", r.createdAt());
        o.put("endedAt", r.endedAt());
        if (r.value() != null) {
            o.put("value", r.value());
        }
        if (r.query() != null) {
            o.put("query", r.query());
        }
        if (r.dpEpsilon() != null) {
            o.put("dpEpsilon", r.dpEpsilon().toPlainString());
        }
        if (r.scheme() != null) {
            o.put("scheme", r.scheme());
        }
        return o;
    }

    static Result parse(JsonNode b) throws ProtocolException {
        String status = Envelope.text(b, "status");
        if (!status.equals("revealed") && !status.equals("failed")) {
            throw new ProtocolException("a result's status is revealed or failed");
        }
        long result = status.equals("revealed") && b.has("result") ? longField(b, "result", 0, 0xffff_ffffL) : -1;
        String value = b.has("value") && status.equals("revealed") ? Envelope.text(b, "value") : null;
        if (value != null) {
            try {
                Envelope.JSON.readTree(value);
            } catch (java.io.IOException e) {
                throw new ProtocolException("field 'value' is not JSON");
            }
        }
        ComputeBody facts = b.has("query") || b.has("dpEpsilon") ? ComputeBody.queryFacts(b) : null;
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
        String scheme = b.has("scheme") ? Envelope.text(b, "scheme") : null;
        if (scheme != null) {
            Schemes.check(scheme, heavy.size());
        }
        return new Bodies.Result(
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
                longField(b, "endedAt", 0, Long.MAX_VALUE),
                value,
                facts == null ? null : facts.query(),
                facts == null ? null : facts.dpEpsilon(),
                scheme);
    }
}
