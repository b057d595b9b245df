package io.formix.service;

import io.formix.registry.Membership;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistrySync;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.state.StateException;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the services share about the network: its implicit creation for single-machine use, node
 * publication and admission, and the registry sync that operations reading the registry run first.
 * Documents the sync refuses are passed to {@code notices} as warnings, one line each.
 */
final class Registry {

    private final Home home;
    private final Consumer<String> notices;

    Registry(Home home, Consumer<String> notices) {
        this.home = home;
        this.notices = notices;
    }

    /**
     * The pinned network; a home that has none gets a single-machine network (untagged uids, the
     * admin key here), unless the data folder already holds one, which must be joined.
     */
    NetworkPin ensure(NetworkDb net) throws IOException {
        var pin = net.pin();
        if (pin.isPresent()) {
            return pin.get();
        }
        try {
            return Membership.create(home.files(), net, false);
        } catch (RegistryException e) {
            throw new ServiceException(ServiceException.Kind.REFUSED, e.getMessage());
        }
    }

    /**
     * Publishes new local nodes (keys in the home, descriptors in the folder) and, when this home
     * holds the admin key of a single-machine network, admits them at once.
     */
    void publish(NetworkDb net, NetworkPin pin, List<NodeRecord> made) throws IOException {
        for (NodeRecord r : made) {
            Membership.publish(home.files(), net, pin, r);
        }
        if (pin.tag() == null && isAdmin()) {
            List<PartyId> uids = new ArrayList<>();
            made.forEach(r -> uids.add(r.uid()));
            admit(net, uids);
        } else {
            sync(net);
        }
    }

    /** Whether this home holds the network's admin key. */
    boolean isAdmin() throws IOException {
        return Membership.adminKey(home.files()).isPresent();
    }

    /** Admits nodes (null: every pending one) with this home's admin key. */
    List<PartyId> admit(NetworkDb net, List<PartyId> uids) throws IOException {
        try {
            return Membership.admit(home.files(), net, uids);
        } catch (RegistryException e) {
            throw new ServiceException(ServiceException.Kind.REFUSED, e.getMessage());
        }
    }

    /**
     * Brings {@code network.db} up to date with the folder; documents refused are reported as
     * warnings. A home without a network has nothing to sync.
     */
    RegistrySync.Result sync(NetworkDb net) {
        RegistrySync.Result r;
        try {
            r = RegistrySync.sync(home.files(), net);
        } catch (RegistryException e) {
            throw new ServiceException(ServiceException.Kind.ERROR, e.getMessage());
        } catch (StateException e) {
            if (String.valueOf(e.getMessage()).startsWith("read-only file system")) {
                // A read-only home (a backup, a read-only mount) shows the registry as last synced.
                return RegistrySync.Result.NONE;
            }
            throw e;
        }
        for (String p : r.problems()) {
            notices.accept("warning: " + TerminalText.safe(p));
        }
        return r;
    }
}
