package io.formix.node;

import io.formix.dp.NoiseSpec;
import io.formix.query.Decoder;
import io.formix.query.Query;
import io.formix.query.QueryException;
import io.formix.query.QueryParser;
import io.formix.state.HeavyStore.Entry;
import java.util.HashMap;
import java.util.Map;

/**
 * What a heavy node derives from a computation's query, parsed once per computation: the number of
 * cells of an answer (the length every share must have; 1 without a query), the noise it adds to
 * its partial sum when the computation asks for differential privacy, and the typed value of a
 * revealed total.
 */
final class QueryFacts {

    private final Map<String, Query> parsed = new HashMap<>();

    /** The query of {@code e}, or null for a computation without one. */
    Query query(Entry e) {
        if (e.query() == null) {
            return null;
        }
        return parsed.computeIfAbsent(e.id(), id -> {
            if (parsed.size() > 1024) {
                parsed.clear();
            }
            return QueryParser.parse(e.query());
        });
    }

    /** Elements of every share and partial sum of {@code e}: the answer's cell count, 1 without a query. */
    int cells(Entry e) {
        Query q = query(e);
        return q == null ? 1 : q.aggregate().width();
    }

    /** The noise this node adds to its partial sum of {@code e}, or null when it asks for none. */
    NoiseSpec noise(Entry e) {
        Query q = query(e);
        return q == null || e.dpEpsilon() == null ? null : NoiseSpec.of(q.aggregate(), e.dpEpsilon());
    }

    /**
     * The typed value (JSON text) of {@code total} over {@code participants} light nodes.
     *
     * @throws IllegalArgumentException if the total does not fit the query (its cell count)
     */
    String value(Entry e, long[] total, int participants) {
        try {
            return Decoder.decode(query(e).aggregate(), total, participants).toString();
        } catch (QueryException ex) {
            throw new IllegalArgumentException(ex.getMessage(), ex);
        }
    }
}
