package io.formix.proxy;

import io.formix.transport.spi.PairwisePorts;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy's inversion of sbproxy's port rule ({@link PairwisePorts}, shared with the pairwise
 * TCP transport).
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

    private PortPlan() {}

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
            int off = PairwisePorts.offset(pid, peer, parties);
            if (peer > pid) {
                links.add(new Link(pid, peer, Link.Role.CONNECT, sequreBasePort + off));
            } else {
                links.add(new Link(pid, peer, Link.Role.LISTEN, basePort + off));
            }
        }
        return links;
    }

    private static void checkBase(String name, int base, int parties) {
        if (base < 0 || base + PairwisePorts.maxOffset(parties) > 65535) {
            throw new IllegalArgumentException(name + " " + base + " does not leave room for "
                    + PairwisePorts.maxOffset(parties) + " ports below 65536");
        }
    }
}
