package io.formix.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.formix.state.ComputationRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A computation as {@code comp show --json} prints it. This is the one place that reads a
 * {@link ComputationRecord}'s columns for the services.
 *
 * @param result the revealed total (unsigned 32-bit), present only once revealed
 * @param reason why it failed, if it did
 * @param schema the answer's JSON Schema as JSON (its text if it is not JSON)
 * @param heavy the heavy nodes, heavy node 1 first
 * @param deadline ISO-8601
 * @param endedAt ISO-8601, or null while it runs
 * @param schemaText the schema exactly as proposed (not a JSON field)
 * @param deadlineMillis the deadline in epoch ms (not a JSON field)
 */
public record ComputationView(
        String id,
        String status,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long result,
        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
        int participants,
        int threshold,
        int invited,
        int answers,
        int late,
        String prompt,
        Object schema,
        List<String> heavy,
        String deadline,
        String createdAt,
        String endedAt,
        @JsonIgnore String schemaText,
        @JsonIgnore long deadlineMillis) {

    static ComputationView of(ComputationRecord c) {
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
                c.status() == ComputationRecord.Status.REVEALED ? c.result() : null,
                c.reason(),
                c.participants(),
                c.threshold(),
                c.invited(),
                c.answers(),
                c.late(),
                c.prompt(),
                schema,
                heavy,
                Instant.ofEpochMilli(c.deadline()).toString(),
                Instant.ofEpochMilli(c.createdAt()).toString(),
                c.endedAt() == 0 ? null : Instant.ofEpochMilli(c.endedAt()).toString(),
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
