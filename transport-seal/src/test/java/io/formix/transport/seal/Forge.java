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

    /** Re-signs the parts of {@code original} under a new header, keeping its enc and ciphertext. */
    static byte[] resign(IdentityKey signer, byte[] original, Header newHeader) throws Exception {
        Envelope e = Envelope.parse(original, Integer.MAX_VALUE);
        byte[] hdr = newHeader.encode();
        byte[] enc = e.enc();
        byte[] ct = e.ciphertext();
        return Envelope.encode(hdr, enc, ct, signer.sign(Envelope.SIG_LABEL, hdr, enc, ct));
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
