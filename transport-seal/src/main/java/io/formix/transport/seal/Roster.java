package io.formix.transport.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The admitted nodes of a network ({@code <root>/formix/roster.json}), signed by the admin: a
 * monotonic version and an ordered list of {uid, role, identity-key fingerprint}. A node
 * descriptor not listed here is ignored; this is what stops anyone who can write to the folder from
 * enrolling nodes or replacing a node's keys. The order is the network's order (for example the
 * default heavy nodes are the first three heavy entries). Immutable.
 */
public final class Roster {

    static final String TYPE = "formix/roster";
    /** Most entries a roster may hold, so a document is bounded in work as well as bytes. */
    public static final int MAX_ENTRIES = 1000;

    /** One admitted node. */
    public record Entry(PartyId uid, Role role, String identityFingerprint) {
        public Entry {
            Objects.requireNonNull(uid, "uid");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(identityFingerprint, "identityFingerprint");
        }
    }

    private final NetworkId networkId;
    private final long version;
    private final List<Entry> entries;

    private Roster(NetworkId networkId, long version, List<Entry> entries) {
        this.networkId = networkId;
        this.version = version;
        this.entries = List.copyOf(entries);
    }

    /**
     * A roster of {@code entries}, in this order.
     *
     * @throws IllegalArgumentException if {@code version < 0}, a uid repeats, or there are more than
     *     {@link #MAX_ENTRIES}
     */
    public static Roster of(NetworkId networkId, long version, List<Entry> entries) {
        Objects.requireNonNull(networkId, "networkId");
        if (version < 0) {
            throw new IllegalArgumentException("roster version must be >= 0");
        }
        checkEntries(entries);
        return new Roster(networkId, version, entries);
    }

    private static void checkEntries(List<Entry> entries) {
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a roster holds at most " + MAX_ENTRIES + " nodes");
        }
        Set<PartyId> seen = new HashSet<>();
        for (Entry e : entries) {
            if (!seen.add(e.uid())) {
                throw new IllegalArgumentException("uid " + e.uid() + " is listed twice");
            }
        }
    }

    /** The signed document, by the network's admin key {@code admin}. */
    public byte[] sign(IdentityKey admin) {
        ObjectNode o = Json.object();
        o.put("type", TYPE).put("v", 1).put("net", networkId.hex()).put("version", version);
        ArrayNode nodes = o.putArray("nodes");
        for (Entry e : entries) {
            nodes.addObject()
                    .put("uid", e.uid().value())
                    .put("role", e.role().wireName())
                    .put("idk", e.identityFingerprint());
        }
        return SignedDocument.sign(o, admin);
    }

    /**
     * Verifies a roster against its network's descriptor.
     *
     * @param lastAcceptedVersion the highest version this machine accepted before, or -1 if none;
     *     the same version is accepted again, a lower one never
     * @throws DocumentRejectedException {@code WRONG_SIGNER} (signed by any key but the admin's),
     *     {@code WRONG_NETWORK}, {@code ROLLBACK}, or a format or signature reason
     */
    public static Roster verify(byte[] document, NetworkDescriptor network, long lastAcceptedVersion)
            throws DocumentRejectedException {
        SignedDocument.Verified v = SignedDocument.verify(document, "roster", TYPE);
        if (!Bytes.same(v.signer(), network.rawAdminKey())) {
            throw new DocumentRejectedException(
                    Reason.WRONG_SIGNER,
                    "roster is signed by " + Fingerprint.of(v.signer()) + ", not by the network admin "
                            + network.adminFingerprint());
        }
        JsonNode p = v.payload();
        try {
            NetworkId net = NetworkId.fromHex(Json.text(p, "net"));
            if (!net.equals(network.networkId())) {
                throw new DocumentRejectedException(
                        Reason.WRONG_NETWORK, "roster is for network " + net + ", not " + network.networkId());
            }
            long version = Json.nonNegative(p, "version");
            if (version < lastAcceptedVersion) {
                throw new DocumentRejectedException(
                        Reason.ROLLBACK,
                        "roster version " + version + " is older than the accepted version " + lastAcceptedVersion);
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode n : Json.array(p, "nodes", MAX_ENTRIES)) {
                if (!n.isObject()) {
                    throw new IllegalArgumentException("roster entries must be objects");
                }
                String fpr = Json.text(n, "idk");
                Json.b64(n, "idk", 32); // a fingerprint is a SHA-256 in base64url
                entries.add(new Entry(PartyId.of(Json.text(n, "uid")), Role.fromWire(Json.text(n, "role")), fpr));
            }
            checkEntries(entries);
            return new Roster(net, version, entries);
        } catch (IllegalArgumentException e) {
            throw new DocumentRejectedException(Reason.MALFORMED, "roster: " + Bytes.printable(e.getMessage()));
        }
    }

    /** The network this roster belongs to. */
    public NetworkId networkId() {
        return networkId;
    }

    /** The roster's version; a machine never goes back to a lower one. */
    public long version() {
        return version;
    }

    /** The admitted nodes, in the network's order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry of {@code uid}, or empty if it is not admitted. */
    public Optional<Entry> entry(PartyId uid) {
        for (Entry e : entries) {
            if (e.uid().equals(uid)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "Roster[net=" + networkId + ", version=" + version + ", nodes=" + entries.size() + "]";
    }
}
