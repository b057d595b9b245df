package io.formix.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
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

    /** A light node's own answer to a computation. */
    public record Answer(String computation, Integer value) {}

    /** A computation as a light node received it. */
    public record LightEntry(String computation, String state, String prompt) {}
}
