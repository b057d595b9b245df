package io.formix.query;

import java.math.BigInteger;

/**
 * Whether the total of N nodes' answers can wrap in Z/2^64. Each cell of one node's answer is at
 * most {@code b} in absolute value (its per-node bound), so the total is at most {@code N · b}; it
 * is decoded as a signed 64-bit number, which is exact while {@code N · b ≤ 2^63 − 1}. A query
 * whose total over the invited nodes could exceed that is refused before anything is sent, naming
 * the largest N that fits.
 */
public final class WrapGuard {

    static final BigInteger LIMIT = BigInteger.valueOf(Long.MAX_VALUE);

    private WrapGuard() {}

    /** The largest number of nodes whose total cannot wrap (at least 0; capped at {@link Integer#MAX_VALUE}). */
    public static long maxNodes(BigInteger[] cellBounds) {
        BigInteger best = BigInteger.valueOf(Integer.MAX_VALUE);
        BigInteger last = null;
        for (BigInteger b : cellBounds) {
            if (b != last && b.signum() > 0) { // a vector's cells share one bound: divide once
                best = best.min(LIMIT.divide(b));
            }
            last = b;
        }
        return best.longValueExact();
    }

    /** The largest per-node bound of any cell. */
    public static BigInteger largest(BigInteger[] cellBounds) {
        BigInteger m = BigInteger.ZERO;
        for (BigInteger b : cellBounds) {
            m = m.max(b);
        }
        return m;
    }

    /** Whether the total of {@code nodes} answers fits. */
    public static boolean fits(BigInteger[] cellBounds, long nodes) {
        return nodes <= maxNodes(cellBounds);
    }

    /** Fails in one line, naming the largest node count that fits, unless the total of {@code nodes} answers fits. */
    public static void check(Query q, long nodes) {
        BigInteger[] b = q.cellBounds();
        long max = maxNodes(b);
        if (nodes > max) {
            throw new QueryException("the total over " + nodes + " nodes could wrap mod 2^64 (each node's answer is up "
                    + "to " + largest(b) + "): at most " + max + " nodes fit — invite fewer, or narrow min/max, "
                    + "decimals, maxRows, clip or fractionalBits");
        }
    }
}
