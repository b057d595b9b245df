package io.formix.transport.seal;

import io.formix.transport.PartyId;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Seals and signs messages from one node: HPKE base mode to the recipient's current encryption key
 * ({@code info = "formix/2 msg" || network id}, {@code aad =} the header), then an Ed25519
 * signature by the sender's identity key over {@code "formix/2 sig" || header || enc || ct}
 * (encrypt, then sign): envelope version 1. A padded plaintext of {@link #BULK_MIN_PLAINTEXT} bytes
 * or more is sealed as version 2 instead: ChaCha20-Poly1305 under {@code info = "formix/2 bulk" ||
 * network id}, and an Ed25519ph signature over the same parts. Stateless apart from its configuration; thread-safe. The channel counter
 * is the caller's ({@link SealingTransport} keeps one per recipient).
 */
public final class Sealer {

    /** The smallest padded plaintext (payload, 4-byte length prefix and padding) sealed as version 2. */
    public static final int BULK_MIN_PLAINTEXT = Envelope.BULK_MIN_PLAINTEXT;

    private final NetworkId network;
    private final PartyId self;
    private final IdentityKey identity;
    private final KeyDirectory directory;
    private final Clock clock;
    private final int padTo;
    private final byte[] info;
    private final byte[] bulkInfo;

    /**
     * @param padTo pad every plaintext (with its 4-byte length prefix) up to a multiple of this many
     *     bytes; 0 for no padding
     */
    public Sealer(
            NetworkId network, PartyId self, IdentityKey identity, KeyDirectory directory, Clock clock, int padTo) {
        this.network = Objects.requireNonNull(network, "network");
        this.self = Objects.requireNonNull(self, "self");
        this.identity = Objects.requireNonNull(identity, "identity");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (padTo < 0) {
            throw new IllegalArgumentException("padTo must be >= 0");
        }
        this.padTo = padTo;
        this.info = Envelope.info(network);
        this.bulkInfo = Envelope.bulkInfo(network);
    }

    /**
     * Seals {@code payload} to {@code to}, whose channel counter for this message is {@code seq}.
     *
     * @return the envelope bytes
     * @throws SealException if {@code to} is not in the key directory, has no key usable now, or
     *     publishes a key no shared secret can be made with
     */
    public byte[] seal(PartyId to, long seq, byte[] payload) throws SealException {
        Objects.requireNonNull(payload, "payload");
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0");
        }
        NodeDescriptor recipient = directory
                .lookup(to)
                .orElseThrow(() ->
                        new SealException("no descriptor for " + to + " in the key directory; cannot seal to it"));
        Instant now = clock.instant();
        EncryptionKey key = recipient
                .currentKey(now)
                .orElseThrow(() -> new SealException("no encryption key of " + to + " is valid at " + now));
        Header h = new Header(network, self, to, seq, key.kid(), Bytes.random(Header.MID_BYTES), now.getEpochSecond());
        byte[] hdr = h.encode();
        byte[] padded = Padding.pad(payload, padTo);
        boolean bulk = padded.length >= BULK_MIN_PLAINTEXT;
        byte[][] encCt;
        try {
            encCt = Hpke.seal(bulk, key.raw(), bulk ? bulkInfo : info, hdr, padded);
        } catch (IllegalStateException e) {
            // A published key that is a low-order point gives no shared secret: refuse, never send.
            throw new SealException(
                    "encryption key " + key.kid() + " of " + to + " is unusable (" + e.getMessage() + ")");
        }
        if (!bulk) {
            byte[] sig = identity.sign(Envelope.SIG_LABEL, hdr, encCt[0], encCt[1]);
            return Envelope.encode(hdr, encCt[0], encCt[1], sig);
        }
        byte[] sig = identity.signPrehash(
                IdentityKey.Slice.of(Envelope.SIG_LABEL),
                IdentityKey.Slice.of(hdr),
                IdentityKey.Slice.of(encCt[0]),
                IdentityKey.Slice.of(encCt[1]));
        return Envelope.encode(Envelope.VERSION_BULK, hdr, encCt[0], encCt[1], sig);
    }
}
