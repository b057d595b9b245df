package io.formix.transport.seal;

/**
 * The fingerprint of a public key: base64url without padding of the SHA-256 of its raw bytes
 * (43 characters). Admins hand the network descriptor's fingerprint out of band; the roster names
 * each node by the fingerprint of its identity key.
 */
public final class Fingerprint {

    private Fingerprint() {}

    /** The fingerprint of the raw public key {@code publicKey}. */
    public static String of(byte[] publicKey) {
        return Bytes.b64(Bytes.sha256(publicKey));
    }
}
