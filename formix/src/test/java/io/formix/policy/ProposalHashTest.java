package io.formix.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.formix.query.Query;
import io.formix.query.QueryParser;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hash an approval binds to: the same proposal however it is spelled, a new hash for any change. */
class ProposalHashTest {

    static final List<String> HEAVY = List.of("heavy-1", "heavy-2", "heavy-3");
    static final Query Q = PolicyCheckTest.COUNT;

    @Test
    void theCanonicalFormIsFixed() {
        assertEquals(
                "{\"v\":1,\"prompt\":\"Over 65?\",\"query\":{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\","
                        + "\"op\":\">=\",\"value\":65}],\"aggregate\":{\"type\":\"count\"},\"maxRows\":1000000,\"maxSeconds\":30},"
                        + "\"threshold\":3,\"heavy\":[\"heavy-1\",\"heavy-2\",\"heavy-3\"],\"dp\":null}",
                ProposalHash.canonical("Over 65?", Q, 3, HEAVY, null));
        assertEquals(64, ProposalHash.of("Over 65?", Q, 3, HEAVY, null).length());
    }

    @Test
    void theSameProposalSpelledDifferentlyHasTheSameHash() {
        Query spelled = QueryParser.parse("{ \"aggregate\": {\"type\": \"count\"}, \"maxSeconds\": 30,"
                + " \"where\": [{\"value\": 65, \"op\": \">=\", \"column\": \"age\"}], \"dataset\": \"patients\" }");
        String h = ProposalHash.of("Over 65?", Q, 3, HEAVY, new BigDecimal("1"));
        assertEquals(h, ProposalHash.of("Over 65?", spelled, 3, HEAVY, new BigDecimal("1.00")));
        // the query's canonical form keeps a constant's decimals: 65.0 is another proposal (a needless
        // re-review at worst, never an approval carried over to a different query)
        Query decimals = QueryParser.parse("{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\","
                + "\"value\":65.0}],\"aggregate\":{\"type\":\"count\"}}");
        assertNotEquals(h, ProposalHash.of("Over 65?", decimals, 3, HEAVY, BigDecimal.ONE));
    }

    @Test
    void anyChangeGivesAnotherHash() {
        Set<String> hashes = new HashSet<>();
        hashes.add(ProposalHash.of("Over 65?", Q, 3, HEAVY, null));
        hashes.add(ProposalHash.of("Over 66?", Q, 3, HEAVY, null));
        hashes.add(ProposalHash.of("Over 65?", PolicyCheckTest.SUM, 3, HEAVY, null));
        hashes.add(ProposalHash.of("Over 65?", Q, 4, HEAVY, null));
        hashes.add(ProposalHash.of("Over 65?", Q, 3, List.of("heavy-2", "heavy-1", "heavy-3"), null));
        hashes.add(ProposalHash.of("Over 65?", Q, 3, HEAVY, BigDecimal.ONE));
        hashes.add(ProposalHash.of("Over 65?", Q, 3, HEAVY, new BigDecimal("0.5")));
        assertEquals(7, hashes.size());
        assertNotEquals(ProposalHash.of("a", Q, 3, HEAVY, null), ProposalHash.of("a\"", Q, 3, HEAVY, null));
    }
}
