package io.formix.transport.spi;

/**
 * The sbproxy / Sequre port rule of DESIGN.md, shared by the pairwise TCP transport and the proxy.
 * For {@code n} parties with numeric pids {@code 0..n-1}, the pair {@code (a, b)} with {@code a < b}
 * uses one bidirectional connection on {@code base + offset(a, b, n)} with
 * {@code offset = a·n − a(a+1)/2 + (b − a)}; the lower pid listens and the higher connects.
 * Offsets run from 1 to {@code n(n−1)/2}, one per pair.
 *
 * <p>For {@code n = 3} the offsets are 1 (0-1), 2 (0-2) and 3 (1-2). Each party uses its own
 * {@code base} when it talks to a local proxy (the seed's table: 8000, 9000, 10000), and all use
 * the same base when they talk to each other directly.
 */
public final class PairwisePorts {

    private PairwisePorts() {}

    /**
     * The offset of the pair {@code {a, b}} (either order) among {@code n} parties, in
     * {@code 1..maxOffset(n)}.
     *
     * @throws IllegalArgumentException if {@code n < 2}, {@code a == b} or a pid is outside {@code 0..n-1}
     */
    public static int offset(int a, int b, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 parties, got " + n);
        }
        if (a < 0 || a >= n || b < 0 || b >= n || a == b) {
            throw new IllegalArgumentException(
                    "pids must be distinct and in 0.." + (n - 1) + ", got " + a + " and " + b);
        }
        long lo = Math.min(a, b);
        long hi = Math.max(a, b);
        return (int) (lo * n - lo * (lo + 1) / 2 + (hi - lo));
    }

    /** The largest offset among {@code n} parties: {@code n(n−1)/2}, or 0 for fewer than 2. */
    public static int maxOffset(int n) {
        return n < 2 ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) n * (n - 1) / 2);
    }

    /**
     * The port of the pair {@code (a, b)}, in either order: {@code base + offset(a, b, n)}.
     *
     * @throws IllegalArgumentException as {@link #offset}, or if the port falls outside 1..65535
     */
    public static int port(int base, int n, int a, int b) {
        long port = (long) base + offset(a, b, n);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " for pair (" + Math.min(a, b) + ", " + Math.max(a, b)
                    + ") with base " + base + " is outside 1..65535");
        }
        return (int) port;
    }

    /** Whether {@code self} listens (rather than connects) for its pair with {@code peer}: the lower pid does. */
    public static boolean listens(int self, int peer) {
        return self < peer;
    }
}
