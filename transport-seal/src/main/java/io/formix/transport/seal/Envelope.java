package io.formix.transport.seal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Envelope v2, the payload of every sealed message (all integers big-endian):
 * <pre>
 * "FXS2" | ver u8 = 1 or 2 | hdr_len u16 | hdr | enc[32] | ct_len u32 | ct | sig[64]
 * </pre>
 * Version 1 seals with AES-128-GCM under {@code info = "formix/2 msg" || net} and signs with pure
 * Ed25519; version 2 ("bulk", for padded plaintexts of {@link #BULK_MIN_PLAINTEXT} bytes or more)
 * seals with ChaCha20-Poly1305 under {@code info = "formix/2 bulk" || net} and signs the same parts
 * with Ed25519ph. {@link #parse} checks every length against hard bounds and against the bytes present before it
 * copies anything, and refuses trailing bytes. A parsed envelope refers to the received array.
 */
final class Envelope {

    static final byte[] MAGIC = "FXS2".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    /** The bulk envelope: ChaCha20-Poly1305 and Ed25519ph. */
    static final byte VERSION_BULK = 2;
    /** The smallest padded plaintext sealed as a bulk envelope (64 KiB). */
    static final int BULK_MIN_PLAINTEXT = 64 * 1024;

    static final byte[] SIG_LABEL = "formix/2 sig".getBytes(StandardCharsets.US_ASCII);
    static final byte[] INFO_LABEL = "formix/2 msg".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BULK_INFO_LABEL = "formix/2 bulk".getBytes(StandardCharsets.US_ASCII);
    /** Every byte but the header and the ciphertext. */
    static final int FIXED = MAGIC.length + 1 + 2 + Hpke.ENC_BYTES + 4 + IdentityKey.SIGNATURE_BYTES;
    /** The most an envelope adds to its plaintext (longest header plus the AEAD tag). */
    static final int MAX_OVERHEAD = FIXED + Header.MAX_BYTES + Hpke.TAG_BYTES;
    /** The shortest possible envelope. */
    static final int MIN_BYTES = FIXED + Header.MIN_BYTES + Hpke.TAG_BYTES + Padding.PREFIX;

    final byte[] buf;
    final byte version;
    final Header header;
    final int hdrOff;
    final int hdrLen;
    final int encOff;
    final int ctOff;
    final int ctLen;
    final int sigOff;

    private Envelope(byte[] buf, byte version, Header header, int hdrLen, int ctLen) {
        this.buf = buf;
        this.version = version;
        this.header = header;
        this.hdrOff = MAGIC.length + 1 + 2;
        this.hdrLen = hdrLen;
        this.encOff = hdrOff + hdrLen;
        this.ctOff = encOff + Hpke.ENC_BYTES + 4;
        this.ctLen = ctLen;
        this.sigOff = ctOff + ctLen;
    }

    static byte[] encode(byte[] hdr, byte[] enc, byte[] ct, byte[] sig) {
        return encode(VERSION, hdr, enc, ct, sig);
    }

    static byte[] encode(byte version, byte[] hdr, byte[] enc, byte[] ct, byte[] sig) {
        ByteBuffer b = ByteBuffer.allocate(FIXED + hdr.length + ct.length);
        b.put(MAGIC)
                .put(version)
                .putShort((short) hdr.length)
                .put(hdr)
                .put(enc)
                .putInt(ct.length)
                .put(ct)
                .put(sig);
        return b.array();
    }

    /**
     * Parses {@code buf} with hard bounds.
     *
     * @param maxBytes the largest envelope accepted (the wrapped transport's maximum message size)
     * @throws EnvelopeRejectedException at step {@link Step#PARSE}
     */
    static Envelope parse(byte[] buf, int maxBytes) throws EnvelopeRejectedException {
        if (buf.length < MIN_BYTES) {
            throw new EnvelopeRejectedException(
                    Step.PARSE, "truncated: " + buf.length + " bytes, an envelope has at least " + MIN_BYTES);
        }
        if (buf.length > maxBytes) {
            throw new EnvelopeRejectedException(Step.PARSE, "oversized: " + buf.length + " bytes, at most " + maxBytes);
        }
        if (!Arrays.equals(buf, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new EnvelopeRejectedException(Step.PARSE, "not a sealed envelope (magic)");
        }
        byte version = buf[MAGIC.length];
        if (version != VERSION && version != VERSION_BULK) {
            throw new EnvelopeRejectedException(
                    Step.PARSE, "unsupported envelope version " + (buf[MAGIC.length] & 0xff));
        }
        ByteBuffer b = ByteBuffer.wrap(buf);
        int hdrLen = b.getShort(MAGIC.length + 1) & 0xffff;
        if (hdrLen < Header.MIN_BYTES || hdrLen > Header.MAX_BYTES) {
            throw new EnvelopeRejectedException(
                    Step.PARSE, "header length " + hdrLen + " outside " + Header.MIN_BYTES + ".." + Header.MAX_BYTES);
        }
        if (buf.length < FIXED + hdrLen + Hpke.TAG_BYTES) {
            throw new EnvelopeRejectedException(Step.PARSE, "truncated after the header");
        }
        int ctLenAt = MAGIC.length + 1 + 2 + hdrLen + Hpke.ENC_BYTES;
        long ctLen = b.getInt(ctLenAt) & 0xffffffffL;
        long expected = (long) buf.length - FIXED - hdrLen;
        if (ctLen != expected) {
            throw new EnvelopeRejectedException(
                    Step.PARSE, "ciphertext length " + ctLen + " disagrees with the " + expected + " bytes present");
        }
        if (ctLen < Hpke.TAG_BYTES + Padding.PREFIX) {
            throw new EnvelopeRejectedException(Step.PARSE, "ciphertext of " + ctLen + " bytes is too short");
        }
        Header h = Header.decode(buf, MAGIC.length + 1 + 2, hdrLen);
        return new Envelope(buf, version, h, hdrLen, (int) ctLen);
    }

    byte[] headerBytes() {
        return Arrays.copyOfRange(buf, hdrOff, hdrOff + hdrLen);
    }

    byte[] enc() {
        return Arrays.copyOfRange(buf, encOff, encOff + Hpke.ENC_BYTES);
    }

    boolean bulk() {
        return version == VERSION_BULK;
    }

    byte[] ciphertext() {
        return Arrays.copyOfRange(buf, ctOff, ctOff + ctLen);
    }

    /** The signed bytes, as slices of the buffer: label, header, enc, ciphertext. */
    IdentityKey.Slice[] signedParts() {
        return new IdentityKey.Slice[] {
            IdentityKey.Slice.of(SIG_LABEL),
            new IdentityKey.Slice(buf, hdrOff, hdrLen),
            new IdentityKey.Slice(buf, encOff, Hpke.ENC_BYTES),
            new IdentityKey.Slice(buf, ctOff, ctLen),
        };
    }

    /** The HPKE info of version 1. */
    static byte[] info(NetworkId net) {
        return info(INFO_LABEL, net);
    }

    /** The HPKE info of the bulk version. */
    static byte[] bulkInfo(NetworkId net) {
        return info(BULK_INFO_LABEL, net);
    }

    private static byte[] info(byte[] label, NetworkId net) {
        byte[] out = Arrays.copyOf(label, label.length + NetworkId.BYTES);
        System.arraycopy(net.raw(), 0, out, label.length, NetworkId.BYTES);
        return out;
    }
}
