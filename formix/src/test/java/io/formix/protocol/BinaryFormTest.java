package io.formix.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.transport.PartyId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The binary form of a share message: round trip beside the JSON form, bounds, malformed input. */
class BinaryFormTest {

    private static final PartyId A = PartyId.of("light-0001");
    private static final PartyId B = PartyId.of("heavy-3");

    private static byte[] vectorShare(int cells) {
        SharingScheme scheme = SharingSchemes.forId("additive-3-z64");
        long[] v = new long[cells];
        for (int i = 0; i < cells; i++) {
            v[i] = i * 7L - 3;
        }
        VectorShare[] shares = scheme.shareCompressed(v);
        return ShareCodec.encode(shares[2]); // the explicit component: 8 bytes per cell
    }

    @Test
    void aBinaryShareRoundTripsWithoutBase64() throws Exception {
        byte[] share = vectorShare(1000);
        Envelope e = Envelope.of(MessageType.SHARE, A, B, "c0001", new Bodies.Share(share).toBinaryJson());
        byte[] wire = e.encode();
        assertEquals(0, wire[0], "the binary form starts with 0x00, never '{'");
        int json = ((wire[4] & 0xff) << 24) | ((wire[5] & 0xff) << 16) | ((wire[6] & 0xff) << 8) | (wire[7] & 0xff);
        assertEquals(wire.length, BinaryForm.PREFIX_BYTES + json + share.length, "the share's bytes as they are");
        assertArrayEquals(share, Arrays.copyOfRange(wire, wire.length - share.length, wire.length));
        String head = new String(wire, BinaryForm.PREFIX_BYTES, json, StandardCharsets.UTF_8);
        assertTrue(head.startsWith("{\"v\":1,\"type\":\"share\"") && head.endsWith("\"body\":{}}"), head);

        Envelope d = Envelope.decode(wire);
        assertEquals(MessageType.SHARE, d.type());
        assertEquals(A, d.from());
        assertEquals(B, d.to());
        assertEquals("c0001", d.computation());
        assertEquals(e.id(), d.id());
        assertArrayEquals(share, Bodies.Share.parse(d.body()).encoded());
    }

    @Test
    void theJsonFormStaysAsItWasAndBothDecodeToTheSameShare() throws Exception {
        byte[] share = vectorShare(100);
        Envelope json = Envelope.of(MessageType.SHARE, A, B, "c0001", new Bodies.Share(share).toJson());
        byte[] wire = json.encode();
        assertEquals('{', wire[0]);
        assertTrue(wire.length > share.length * 4 / 3, "base64 in the JSON form");
        assertArrayEquals(
                share, Bodies.Share.parse(Envelope.decode(wire).body()).encoded());
        Envelope bin = Envelope.of(MessageType.SHARE, A, B, "c0001", new Bodies.Share(share).toBinaryJson());
        assertArrayEquals(
                share, Bodies.Share.parse(Envelope.decode(bin.encode()).body()).encoded());
        assertTrue(bin.encode().length < wire.length);
    }

    private static byte[] frame(String json, byte[] share) {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[8 + j.length + share.length];
        System.arraycopy(BinaryForm.MAGIC, 0, out, 0, 4);
        out[6] = (byte) (j.length >>> 8);
        out[7] = (byte) j.length;
        System.arraycopy(j, 0, out, 8, j.length);
        System.arraycopy(share, 0, out, 8 + j.length, share.length);
        return out;
    }

    private static String head(String type, String body) {
        return "{\"v\":1,\"type\":\"" + type + "\",\"id\":\"m1\",\"from\":\"light-0001\",\"to\":\"heavy-3\","
                + "\"computation\":\"c0001\",\"body\":" + body + "}";
    }

    private static String rejected(byte[] payload) {
        return assertThrows(
                        ProtocolException.class,
                        () -> Bodies.Share.parse(Envelope.decode(payload).body()))
                .getMessage();
    }

    @Test
    void malformedBinaryFormsAreRejectedWithTheReason() {
        byte[] share = vectorShare(50);
        // A well-formed frame decodes (the helper is right).
        assertEquals(MessageType.SHARE, assertDoesNotThrow(frame(head("share", "{}"), share)));

        assertTrue(rejected(new byte[] {0}).contains("not JSON and not a binary share"));
        assertTrue(rejected(new byte[] {0, 'F', 'X', 'B', 0, 0, 0}).contains("not JSON and not a binary share"));
        byte[] badMagic = frame(head("share", "{}"), share);
        badMagic[3] = 'Z';
        assertTrue(rejected(badMagic).contains("not JSON and not a binary share"));

        // Stated lengths beyond the payload or the bound: refused before anything is read or copied.
        byte[] tooLong = frame(head("share", "{}"), share);
        tooLong[4] = 0x7f;
        assertTrue(rejected(tooLong).contains("JSON part of"), rejected(tooLong));
        byte[] beyond = frame(head("share", "{}"), new byte[0]);
        beyond[7] = (byte) (beyond[7] + 1);
        assertTrue(rejected(beyond).contains("JSON part of"));
        byte[] overBound = new byte[8 + BinaryForm.MAX_JSON_BYTES + 10];
        System.arraycopy(BinaryForm.MAGIC, 0, overBound, 0, 4);
        overBound[6] = (byte) ((BinaryForm.MAX_JSON_BYTES + 1) >>> 8);
        overBound[7] = (byte) (BinaryForm.MAX_JSON_BYTES + 1);
        assertTrue(rejected(overBound).contains("at most " + BinaryForm.MAX_JSON_BYTES));
        byte[] tiny = frame("{", share);
        assertTrue(rejected(tiny).contains("JSON part of 1 bytes"));

        assertTrue(rejected(frame("{\"v\":1,garbage", share)).contains("not JSON"));
        assertTrue(rejected(frame(head("decline", "{}"), share)).contains("only shares have one"));
        assertTrue(rejected(frame(head("share", "{\"share\":\"AAAA\"}"), share)).contains("body must be empty"));
        assertTrue(rejected(frame(head("share", "{}"), new byte[] {1, 2, 3})).contains("not an encoded share"));
        assertTrue(rejected(frame(head("share", "{}"), new byte[0])).contains("not an encoded share"));
        assertTrue(rejected(frame(head("share", "{}").replace("\"v\":1", "\"v\":2"), share))
                .contains("unsupported protocol version 2"));
    }

    private static MessageType assertDoesNotThrow(byte[] payload) {
        try {
            return Envelope.decode(payload).type();
        } catch (ProtocolException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void onlyASharesOwnBytesGoBinary() {
        Envelope decline = Envelope.of(MessageType.DECLINE, A, B, "c0001", new Bodies.Decline("no").toJson());
        assertEquals('{', decline.encode()[0]);
        Envelope text = Envelope.of(MessageType.SHARE, A, B, "c0001", new Bodies.Share(new byte[] {1}).toJson());
        assertEquals('{', text.encode()[0]);
    }
}
