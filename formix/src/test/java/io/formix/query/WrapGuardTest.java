package io.formix.query;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class WrapGuardTest {

    @Test
    void theLargestNodeCountIsExactAtTheEdge() {
        // 10^10 per row, 2 rows per node: 2·10^10 per node; (2^63 − 1) / (2·10^10) = 461168601.8…
        Query q = QueryParser.parse("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"sum\",\"column\":\"b\",\"min\":0,"
                + "\"max\":10000000000},\"maxRows\":2}");
        BigInteger[] b = q.cellBounds();
        assertEquals(BigInteger.valueOf(20_000_000_000L), b[0]);
        assertEquals(461_168_601, WrapGuard.maxNodes(b));
        assertTrue(WrapGuard.fits(b, 461_168_601));
        assertFalse(WrapGuard.fits(b, 461_168_602));
        assertDoesNotThrow(() -> WrapGuard.check(q, 461_168_601));
        QueryException e = assertThrows(QueryException.class, () -> WrapGuard.check(q, 461_168_602));
        assertTrue(
                e.getMessage()
                        .startsWith("the total over 461168602 nodes could wrap mod 2^64 (each node's answer is "
                                + "up to 20000000000): at most 461168601 nodes fit"),
                e.getMessage());
    }

    @Test
    void aBoundOfExactlyHalfTheRingFitsOneNodeAndTheLargestCellDecides() {
        BigInteger max = BigInteger.valueOf(Long.MAX_VALUE);
        assertEquals(1, WrapGuard.maxNodes(new BigInteger[] {max}));
        assertEquals(0, WrapGuard.maxNodes(new BigInteger[] {max.add(BigInteger.ONE)}));
        assertEquals(3, WrapGuard.maxNodes(new BigInteger[] {BigInteger.ONE, max.divide(BigInteger.valueOf(3))}));
        // a mean's count cell is small, its sum cell decides
        Query mean =
                QueryParser.parse("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"mean\",\"column\":\"x\",\"min\":-5,"
                        + "\"max\":3,\"decimals\":2},\"maxRows\":1000000000}");
        assertEquals(Long.MAX_VALUE / 500_000_000_000L, WrapGuard.maxNodes(mean.cellBounds()));
        Query choice = QueryParser.parse(
                "{\"dataset\":\"d\",\"aggregate\":{\"type\":\"choice\",\"categories\":[\"a\"," + "\"b\"]}}");
        assertEquals(Integer.MAX_VALUE, WrapGuard.maxNodes(choice.cellBounds()), "capped");
        Query vec = QueryParser.parse("{\"dataset\":\"d\",\"aggregate\":{\"type\":\"vector\",\"length\":3,\"clip\":8,"
                + "\"fractionalBits\":59}}");
        assertEquals(1, WrapGuard.maxNodes(vec.cellBounds()), "8 · 2^59 = 2^62 per node: two make 2^63, beyond");
    }
}
