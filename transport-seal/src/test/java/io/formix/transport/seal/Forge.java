package io.formix.transport.seal;

/** Builds envelopes field by field, as an attacker holding some keys could. */
final class Forge {

    private Forge() {}

    /** Seals {@code payload} under header {@code h} to {@code recipientKey}, signed by {@code signer}. */
    static byte[] envelope(IdentityKey signer, Header h, byte[] recipientKey, byte[] payload) {
        byte[] hdr = h.encode();
        byte[][] encCt = Hpke.seal(recipientKey, Envelope.info(h.net()), hdr, Padding.pad(payload, 0));
        return Envelope.encode(hdr, encCt[0], encCt[1], signer.sign(Envelope.SIG_LABEL, hdr, encCt[0], encCt[1]));
    }

    /**
     * A bulk (version 2) envelope: {@code payload} sealed with the ChaCha20-Poly1305 suite under
     * {@code info} to {@code recipientKey}, signed with Ed25519ph by {@code signer}.
     */
    static byte[] bulkEnvelope(IdentityKey signer, Header h, byte[] recipientKey, byte[] info, byte[] payload) {
        byte[] hdr = h.encode();
        byte[][] encCt = Hpke.seal(true, recipientKey, info, hdr, Padding.pad(payload, 0));
        return Envelope.encode(
                Envelope.VERSION_BULK, hdr, encCt[0], encCt[1], sign(signer, true, hdr, encCt[0], encCt[1]));
    }

    /** Re-signs the parts of {@code original} under a new header, keeping its version, enc and ciphertext. */
    static byte[] resign(IdentityKey signer, byte[] original, Header newHeader) throws Exception {
        Envelope e = Envelope.parse(original, Integer.MAX_VALUE);
        return resign(signer, newHeader.encode(), e.enc(), e.ciphertext(), e.version);
    }

    /** Signs and encodes the given parts as an envelope of {@code version}, as its sealer would. */
    static byte[] resign(IdentityKey signer, byte[] hdr, byte[] enc, byte[] ct, byte version) {
        boolean bulk = version == Envelope.VERSION_BULK;
        return Envelope.encode(version, hdr, enc, ct, sign(signer, bulk, hdr, enc, ct));
    }

    private static byte[] sign(IdentityKey signer, boolean bulk, byte[] hdr, byte[] enc, byte[] ct) {
        if (!bulk) {
            return signer.sign(Envelope.SIG_LABEL, hdr, enc, ct);
        }
        return signer.signPrehash(
                IdentityKey.Slice.of(Envelope.SIG_LABEL),
                IdentityKey.Slice.of(hdr),
                IdentityKey.Slice.of(enc),
                IdentityKey.Slice.of(ct));
    }

    static Header header(byte[] envelope) throws Exception {
        return Envelope.parse(envelope, Integer.MAX_VALUE).header;
    }

    static byte[] flip(byte[] b, int i) {
        byte[] c = b.clone();
        c[i] ^= 0x01;
        return c;
    }
}
