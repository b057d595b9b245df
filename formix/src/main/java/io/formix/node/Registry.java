package io.formix.node;

import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is a known node (admitted by the roster), and with which role, as recorded in {@code network.db}. Positive answers
 * are cached (roles never change); unknown senders are looked up again each time, so a node
 * created after this host started is recognised.
 */
final class Registry {

    private final NetworkDb net;
    private final ConcurrentHashMap<PartyId, Role> roles = new ConcurrentHashMap<>();

    Registry(NetworkDb net) {
        this.net = net;
    }

    Optional<Role> role(PartyId uid) {
        Role r = roles.get(uid);
        if (r != null) {
            return Optional.of(r);
        }
        Optional<Role> found = net.node(uid).filter(NodeRecord::admitted).map(NodeRecord::role);
        found.ifPresent(role -> roles.put(uid, role));
        return found;
    }

    void remember(NodeRecord r) {
        if (r.admitted()) {
            roles.put(r.uid(), r.role());
        }
    }

    /** Whether {@code uid} runs on another host (its outcome must travel as a message). */
    boolean isRemote(PartyId uid) {
        return net.node(uid).map(r -> !r.local()).orElse(false);
    }
}
