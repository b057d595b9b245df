package io.formix.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import io.formix.state.ComputationRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A computation as {@code comp show --json} prints it. This is the one place that reads a
 * {@link ComputationRecord}'s columns for the services.
 *
 * @param result the revealed total (unsigned 32-bit), present only once a computation without a
 *     query is revealed
 * @param value the typed value of a query's total ({@code docs/queries.md}), written as stored
 *     (exact decimals), present only once a query computation is revealed
 * @param dp the differential privacy the heavy nodes added ({@code NoiseSpec.toJson}), if any
 * @param query the computation's query in canonical form, if it has one
 * @param reason why it failed, if it did
 * @param schema the answer's JSON Schema as JSON (its text if it is not JSON); absent for a query
 *     computation, whose answers the query types
 * @param heavy the heavy nodes, heavy node 1 first
 * @param scheme the sharing scheme ({@code additive-3} or {@code replicated-2of3})
 * @param proposer the node recorded as its proposer ({@code comp propose --from}, or the sender of a
 *     proposal from another host), left out when unknown
 * @param deadline ISO-8601
 * @param endedAt ISO-8601, or null while it runs
 * @param undelivered invited light nodes heavy node 1 could not reach, by reason (left out when
 *     every invited node got the computation, and in lists)
 * @param schemaText the schema exactly as proposed (not a JSON field)
 * @param deadlineMillis the deadline in epoch ms (not a JSON field)
 */
public record ComputationView(
        String id,
        String status,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long result,

        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue
        String value,

        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> dp,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        int participants,
        int threshold,
        int invited,
        int answers,
        int late,
        String prompt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object schema,

        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue
        String query,

        List<String> heavy,
        String scheme,
        @JsonInclude(JsonInclude.Include.NON_NULL) String proposer,
        String deadline,
        String createdAt,
        String endedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> undelivered,
        @JsonIgnore String schemaText,
        @JsonIgnore long deadlineMillis) {

    static ComputationView of(ComputationRecord c) {
        return of(c, Map.of());
    }

    /** {@code c} with the light nodes it never reached, by reason ({@code NetworkDb.undelivered}). */
    static ComputationView of(ComputationRecord c, Map<String, Integer> undelivered) {
        Object schema;
        try {
            schema = Views.JSON.readValue(c.schema(), JsonNode.class);
        } catch (Exception e) {
            schema = c.schema();
        }
        List<String> heavy = new ArrayList<>();
        c.heavy().forEach(h -> heavy.add(h.value()));
        return new ComputationView(
                c.id(),
                c.status().label(),
                c.status() == ComputationRecord.Status.REVEALED && c.result() >= 0 ? c.result() : null,
                c.status() == ComputationRecord.Status.REVEALED ? c.value() : null,
                QueryViews.dp(c.query(), c.dpEpsilon()),
                c.reason(),
                c.participants(),
                c.threshold(),
                c.invited(),
                c.answers(),
                c.late(),
                c.prompt(),
                c.query() == null ? schema : null,
                QueryViews.json(c.query()),
                heavy,
                c.scheme(),
                c.proposer() == null ? null : c.proposer().value(),
                Instant.ofEpochMilli(c.deadline()).toString(),
                Instant.ofEpochMilli(c.createdAt()).toString(),
                c.endedAt() == 0 ? null : Instant.ofEpochMilli(c.endedAt()).toString(),
                Map.copyOf(undelivered),
                c.schema(),
                c.deadline());
    }

    /** Heavy node 1 of {@code c}, the one that broadcasts and reveals. */
    static io.formix.transport.PartyId heavy1(ComputationRecord c) {
        return c.heavy1();
    }

    /** Whether it ended revealed. */
    public boolean revealed() {
        return "revealed".equals(status);
    }

    /** Whether it ended, revealed or failed. */
    public boolean ended() {
        return revealed() || "failed".equals(status);
    }
}
