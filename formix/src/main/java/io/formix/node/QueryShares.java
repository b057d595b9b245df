package io.formix.node;

import java.util.List;

/** Shares a query's answer cells with the computation's 64-bit scheme (mpc draws the randomness). */
final class QueryShares {

    private QueryShares() {}

    /** One {@code ShareCodec} encoding per heavy node, in party order. */
    static List<byte[]> share(String scheme, long[] cells) {
        throw new IllegalStateException("sharing over Z/2^64 (" + scheme + ", " + cells.length + " numbers) is not "
                + "available in this build");
    }
}
