package io.formix.transport.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * What one node publishes about itself ({@code <root>/formix/nodes/<uid>.json}), signed by its
 * own identity key: network id, uid, role, identity public key, its encryption keys
 * {kid, X25519 public key, not-before, expiry} and a sequence number that grows with each new
 * version. Trusted only through the {@link Roster}: {@link #verify} ignores a node the roster does
 * not list and refuses one whose identity key is not the key the roster names. Immutable.
 */
public final class NodeDescriptor {

    static final String TYPE = "formix/node";
    private static final int MAX_KEYS = 64;

    private final NetworkId networkId;
    private final PartyId uid;
    private final Role role;
    private final byte[] identityKey;
    private final Ed25519PublicKeyParameters identityParameters;
    private final List<EncryptionKey> encryptionKeys;
    private final long seq;

    private NodeDescriptor(
            NetworkId networkId,
            PartyId uid,
            Role role,
            byte[] identityKey,
            List<EncryptionKey> encryptionKeys,
            long seq) {
        this.networkId = networkId;
        this.uid = uid;
        this.role = role;
        this.identityKey = identityKey;
        this.identityParameters = IdentityKey.publicParameters(identityKey);
        this.encryptionKeys = List.copyOf(encryptionKeys);
        this.seq = seq;
    }

    /** The descriptor of the local node whose keys are {@code keys}; {@code seq >= 0}. */
    public static NodeDescriptor of(NetworkId networkId, PartyId uid, Role role, long seq, NodeKeys keys) {
        Objects.requireNonNull(networkId, "networkId");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(role, "role");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0");
        }
        return new NodeDescriptor(networkId, uid, role, keys.identity().publicKey(), keys.encryptionKeys(), seq);
    }

    /**
     * The signed document, by the node's own identity key.
     *
     * @throws IllegalArgumentException if {@code identity} is not the key this descriptor names
     */
    public byte[] sign(IdentityKey identity) {
        if (!Bytes.same(identity.publicKey(), identityKey)) {
            throw new IllegalArgumentException("a node descriptor is signed by the node's own identity key");
        }
        ObjectNode o = Json.object();
        o.put("type", TYPE)
                .put("v", 1)
                .put("net", networkId.hex())
                .put("uid", uid.value())
                .put("role", role.wireName())
                .put("idk", Bytes.b64(identityKey))
                .put("seq", seq);
        ArrayNode kem = o.putArray("kem");
        for (EncryptionKey k : encryptionKeys) {
            kem.addObject()
                    .put("kid", k.kid())
                    .put("pk", Bytes.b64(k.raw()))
                    .put("nbf", k.notBefore().getEpochSecond())
                    .put("exp", k.expiresAt().getEpochSecond());
        }
        return SignedDocument.sign(o, identity);
    }

    /**
     * Verifies a node descriptor against the network and its verified roster.
     *
     * @param lastAcceptedSeq the highest {@code seq} accepted before for this node, or -1
     * @return the descriptor, or empty if the roster does not list its uid (such a file is ignored)
     * @throws DocumentRejectedException {@code WRONG_SIGNER} (not signed by the identity key it
     *     names), {@code WRONG_NETWORK}, {@code FINGERPRINT_MISMATCH} (identity key is not the
     *     roster's), {@code ROLE_MISMATCH}, {@code ROLLBACK}, or a format or signature reason
     */
    public static Optional<NodeDescriptor> verify(
            byte[] document, NetworkDescriptor network, Roster roster, long lastAcceptedSeq)
            throws DocumentRejectedException {
        SignedDocument.Verified v = SignedDocument.verify(document, "node descriptor", TYPE);
        JsonNode p = v.payload();
        NetworkId net;
        PartyId uid;
        Role role;
        byte[] idk;
        long seq;
        List<EncryptionKey> keys = new ArrayList<>();
        try {
            net = NetworkId.fromHex(Json.text(p, "net"));
            uid = PartyId.of(Json.text(p, "uid"));
            role = Role.fromWire(Json.text(p, "role"));
            idk = Json.b64(p, "idk", IdentityKey.KEY_BYTES);
            seq = Json.nonNegative(p, "seq");
            Set<String> kids = new HashSet<>();
            for (JsonNode k : Json.array(p, "kem", MAX_KEYS)) {
                if (!k.isObject()) {
                    throw new IllegalArgumentException("kem entries must be objects");
                }
                String kid = Json.text(k, "kid");
                if (!EncryptionKey.isKid(kid) || !kids.add(kid)) {
                    throw new IllegalArgumentException("kid must be 8 lower-case hex digits, each listed once");
                }
                keys.add(new EncryptionKey(
                        kid,
                        Json.b64(k, "pk", Hpke.KEY_BYTES),
                        Instant.ofEpochSecond(Json.integer(k, "nbf")),
                        Instant.ofEpochSecond(Json.integer(k, "exp"))));
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new DocumentRejectedException(
                    Reason.MALFORMED, "node descriptor: " + Bytes.printable(e.getMessage()));
        }
        String what = "node descriptor of " + uid;
        if (!Bytes.same(idk, v.signer())) {
            throw new DocumentRejectedException(
                    Reason.WRONG_SIGNER,
                    what + " is signed by " + Fingerprint.of(v.signer()) + ", not by the identity key it names");
        }
        if (!net.equals(network.networkId()) || !net.equals(roster.networkId())) {
            throw new DocumentRejectedException(
                    Reason.WRONG_NETWORK, what + " is for network " + net + ", not " + network.networkId());
        }
        Optional<Roster.Entry> entry = roster.entry(uid);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        String fpr = Fingerprint.of(idk);
        if (!Bytes.same(Bytes.ascii(fpr), Bytes.ascii(entry.get().identityFingerprint()))) {
            throw new DocumentRejectedException(
                    Reason.FINGERPRINT_MISMATCH,
                    what + " has identity key " + fpr + " but the roster lists "
                            + Bytes.printable(entry.get().identityFingerprint()));
        }
        if (role != entry.get().role()) {
            throw new DocumentRejectedException(
                    Reason.ROLE_MISMATCH,
                    what + " claims role " + role.wireName() + " but the roster gives "
                            + entry.get().role().wireName());
        }
        if (seq < lastAcceptedSeq) {
            throw new DocumentRejectedException(
                    Reason.ROLLBACK, what + " has seq " + seq + ", older than the accepted " + lastAcceptedSeq);
        }
        return Optional.of(new NodeDescriptor(net, uid, role, idk, keys, seq));
    }

    /** The network the node belongs to. */
    public NetworkId networkId() {
        return networkId;
    }

    /** The node's uid. */
    public PartyId uid() {
        return uid;
    }

    /** The node's role. */
    public Role role() {
        return role;
    }

    /** The raw Ed25519 identity public key (a copy). */
    public byte[] identityKey() {
        return identityKey.clone();
    }

    Ed25519PublicKeyParameters identityParameters() {
        return identityParameters;
    }

    /** {@link Fingerprint} of the identity key, as the roster lists it. */
    public String identityFingerprint() {
        return Fingerprint.of(identityKey);
    }

    /** The published encryption keys. */
    public List<EncryptionKey> encryptionKeys() {
        return encryptionKeys;
    }

    /** The descriptor's sequence number. */
    public long seq() {
        return seq;
    }

    /**
     * The key a sender seals to at {@code now}: among keys usable at {@code now}
     * ({@link EncryptionKey#usableAt}), the one with the latest not-before (then the greatest kid).
     */
    public Optional<EncryptionKey> currentKey(Instant now) {
        EncryptionKey best = null;
        for (EncryptionKey k : encryptionKeys) {
            if (k.usableAt(now)
                    && (best == null
                            || k.notBefore().isAfter(best.notBefore())
                            || k.notBefore().equals(best.notBefore()) && k.kid().compareTo(best.kid()) > 0)) {
                best = k;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public String toString() {
        return "NodeDescriptor[" + uid + ", " + role.wireName() + ", idk=" + identityFingerprint() + ", seq=" + seq
                + ", keys=" + encryptionKeys.size() + "]";
    }
}
