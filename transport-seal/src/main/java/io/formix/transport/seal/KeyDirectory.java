package io.formix.transport.seal;

import io.formix.transport.PartyId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link SealingTransport} finds the verified descriptors of other nodes: their identity
 * keys (to check signatures) and encryption keys (to seal to). Implementations return only
 * descriptors that passed {@link NodeDescriptor#verify} against the current roster; the registry
 * will be one. Must be thread-safe; may change over time (a new roster, a rotated key).
 */
@FunctionalInterface
public interface KeyDirectory {

    /** The verified descriptor of {@code uid}, or empty if {@code uid} is not an admitted node. */
    Optional<NodeDescriptor> lookup(PartyId uid);

    /** A fixed directory of {@code descriptors}; the caller has verified them. */
    static KeyDirectory of(Collection<NodeDescriptor> descriptors) {
        Map<PartyId, NodeDescriptor> byUid = new HashMap<>();
        for (NodeDescriptor d : descriptors) {
            if (byUid.put(d.uid(), d) != null) {
                throw new IllegalArgumentException("two descriptors for " + d.uid());
            }
        }
        Map<PartyId, NodeDescriptor> frozen = Map.copyOf(byUid);
        return uid -> Optional.ofNullable(frozen.get(uid));
    }
}
