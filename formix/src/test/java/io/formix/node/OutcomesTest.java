package io.formix.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.protocol.Bodies;
import io.formix.protocol.ResponseSchema;
import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A {@code result} from heavy node 1 of another host, written into this host's {@code network.db}. */
@Timeout(30)
class OutcomesTest {

    static final String QUERY = "{\"aggregate\":{\"type\":\"count\"},\"dataset\":\"patients\"}";

    @TempDir
    Path home;

    static Bodies.Result result(String query, String scheme) {
        return new Bodies.Result(
                "revealed",
                query == null ? 7 : -1,
                3,
                3,
                3,
                0,
                null,
                ResponseSchema.DEFAULT,
                3,
                5,
                5,
                HeavyCoreTest.HEAVY,
                1,
                2,
                query == null ? null : "7",
                query,
                null,
                scheme);
    }

    @Test
    void aRowThisHostLackedTakesTheResultsSchemeAndOneItHadKeepsItsOwn() {
        try (NetworkDb net = NetworkDb.open(FormixHome.of(home))) {
            assertTrue(net.recordOutcome(Outcomes.row("c1", result(QUERY, "replicated-2of3-z64"), "q")));
            assertEquals(
                    "replicated-2of3-z64", net.computation("c1").orElseThrow().scheme(), "not guessed from the query");
            assertEquals("7", net.computation("c1").orElseThrow().value());

            // an older heavy node 1 sends no scheme: a query's is taken as additive over Z/2^64
            net.recordOutcome(Outcomes.row("c2", result(QUERY, null), "q"));
            assertEquals("additive-3-z64", net.computation("c2").orElseThrow().scheme());
            net.recordOutcome(Outcomes.row("c3", result(null, null), "q"));
            assertEquals(
                    ComputationRecord.DEFAULT_SCHEME,
                    net.computation("c3").orElseThrow().scheme());

            // the proposing host's own row (from its proposal) keeps its scheme and takes the outcome
            net.insertComputation(Outcomes.row("c4", result(null, "replicated-2of3"), "q"));
            net.recordOutcome(Outcomes.row("c4", result(null, "additive-3"), "q"));
            assertEquals("replicated-2of3", net.computation("c4").orElseThrow().scheme());
            assertEquals(7, net.computation("c4").orElseThrow().result());
        }
    }
}
