package io.formix.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * sbproxy's port rule, and the proxy's inversion of it.
 *
 * <p>For every pair of parties {@code a < b} among {@code n}, the <em>application</em> at the
 * lower pid listens and the one at the higher pid connects, on port
 * {@code base + offset(a, b, n)} with {@code offset = a·n − a(a+1)/2 + (b − a)}. Offsets run from
 * 1 to {@code n(n−1)/2}, one per pair.
 *
 * <p>The proxy of party {@code i} plays the opposite role on each pair: towards a peer
 * {@code j > i} its application listens, so the proxy <em>connects</em> to
 * {@code sequreBasePort + offset(i, j)}; towards a peer {@code j < i} its application connects, so
 * the proxy <em>listens</em> on {@code basePort + offset(j, i)}.
 */
public final class PortPlan {

    private PortPlan() {
    }

    /**
     * The offset of the pair {@code {a, b}} (either order) among {@code n} parties.
     *
     * @throws IllegalArgumentException if {@code a == b} or either is outside {@code [0, n)}
     */
    public static int offset(int a, int b, int n) {
        if (n < 2 || a < 0 || b < 0 || a >= n || b >= n || a == b) {
            throw new IllegalArgumentException("need two distinct pids in [0, " + n + "), got " + a + " and " + b);
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        return lo * n - lo * (lo + 1) / 2 + (hi - lo);
    }

    /** The largest offset among {@code n} parties: {@code n(n−1)/2}. */
    public static int maxOffset(int n) {
        return n * (n - 1) / 2;
    }

    /**
     * The links of proxy {@code pid}: one per other party, in pid order, each saying whether the
     * proxy listens or connects and on which port.
     *
     * @throws IllegalArgumentException if the pid, party count or ports are out of range
     */
    public static List<Link> linksOf(int pid, int parties, int basePort, int sequreBasePort) {
        if (parties < 2) {
            throw new IllegalArgumentException("--parties must be at least 2, got " + parties);
        }
        if (pid < 0 || pid >= parties) {
            throw new IllegalArgumentException("--pid must be in [0, " + parties + "), got " + pid);
        }
        checkBase("--base-port", basePort, parties);
        checkBase("--sequre-base-port", sequreBasePort, parties);
        List<Link> links = new ArrayList<>(parties - 1);
        for (int peer = 0; peer < parties; peer++) {
            if (peer == pid) {
                continue;
            }
            int off = offset(pid, peer, parties);
            if (peer > pid) {
                links.add(new Link(pid, peer, Link.Role.CONNECT, sequreBasePort + off));
            } else {
                links.add(new Link(pid, peer, Link.Role.LISTEN, basePort + off));
            }
        }
        return links;
    }

    private static void checkBase(String name, int base, int parties) {
        if (base < 0 || base + maxOffset(parties) > 65535) {
            throw new IllegalArgumentException(name + " " + base + " does not leave room for "
                    + maxOffset(parties) + " ports below 65536");
        }
    }
}
