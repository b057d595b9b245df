package io.formix.node;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.VectorShare;
import java.util.ArrayList;
import java.util.List;

/**
 * Shares a query's answer cells with the computation's 64-bit scheme (mpc draws the randomness):
 * seed-compressed ({@link SharingScheme#shareCompressed}) when longer than {@link #COMPRESS_ABOVE}
 * cells, so every heavy node but the last gets 32-byte seeds instead of the vector.
 */
final class QueryShares {

    /** Vectors longer than this are shared seed-compressed. */
    static final int COMPRESS_ABOVE = 16;

    private QueryShares() {}

    /** Whether {@code schemeId} names a scheme over Z/2^64, the ring every query answer is shared in. */
    static boolean z64(String schemeId) {
        return schemeId.endsWith("-z64");
    }

    /** One {@code ShareCodec} encoding per heavy node, in party order. */
    static List<byte[]> share(SharingScheme scheme, long[] cells) {
        if (scheme.ringBits() != 64) {
            throw new IllegalStateException(
                    "a query's answer is shared over Z/2^64, not over the ring of " + scheme.id());
        }
        VectorShare[] shares = cells.length > COMPRESS_ABOVE ? scheme.shareCompressed(cells) : scheme.share(cells);
        List<byte[]> out = new ArrayList<>(shares.length);
        for (VectorShare s : shares) {
            out.add(ShareCodec.encode(s));
        }
        return out;
    }
}
