package io.formix.transport.seal;

import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A signed document (network descriptor, roster, node descriptor) was refused. {@link #reason()}
 * says which rule it broke; the message is one line naming the document and the reason.
 */
public class DocumentRejectedException extends GeneralSecurityException {

    /** The rule a refused document broke. */
    public enum Reason {
        /** Larger than {@link DocumentFiles#MAX_BYTES}; refused before parsing. */
        TOO_LARGE,
        /** Not the signed-document format, or a payload field missing or of the wrong type. */
        MALFORMED,
        /** The signature does not verify with the key the document names. */
        BAD_SIGNATURE,
        /** Signed by a key other than the one that must sign it (the pinned admin, the node's own key). */
        WRONG_SIGNER,
        /** Belongs to another network. */
        WRONG_NETWORK,
        /** Older than the version (roster) or sequence (descriptor) already accepted. */
        ROLLBACK,
        /** The node's identity key is not the one the roster lists for its uid. */
        FINGERPRINT_MISMATCH,
        /** The node claims another role than the roster gives it. */
        ROLE_MISMATCH,
        /** Names a cipher suite this version does not speak. */
        UNKNOWN_SUITE
    }

    private final Reason reason;

    public DocumentRejectedException(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason")
                        .name()
                        .toLowerCase(java.util.Locale.ROOT)
                        .replace('_', ' ') + ": " + message);
        this.reason = reason;
    }

    /** The rule the document broke. */
    public Reason reason() {
        return reason;
    }
}
