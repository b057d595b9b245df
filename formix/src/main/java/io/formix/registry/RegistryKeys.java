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
 * registry holds them, checked again against it on every {@link #refresh}. Thread-safe; a refresh
 * replaces the whole map at once.
 */
public final class RegistryKeys implements KeyDirectory {

    private volatile Map<PartyId, NodeDescriptor> byUid = Map.of();

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
