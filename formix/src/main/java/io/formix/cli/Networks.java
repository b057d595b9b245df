package io.formix.cli;

import io.formix.registry.Membership;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistrySync;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.state.StateException;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * What the commands share about the network: its implicit creation for single-machine use, node
 * publication and admission, and the registry sync that commands reading the registry run first.
 */
final class Networks {

    private Networks() {
    }

    /**
     * The pinned network; a home that has none gets a single-machine network (untagged uids, the
     * admin key here), unless the data folder already holds one, which must be joined.
     */
    static NetworkPin ensure(Main main, NetworkDb net) throws IOException {
        var pin = net.pin();
        if (pin.isPresent()) {
            return pin.get();
        }
        try {
            return Membership.create(main.formixHome(), net, false);
        } catch (RegistryException e) {
            throw new CliException(ExitCodes.REFUSED, e.getMessage());
        }
    }

    /**
     * Publishes new local nodes (keys in the home, descriptors in the folder) and, when this home
     * holds the admin key of a single-machine network, admits them at once.
     */
    static void publish(Main main, NetworkDb net, NetworkPin pin, List<NodeRecord> made) throws IOException {
        FormixHome home = main.formixHome();
        for (NodeRecord r : made) {
            Membership.publish(home, net, pin, r);
        }
        if (pin.tag() == null && Membership.adminKey(home).isPresent()) {
            List<PartyId> uids = new ArrayList<>();
            made.forEach(r -> uids.add(r.uid()));
            admit(main, net, uids);
        } else {
            sync(main, net);
        }
    }

    /** Admits nodes (null: every pending one) with this home's admin key. */
    static List<PartyId> admit(Main main, NetworkDb net, List<PartyId> uids) throws IOException {
        try {
            return Membership.admit(main.formixHome(), net, uids);
        } catch (RegistryException e) {
            throw new CliException(ExitCodes.REFUSED, e.getMessage());
        }
    }

    /**
     * Brings {@code network.db} up to date with the folder; documents refused are reported as
     * warnings (one line each) on stderr. A home without a network has nothing to sync.
     */
    static RegistrySync.Result sync(Main main, NetworkDb net) {
        RegistrySync.Result r;
        try {
            r = RegistrySync.sync(main.formixHome(), net);
        } catch (RegistryException e) {
            throw new CliException(ExitCodes.ERROR, e.getMessage());
        } catch (StateException e) {
            if (String.valueOf(e.getMessage()).startsWith("read-only file system")) {
                // A read-only home (a backup, a read-only mount) shows the registry as last synced.
                return RegistrySync.Result.NONE;
            }
            throw e;
        }
        if (!r.problems().isEmpty()) {
            PrintWriter err = main.commandLine().getErr();
            for (String p : r.problems()) {
                err.println("formix: warning: " + TerminalText.safe(p));
            }
            err.flush();
        }
        return r;
    }
}
