package io.formix.transport.seal;

import java.nio.ByteBuffer;

/**
 * The plaintext inside every envelope: {@code len u32 | payload[len] | zeros}. With a pad size
 * {@code p > 0} the whole is rounded up to a multiple of {@code p}, so messages of different
 * lengths below {@code p - 4} (a share and a decline) have the same size on the wire.
 */
final class Padding {

    /** Bytes of the length prefix. */
    static final int PREFIX = 4;

    private Padding() {}

    static byte[] pad(byte[] payload, int padTo) {
        int len = PREFIX + payload.length;
        int total = padTo > 0 ? (int) ((len + (long) padTo - 1) / padTo * padTo) : len;
        byte[] out = new byte[total];
        ByteBuffer.wrap(out).putInt(payload.length).put(payload);
        return out;
    }

    static byte[] unpad(byte[] padded) throws EnvelopeRejectedException {
        if (padded.length < PREFIX) {
            throw new EnvelopeRejectedException(Step.PADDING, "plaintext shorter than its length prefix");
        }
        long len = ByteBuffer.wrap(padded).getInt() & 0xffffffffL;
        if (len > padded.length - PREFIX) {
            throw new EnvelopeRejectedException(Step.PADDING, "length prefix " + len + " exceeds the plaintext");
        }
        int end = PREFIX + (int) len;
        int nonZero = 0;
        for (int i = end; i < padded.length; i++) {
            nonZero |= padded[i];
        }
        if (nonZero != 0) {
            throw new EnvelopeRejectedException(Step.PADDING, "padding is not zero");
        }
        return java.util.Arrays.copyOfRange(padded, PREFIX, end);
    }
}
