package io.formix.transport.seal;

/**
 * The receiver's checks of a sealed envelope, in the order they run. A refused envelope names the
 * first step it failed; nothing of its content is ever reported.
 */
public enum Step {
    /** Magic, version, lengths and header fields within their bounds, before anything is allocated. */
    PARSE("malformed envelope"),
    /** The header's sender is a node the key directory knows. */
    SENDER("unknown sender"),
    /** The sender's Ed25519 signature over the header, enc and ciphertext verifies. */
    SIGNATURE("bad signature"),
    /** The header names this network. */
    NETWORK("wrong network"),
    /** The header names this node as recipient. */
    RECIPIENT("wrong recipient"),
    /** The header's sender is the sender of the channel the envelope arrived on. */
    CHANNEL("wrong channel"),
    /** The timestamp is at most five minutes ahead of the receiver's clock. */
    TIMESTAMP("timestamp in the future"),
    /** The message id was not seen before from this sender (a repeat is ignored and counted). */
    DUPLICATE("duplicate message id"),
    /**
     * The header's number is the message's transport sequence number (over a
     * {@link io.formix.transport.NumberedTransport}), and above the last one accepted from this sender.
     */
    SEQUENCE("sequence not increasing"),
    /** The key id names one of this node's encryption keys. */
    KEY_UNKNOWN("unknown kid"),
    /** That key has not passed its expiry plus the grace. */
    KEY_EXPIRED("key expired"),
    /** HPKE opens the ciphertext with the header as associated data. */
    DECRYPT("decryption failed"),
    /** The length-prefixed padding inside the plaintext is well formed. */
    PADDING("bad padding");

    private final String description;

    Step(String description) {
        this.description = description;
    }

    /** A short description, e.g. {@code "key expired"}. */
    public String description() {
        return description;
    }
}
