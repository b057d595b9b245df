package io.formix.registry;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import io.formix.transport.seal.EncryptionKey;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.NodeKeys;
import io.formix.transport.seal.Role;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code node rotate-key}: a new encryption key for a local node, published in its descriptor. */
public final class KeyRotation {

    private KeyRotation() {}

    /**
     * What a key rotation did.
     *
     * @param added the new encryption key, which senders use from now on
     * @param previous the node's older keys as they now are (expiry shortened to at most now + keep)
     * @param seq the sequence number of the descriptor published with them
     */
    public record Rotation(EncryptionKey added, List<EncryptionKey> previous, long seq) {}

    /**
     * Rotates a local node's encryption key: adds a new X25519 key to its key store, shortens every
     * older key's expiry to {@code now + keep} (a key that expires sooner keeps its expiry), and
     * publishes the node's descriptor again, listing all of them, with a higher {@code seq}. Other
     * hosts learn the new key at their next registry sync and seal to it (the newest valid key);
     * until then they seal to an old one, which still opens until its expiry plus the receiver's
     * grace. A running host of the node reads its key store again when it sees the new descriptor.
     *
     * <p>The new key's not-before is backdated like a first key's ({@link Membership#BACKDATE}), but always
     * after every older key's, so it is the one senders pick.
     *
     * @throws RegistryException if the network's descriptor cannot be verified
     */
    public static Rotation rotate(
            FormixHome home, NetworkDb net, NetworkPin pin, PartyId uid, Duration keep, Instant now)
            throws RegistryException, IOException {
        NetworkDescriptor nd = RegistrySync.network(home, pin);
        NodeRecord node = net.node(uid).orElseThrow(() -> new IllegalArgumentException("no node " + uid));
        NodeKeys keys = Membership.keys(home, uid);
        List<EncryptionKey> before = keys.encryptionKeys();
        // Whole seconds, as keys carry them: compared with a fraction, a key made in the same
        // second as an older one would seem later and then tie with it.
        Instant nbf = Instant.ofEpochSecond(now.minus(Membership.BACKDATE).getEpochSecond());
        for (EncryptionKey k : before) {
            if (!nbf.isAfter(k.notBefore())) {
                nbf = k.notBefore().plusSeconds(1);
            }
        }
        EncryptionKey added = keys.addEncryptionKey(nbf, now.plus(Membership.LIFETIME));
        Instant until = now.plus(keep);
        List<EncryptionKey> previous = new ArrayList<>();
        for (EncryptionKey k : before) {
            // A key cannot end before it began: one that is not valid yet ends one second after.
            Instant at = until.isAfter(k.notBefore()) ? until : k.notBefore().plusSeconds(1);
            previous.add(keys.expireEncryptionKey(k.kid(), at));
        }
        NodeDescriptor accepted = RegistrySync.descriptors(net, nd).get(uid);
        long seq = Math.max(accepted == null ? 0 : accepted.seq() + 1, Math.max(1, now.getEpochSecond()));
        NodeDescriptor d = NodeDescriptor.of(nd.networkId(), uid, node.isHeavy() ? Role.HEAVY : Role.LIGHT, seq, keys);
        SharedFiles.write(SharedFiles.node(home, uid), d.sign(keys.identity()));
        return new Rotation(added, previous, seq);
    }
}
