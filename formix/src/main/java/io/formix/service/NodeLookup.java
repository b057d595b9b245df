package io.formix.service;

import io.formix.service.ServiceException.Kind;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the nodes a command names in {@code network.db}, for every service: a name that is not a
 * node uid fails as {@link Kind#USAGE}, an unknown node as {@link Kind#NOT_FOUND}, and a node of
 * another host, where a command must run on this home's own nodes, as {@link Kind#REFUSED}. Each
 * error is one line that says what to do. Stateless.
 */
final class NodeLookup {

    private NodeLookup() {}

    /** {@code s} as a node uid, or a usage error. */
    static PartyId uid(String s) {
        if (!PartyId.isValid(s)) {
            throw new ServiceException(Kind.USAGE, "'" + s + "' is not a node uid (e.g. heavy-1, light-0001)");
        }
        return PartyId.of(s);
    }

    /** The node named {@code s}, or a usage error (not a uid) or not-found error (no such node). */
    static NodeRecord find(NetworkDb net, String s) {
        return net.node(uid(s))
                .orElseThrow(() -> new ServiceException(Kind.NOT_FOUND, "no node " + s + " — see formix node list"));
    }

    /**
     * The light node {@code uid} of this home, for an operation on its own {@code what} ("data
     * sources", "disclosure policies"): a heavy node or a node of another host is refused, saying where to go.
     */
    static PartyId localLightNode(Home home, String uid, String what) {
        try (NetworkDb net = home.openNetwork()) {
            NodeRecord r = find(net, uid);
            if (r.isHeavy()) {
                throw new ServiceException(
                        Kind.REFUSED,
                        r.uid() + " is a heavy node — " + what + " belong to light nodes (e.g. light-0001)");
            }
            if (!r.local()) {
                throw new ServiceException(
                        Kind.REFUSED, r.uid() + " runs on another host — manage its " + what + " there");
            }
            return r.uid();
        }
    }

    /** The named nodes, or every node of this home for null; a node of another host is refused. */
    static List<NodeRecord> targets(NetworkDb net, List<String> uids) {
        if (uids == null) {
            return net.localNodes(null);
        }
        List<NodeRecord> out = new ArrayList<>();
        for (String u : uids) {
            NodeRecord r = find(net, u);
            if (!r.local()) {
                throw new ServiceException(
                        Kind.REFUSED,
                        r.uid() + " runs on another host (its keys are not in " + "this home) — run the command there");
            }
            out.add(r);
        }
        return out;
    }
}
