package io.formix.protocol;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;

/** Checks on the sharing data a message carries: the scheme id and the encoded shares. */
final class Schemes {

    private Schemes() {}

    /** The scheme {@code id} names, which must share among {@code heavies} heavy nodes. */
    static SharingScheme check(String id, int heavies) throws ProtocolException {
        SharingScheme s;
        try {
            s = SharingSchemes.forId(id);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("bad 'scheme': " + e.getMessage());
        }
        if (s.parties() != heavies) {
            throw new ProtocolException("scheme " + id + " shares among " + s.parties() + " parties, the computation "
                    + "names " + heavies + " heavy nodes");
        }
        return s;
    }

    /**
     * {@code bytes} if they are one encoded share of at most {@link MessageLimits#MAX_CELLS}
     * elements; its length and ring are checked against its computation where it is taken.
     */
    static byte[] shareBytes(byte[] bytes) throws ProtocolException {
        try {
            ShareCodec.decodeShare(bytes, MessageLimits.MAX_CELLS);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("field 'share' is not an encoded share: " + e.getMessage());
        }
        return bytes;
    }
}
