package io.formix.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.formix.query.Aggregate;
import io.formix.query.Decoder;
import io.formix.query.QueryException;
import io.formix.query.QueryParser;
import java.util.List;
import java.util.Map;

/**
 * One node as {@code node show --json} prints it: the fields of {@link NodeView}, where its files
 * are, its stalled channels (while it runs) and what its node.db holds. A heavy node lists its
 * {@code computations} ({@link HeavyEntry}); a light node lists its {@code answers} and its
 * {@code computations} ({@link LightEntry}): only its owner can read them.
 */
public record NodeDetail(
        @JsonUnwrapped NodeView node,
        String nodeDb,
        String log,
        List<Map<String, Object>> stalledChannels,
        List<Map<String, Object>> rejectedMessages,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Answer> answers,
        List<?> computations) {

    /** A computation as a heavy node holds it. */
    public record HeavyEntry(String computation, int heavyIndex, String state, int shares) {}

    /**
     * A light node's own answer to a computation: a number within a schema ({@code value} only), or
     * a query's answer: its aggregate {@code type}, how many numbers it shares ({@code cells}), and
     * its {@code value} decoded as one node's total when it has at most {@link #SHOWN_CELLS} of them
     * (a long vector or histogram is never printed whole); {@code type} is {@code query} when the
     * query no longer parses.
     */
    public record Answer(
            String computation,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object value,
            @JsonInclude(JsonInclude.Include.NON_NULL) String type,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer cells) {

        /** The most cells of a query's answer shown decoded. */
        public static final int SHOWN_CELLS = 16;

        /** A number answered within a schema. */
        public Answer(String computation, Integer value) {
            this(computation, value, null, null);
        }

        /** The answer {@code cells} to {@code query} (canonical JSON text). */
        static Answer ofQuery(String computation, String query, long[] cells) {
            try {
                Aggregate a = QueryParser.parse(query).aggregate();
                Object value = cells.length <= SHOWN_CELLS ? Decoder.decode(a, cells, 1) : null;
                return new Answer(computation, value, a.type(), cells.length);
            } catch (QueryException e) {
                return new Answer(computation, null, "query", cells.length);
            }
        }
    }

    /** A computation as a light node received it. */
    public record LightEntry(String computation, String state, String prompt) {}
}
