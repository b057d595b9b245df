package io.formix.transport.seal;

import io.formix.transport.PartyId;
import java.time.Instant;

/**
 * An envelope whose signature, network, recipient, channel and timestamp checks passed
 * ({@link Opener#verify}); its content is still sealed until {@link Opener#open}. The accessors
 * expose the signed header only.
 */
public final class VerifiedEnvelope {

    final Envelope envelope;

    VerifiedEnvelope(Envelope envelope) {
        this.envelope = envelope;
    }

    /** The sender. */
    public PartyId from() {
        return envelope.header.from();
    }

    /** The recipient (this node). */
    public PartyId to() {
        return envelope.header.to();
    }

    /** The sender's channel counter for this message. */
    public long seq() {
        return envelope.header.seq();
    }

    /** The id of the recipient key it is sealed to. */
    public String kid() {
        return envelope.header.kid();
    }

    /** The 16-byte message id, as 32 hex digits. */
    public String messageId() {
        return envelope.header.midHex();
    }

    /** The sender's timestamp (whole seconds). */
    public Instant timestamp() {
        return Instant.ofEpochSecond(envelope.header.ts());
    }

    @Override
    public String toString() {
        return "VerifiedEnvelope[from=" + from() + ", to=" + to() + ", seq=" + seq() + ", kid=" + kid() + "]";
    }
}
