package io.formix.transport.seal;

import io.formix.transport.PartyId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The signed routing header of an envelope, in its canonical fixed binary form (big-endian):
 * <pre>
 * net[16] | from_len u8 | from | to_len u8 | to | seq u64 | kid[4] | mid[16] | ts i64
 * </pre>
 * {@code from}/{@code to} are party ids (1-63 ASCII bytes of {@code [a-z0-9-]}); {@code seq} the
 * sender's channel counter; {@code kid} the recipient key's id (8 hex digits as 4 bytes);
 * {@code mid} 16 random bytes; {@code ts} seconds since the epoch. One value has one encoding.
 */
record Header(NetworkId net, PartyId from, PartyId to, long seq, String kid, byte[] mid, long ts) {

    static final int MID_BYTES = 16;
    static final int MAX_ID = 63;
    static final int MIN_BYTES = NetworkId.BYTES + 1 + 1 + 1 + 1 + 8 + 4 + MID_BYTES + 8;
    static final int MAX_BYTES = MIN_BYTES - 2 + 2 * MAX_ID;

    byte[] encode() {
        byte[] f = from.value().getBytes(StandardCharsets.US_ASCII);
        byte[] t = to.value().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MIN_BYTES - 2 + f.length + t.length);
        b.put(net.raw())
                .put((byte) f.length)
                .put(f)
                .put((byte) t.length)
                .put(t)
                .putLong(seq)
                .put(Bytes.unhex(kid))
                .put(mid)
                .putLong(ts);
        return b.array();
    }

    /** Decodes {@code len} bytes at {@code off}; the caller has checked {@code MIN <= len <= MAX}. */
    static Header decode(byte[] buf, int off, int len) throws EnvelopeRejectedException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        byte[] net = new byte[NetworkId.BYTES];
        b.get(net);
        PartyId from = party(b, "from");
        PartyId to = party(b, "to");
        if (b.remaining() != 8 + 4 + MID_BYTES + 8) {
            throw new EnvelopeRejectedException(Step.PARSE, "header length disagrees with its fields");
        }
        long seq = b.getLong();
        if (seq < 0) {
            throw new EnvelopeRejectedException(Step.PARSE, "negative sequence in header");
        }
        byte[] kid = new byte[4];
        b.get(kid);
        byte[] mid = new byte[MID_BYTES];
        b.get(mid);
        long ts = b.getLong();
        return new Header(NetworkId.of(net), from, to, seq, Bytes.hex(kid), mid, ts);
    }

    private static PartyId party(ByteBuffer b, String field) throws EnvelopeRejectedException {
        int n = b.get() & 0xff;
        if (n < 1 || n > MAX_ID || b.remaining() < n) {
            throw new EnvelopeRejectedException(Step.PARSE, "header field " + field + " has a bad length " + n);
        }
        byte[] id = new byte[n];
        b.get(id);
        for (byte c : id) {
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                throw new EnvelopeRejectedException(Step.PARSE, "header field " + field + " is not a party id");
            }
        }
        String s = new String(id, StandardCharsets.US_ASCII);
        if (!PartyId.isValid(s)) {
            throw new EnvelopeRejectedException(Step.PARSE, "header field " + field + " is not a party id");
        }
        return PartyId.of(s);
    }

    String midHex() {
        return Bytes.hex(mid);
    }
}
