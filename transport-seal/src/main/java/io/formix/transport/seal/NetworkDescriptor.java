package io.formix.transport.seal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.seal.DocumentRejectedException.Reason;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The root of trust of a network ({@code <root>/formix/network.json}): its id, the admin's
 * Ed25519 public key, the cipher suite and the channel layout's name, signed by the admin. Every
 * machine pins the admin key's fingerprint, received out of band, and accepts only a descriptor
 * signed by exactly that key. Immutable.
 */
public final class NetworkDescriptor {

    static final String TYPE = "formix/network";
    private static final Pattern LAYOUT = Pattern.compile("[a-z0-9][a-z0-9.-]{0,31}");

    private final NetworkId networkId;
    private final byte[] adminKey;
    private final String suite;
    private final String layout;

    private NetworkDescriptor(NetworkId networkId, byte[] adminKey, String suite, String layout) {
        this.networkId = networkId;
        this.adminKey = adminKey;
        this.suite = suite;
        this.layout = layout;
    }

    /**
     * Describes a new network with a fresh random id, administered by {@code admin}.
     *
     * @param layout the channel layout's name, e.g. {@code file-v1}: 1-32 characters of
     *     {@code [a-z0-9.-]}
     */
    public static NetworkDescriptor create(IdentityKey admin, String layout) {
        Objects.requireNonNull(admin, "admin");
        if (layout == null || !LAYOUT.matcher(layout).matches()) {
            throw new IllegalArgumentException("a layout name is 1-32 characters of [a-z0-9.-]");
        }
        return new NetworkDescriptor(NetworkId.random(), admin.publicKey(), Hpke.SUITE, layout);
    }

    /**
     * The signed document, by {@code admin}.
     *
     * @throws IllegalArgumentException if {@code admin} is not this network's admin key
     */
    public byte[] sign(IdentityKey admin) {
        if (!Bytes.same(admin.publicKey(), adminKey)) {
            throw new IllegalArgumentException("only the network's admin key signs its descriptor");
        }
        ObjectNode o = Json.object();
        o.put("type", TYPE)
                .put("v", 1)
                .put("net", networkId.hex())
                .put("admin", Bytes.b64(adminKey))
                .put("suite", suite)
                .put("layout", layout);
        return SignedDocument.sign(o, admin);
    }

    /**
     * Verifies a network descriptor against the admin fingerprint received out of band.
     *
     * @throws DocumentRejectedException {@code TOO_LARGE}, {@code MALFORMED}, {@code BAD_SIGNATURE},
     *     {@code WRONG_SIGNER} (not signed by the pinned key, or naming another admin key than its
     *     signer) or {@code UNKNOWN_SUITE}
     */
    public static NetworkDescriptor verify(byte[] document, String adminFingerprint) throws DocumentRejectedException {
        Objects.requireNonNull(adminFingerprint, "adminFingerprint");
        SignedDocument.Verified v = SignedDocument.verify(document, "network descriptor", TYPE);
        if (!Bytes.same(Bytes.ascii(Fingerprint.of(v.signer())), Bytes.ascii(adminFingerprint))) {
            // The signer's own fingerprint is not printed: a user must not be tempted to copy it
            // from the folder instead of getting the right one from the admin.
            throw new DocumentRejectedException(
                    Reason.WRONG_SIGNER,
                    "network descriptor is signed by another key, " + "not by the pinned admin key "
                            + Bytes.printable(adminFingerprint));
        }
        JsonNode p = v.payload();
        try {
            NetworkId net = NetworkId.fromHex(Json.text(p, "net"));
            byte[] admin = Json.b64(p, "admin", IdentityKey.KEY_BYTES);
            if (!Bytes.same(admin, v.signer())) {
                throw new DocumentRejectedException(
                        Reason.WRONG_SIGNER,
                        "network descriptor names admin key " + Fingerprint.of(admin) + " but is signed by another");
            }
            String suite = Json.text(p, "suite");
            if (!suite.equals(Hpke.SUITE)) {
                throw new DocumentRejectedException(
                        Reason.UNKNOWN_SUITE,
                        "network descriptor names suite '" + Bytes.printable(suite) + "'; this version speaks "
                                + Hpke.SUITE);
            }
            String layout = Json.text(p, "layout");
            if (!LAYOUT.matcher(layout).matches()) {
                throw new IllegalArgumentException("field 'layout' must be 1-32 characters of [a-z0-9.-]");
            }
            return new NetworkDescriptor(net, admin, suite, layout);
        } catch (IllegalArgumentException e) {
            throw new DocumentRejectedException(Reason.MALFORMED, "network descriptor: " + e.getMessage());
        }
    }

    /** The network id. */
    public NetworkId networkId() {
        return networkId;
    }

    /** The admin's raw Ed25519 public key (a copy). */
    public byte[] adminKey() {
        return adminKey.clone();
    }

    byte[] rawAdminKey() {
        return adminKey;
    }

    /** The admin key's fingerprint: what is handed out of band. */
    public String adminFingerprint() {
        return Fingerprint.of(adminKey);
    }

    /** The cipher suite's name. */
    public String suite() {
        return suite;
    }

    /** The channel layout's name. */
    public String layout() {
        return layout;
    }

    @Override
    public String toString() {
        return "NetworkDescriptor[net=" + networkId + ", admin=" + adminFingerprint() + ", layout=" + layout + "]";
    }
}
