package io.formix.transport.seal;

import io.formix.transport.PartyId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;

/**
 * Checks and opens envelopes addressed to one node, in the order of {@link Step}:
 * {@link #verify} parses with hard bounds, finds the sender in the key directory, verifies its
 * signature, then checks network, recipient, channel and timestamp; {@link #open} checks the key
 * id and its expiry, decrypts and removes the padding. Replay state (message ids, counters) is the
 * caller's, between the two calls ({@link SealingTransport} keeps it). Thread-safe.
 */
public final class Opener {

    /** How far a sender's timestamp may be ahead of this node's clock. */
    public static final Duration MAX_CLOCK_AHEAD = Duration.ofMinutes(5);

    private final NetworkId network;
    private final PartyId self;
    private final NodeKeys keys;
    private final KeyDirectory directory;
    private final Clock clock;
    private final Duration keyGrace;
    private final int maxEnvelopeBytes;
    private final byte[] info;
    private final byte[] bulkInfo;

    /**
     * @param keyGrace how long after its expiry a key still opens messages sealed to it
     * @param maxEnvelopeBytes the largest envelope accepted (the wrapped transport's maximum)
     */
    public Opener(
            NetworkId network,
            PartyId self,
            NodeKeys keys,
            KeyDirectory directory,
            Clock clock,
            Duration keyGrace,
            int maxEnvelopeBytes) {
        this.network = Objects.requireNonNull(network, "network");
        this.self = Objects.requireNonNull(self, "self");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keyGrace = Objects.requireNonNull(keyGrace, "keyGrace");
        if (keyGrace.isNegative()) {
            throw new IllegalArgumentException("keyGrace must be >= 0");
        }
        this.maxEnvelopeBytes = maxEnvelopeBytes;
        this.info = Envelope.info(network);
        this.bulkInfo = Envelope.bulkInfo(network);
    }

    /**
     * Runs the checks up to {@link Step#TIMESTAMP} on an envelope that arrived on the channel from
     * {@code channelSender}.
     *
     * @throws EnvelopeRejectedException naming the first step that failed
     */
    public VerifiedEnvelope verify(byte[] envelope, PartyId channelSender) throws EnvelopeRejectedException {
        Envelope e = Envelope.parse(envelope, maxEnvelopeBytes);
        Header h = e.header;
        NodeDescriptor sender = directory
                .lookup(h.from())
                .orElseThrow(
                        () -> new EnvelopeRejectedException(Step.SENDER, h.from() + " is not in the key directory"));
        // Version 1 is signed with pure Ed25519, version 2 with Ed25519ph: a signature of one never
        // verifies as the other, so a flipped version byte fails here.
        boolean signed = e.bulk()
                ? IdentityKey.verifyPrehash(sender.identityParameters(), e.buf, e.sigOff, e.signedParts())
                : IdentityKey.verify(sender.identityParameters(), e.buf, e.sigOff, e.signedParts());
        if (!signed) {
            throw new EnvelopeRejectedException(Step.SIGNATURE, "not signed by the identity key of " + h.from());
        }
        if (!h.net().equals(network)) {
            throw new EnvelopeRejectedException(Step.NETWORK, "for network " + h.net() + ", not " + network);
        }
        if (!h.to().equals(self)) {
            throw new EnvelopeRejectedException(Step.RECIPIENT, "addressed to " + h.to() + ", not " + self);
        }
        if (!h.from().equals(channelSender)) {
            throw new EnvelopeRejectedException(
                    Step.CHANNEL, "from " + h.from() + " but on the channel of " + channelSender);
        }
        Instant now = clock.instant();
        if (h.ts() > now.plus(MAX_CLOCK_AHEAD).getEpochSecond()) {
            throw new EnvelopeRejectedException(
                    Step.TIMESTAMP,
                    "stamped " + Instant.ofEpochSecond(h.ts()) + ", more than " + MAX_CLOCK_AHEAD.toMinutes()
                            + " min after " + now);
        }
        return new VerifiedEnvelope(e);
    }

    /**
     * Opens a verified envelope: the checks from {@link Step#KEY_UNKNOWN} on.
     *
     * @return the payload the sender sealed
     * @throws EnvelopeRejectedException naming the first step that failed
     */
    public byte[] open(VerifiedEnvelope verified) throws EnvelopeRejectedException {
        Envelope e = verified.envelope;
        String kid = e.header.kid();
        NodeKeys.Private key = keys.privateKey(kid)
                .orElseThrow(() -> new EnvelopeRejectedException(Step.KEY_UNKNOWN, "no key " + kid + " on " + self));
        Instant now = clock.instant();
        if (now.isAfter(key.key().expiresAt().plus(keyGrace))) {
            throw new EnvelopeRejectedException(
                    Step.KEY_EXPIRED,
                    "key " + kid + " expired at " + key.key().expiresAt() + " (grace " + keyGrace + ")");
        }
        byte[] padded;
        try {
            padded = Hpke.open(
                    e.bulk(),
                    key.pair(),
                    e.enc(),
                    e.bulk() ? bulkInfo : info,
                    e.headerBytes(),
                    e.buf,
                    e.ctOff,
                    e.ctLen);
        } catch (InvalidCipherTextException | RuntimeException ex) {
            // BC reports a bad tag as InvalidCipherTextException and a degenerate enc (a low-order
            // point, all-zero shared secret) as an unchecked exception: both mean "does not open".
            throw new EnvelopeRejectedException(Step.DECRYPT, "HPKE open failed with key " + kid);
        }
        return Padding.unpad(padded);
    }
}
