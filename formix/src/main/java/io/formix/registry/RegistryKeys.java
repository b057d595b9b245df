package io.formix.registry;

import io.formix.state.NetworkDb;
import io.formix.transport.PartyId;
import io.formix.transport.seal.KeyDirectory;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NodeDescriptor;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link KeyDirectory} of a host: the descriptors of the admitted nodes as the verified
 * registry holds them, taken from each sync ({@link #use}) or read back from {@code network.db} and
 * checked again against its roster ({@link #refresh}). Thread-safe; either replaces the whole map
 * at once.
 */
public final class RegistryKeys implements KeyDirectory {

    private volatile Map<PartyId, NodeDescriptor> byUid = Map.of();

    /**
     * The descriptors a sync found in force ({@link RegistrySync.Result#keys}), verified by that sync:
     * nothing is verified again.
     */
    public void use(RegistrySync.Result synced) {
        byUid = Map.copyOf(synced.keys());
    }

    /** Reloads the directory from {@code net}. */
    public void refresh(NetworkDb net, NetworkDescriptor network) {
        byUid = Map.copyOf(RegistrySync.descriptors(net, network));
    }

    @Override
    public Optional<NodeDescriptor> lookup(PartyId uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    /** How many nodes the directory knows. */
    public int size() {
        return byUid.size();
    }
}
