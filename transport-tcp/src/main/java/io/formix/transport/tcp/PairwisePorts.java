package io.formix.transport.tcp;

/**
 * The sbproxy / Sequre port layout for {@code n} parties with numeric pids {@code 0..n-1}: the
 * pair {@code (a, b)} with {@code a < b} uses one bidirectional connection on
 * {@code base + (a*n - a*(a+1)/2) + (b - a)}, where the lower pid listens and the higher connects.
 *
 * <p>For {@code n = 3} the ports are {@code base+1} (0-1), {@code base+2} (0-2) and
 * {@code base+3} (1-2). Each party uses its own {@code base} when it talks to a local proxy (the
 * seed's table: 8000, 9000, 10000), and all use the same base when they talk to each other directly.
 */
public final class PairwisePorts {

    private PairwisePorts() {
    }

    /**
     * The port of the pair {@code (a, b)}, in either order.
     *
     * @throws IllegalArgumentException if a pid is outside {@code 0..n-1}, {@code a == b}, or the
     *     port falls outside 1..65535
     */
    public static int port(int base, int n, int a, int b) {
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 parties, got " + n);
        }
        if (a < 0 || a >= n || b < 0 || b >= n || a == b) {
            throw new IllegalArgumentException("pids must be distinct and in 0.." + (n - 1) + ", got " + a + " and " + b);
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        long port = (long) base + ((long) lo * n - (long) lo * (lo + 1) / 2) + (hi - lo);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " for pair (" + lo + ", " + hi + ") with base "
                    + base + " is outside 1..65535");
        }
        return (int) port;
    }

    /** Whether {@code self} listens (rather than connects) for its pair with {@code peer}. */
    public static boolean listens(int self, int peer) {
        return self < peer;
    }
}
