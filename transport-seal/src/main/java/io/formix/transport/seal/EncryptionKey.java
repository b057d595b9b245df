package io.formix.transport.seal;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The public half of one X25519 encryption key of a node, as its descriptor publishes it: a key id
 * ({@code kid}, 8 lower-case hex digits, named in every message sealed to it), the raw 32-byte
 * public key, and the interval {@code [notBefore, expiresAt)} in which senders may seal to it.
 * Immutable.
 */
public final class EncryptionKey {

    private static final Pattern KID = Pattern.compile("[0-9a-f]{8}");

    private final String kid;
    private final byte[] publicKey;
    private final Instant notBefore;
    private final Instant expiresAt;

    /**
     * @throws IllegalArgumentException if {@code kid} is not 8 lower-case hex digits, the key is not
     *     32 bytes, or {@code expiresAt} is not after {@code notBefore}
     */
    public EncryptionKey(String kid, byte[] publicKey, Instant notBefore, Instant expiresAt) {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!KID.matcher(kid).matches()) {
            throw new IllegalArgumentException("a kid is 8 lower-case hex digits");
        }
        if (publicKey.length != Hpke.KEY_BYTES) {
            throw new IllegalArgumentException("an X25519 public key is " + Hpke.KEY_BYTES + " bytes");
        }
        if (!expiresAt.isAfter(notBefore)) {
            throw new IllegalArgumentException("expiry must be after not-before");
        }
        this.kid = kid;
        this.publicKey = publicKey.clone();
        // Documents carry whole seconds; keep the same precision so a round trip is exact.
        this.notBefore = Instant.ofEpochSecond(notBefore.getEpochSecond());
        this.expiresAt = Instant.ofEpochSecond(expiresAt.getEpochSecond());
    }

    static boolean isKid(String s) {
        return s != null && KID.matcher(s).matches();
    }

    /** The key id: 8 lower-case hex digits. */
    public String kid() {
        return kid;
    }

    /** The raw X25519 public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] raw() {
        return publicKey;
    }

    /** From when senders may use this key (whole seconds). */
    public Instant notBefore() {
        return notBefore;
    }

    /** From when senders must no longer use it (whole seconds); receivers still open until this plus a grace. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** Whether a sender may seal to this key at {@code now}: {@code notBefore <= now < expiresAt}. */
    public boolean usableAt(Instant now) {
        return !now.isBefore(notBefore) && now.isBefore(expiresAt);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionKey k
                && kid.equals(k.kid)
                && java.util.Arrays.equals(publicKey, k.publicKey)
                && notBefore.equals(k.notBefore)
                && expiresAt.equals(k.expiresAt);
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }

    @Override
    public String toString() {
        return "EncryptionKey[kid=" + kid + ", nbf=" + notBefore + ", exp=" + expiresAt + "]";
    }
}
