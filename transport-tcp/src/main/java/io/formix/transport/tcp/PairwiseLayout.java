package io.formix.transport.tcp;

import io.formix.transport.PartyId;
import io.formix.transport.spi.PairwisePorts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where the parties of a pairwise (sbproxy-style) TCP network are: the number of parties, this
 * party's pid, the base port (see {@link PairwisePorts}), the host of every pid (default
 * {@code 127.0.0.1}) and the {@link PartyId} of every pid (default {@code "0"}, {@code "1"} ...).
 * Immutable.
 */
public final class PairwiseLayout {

    private final int selfPid;
    private final int basePort;
    private final List<String> hosts;
    private final List<PartyId> parties;

    private PairwiseLayout(int selfPid, int basePort, List<String> hosts, List<PartyId> parties) {
        this.selfPid = selfPid;
        this.basePort = basePort;
        this.hosts = hosts;
        this.parties = parties;
    }

    /** Parties {@code 0..n-1}, all on 127.0.0.1, named by their pids. */
    public static PairwiseLayout numeric(int selfPid, int n, int basePort) {
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 parties, got " + n);
        }
        if (selfPid < 0 || selfPid >= n) {
            throw new IllegalArgumentException("self pid " + selfPid + " is outside 0.." + (n - 1));
        }
        List<PartyId> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(PartyId.ofPid(i));
        }
        PairwiseLayout layout =
                new PairwiseLayout(selfPid, basePort, Collections.nCopies(n, "127.0.0.1"), List.copyOf(ids));
        PairwisePorts.port(basePort, n, 0, n - 1); // validates that every port fits
        return layout;
    }

    /** The same layout with the host of each pid ({@code hosts.get(pid)}). */
    public PairwiseLayout withHosts(List<String> hosts) {
        if (hosts.size() != size()) {
            throw new IllegalArgumentException("expected " + size() + " hosts, got " + hosts.size());
        }
        hosts.forEach(h -> Objects.requireNonNull(h, "host"));
        return new PairwiseLayout(selfPid, basePort, List.copyOf(hosts), parties);
    }

    /** The same layout with the party id of each pid ({@code ids.get(pid)}); ids must be distinct. */
    public PairwiseLayout withParties(List<PartyId> ids) {
        if (ids.size() != size()) {
            throw new IllegalArgumentException("expected " + size() + " party ids, got " + ids.size());
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("party ids must be distinct: " + ids);
        }
        return new PairwiseLayout(selfPid, basePort, hosts, List.copyOf(ids));
    }

    /** Number of parties. */
    public int size() {
        return parties.size();
    }

    /** This party's pid. */
    public int selfPid() {
        return selfPid;
    }

    /** The base port of the formula. */
    public int basePort() {
        return basePort;
    }

    /** The host of {@code pid}. */
    public String host(int pid) {
        return hosts.get(pid);
    }

    /** The party id of {@code pid}. */
    public PartyId party(int pid) {
        return parties.get(pid);
    }

    /** The pid of {@code id}, or -1 if it is not in the layout. */
    public int pidOf(PartyId id) {
        return parties.indexOf(id);
    }

    /** The port of the pair (self, {@code peer}). */
    public int portWith(int peer) {
        return PairwisePorts.port(basePort, size(), selfPid, peer);
    }

    @Override
    public String toString() {
        return "PairwiseLayout[self=" + selfPid + ", n=" + size() + ", base=" + basePort + "]";
    }
}
