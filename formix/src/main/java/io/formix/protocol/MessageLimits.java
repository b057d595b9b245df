package io.formix.protocol;

/**
 * The largest message the Formix protocol can send, per receiving role, so a node's transport
 * refuses (quarantines, for the file transport) anything longer before allocating it, instead of
 * the transport's generic 64 MiB default.
 *
 * <p>The arithmetic, in bytes of the UTF-8 JSON that {@link Envelope#encode()} writes (Jackson
 * writes a control character as a 6-byte backslash-u escape, every other UTF-16 unit as at
 * most 3 bytes, so one character of text is at most {@value #BYTES_PER_CHAR} bytes):
 * <pre>
 *  envelope  {"v":1,"type":"","id":"","from":"","to":"","computation":"","body":}   67
 *            type ≤ 9 ("aggregate"), id ≤ 64 chars × 6 = 384, from/to/computation ≤ 3 × 63 = 189
 *            → 649, rounded up to                                       ENVELOPE_BYTES = 1 024
 *  one id in a list   "&lt;≤ 63 chars&gt;",                                        ID_BYTES = 66
 *  text (prompt, reason) ≤ 4 096 chars × 6                          TEXT_BYTES = 24 576
 *  schema {"type":"integer","minimum":m,"maximum":M}, each double ≤ 24 chars   SCHEMA_BYTES = 128
 *  query ≤ 16 384 chars × 6, plus ,"query":"" and ,"dpEpsilon":"&lt;≤ 40 chars&gt;"   QUERY_BYTES = 98 368
 *  ,"proposer":"&lt;≤ 63 chars&gt;" (13 + 63 + 1 = 77)                                PROPOSER_BYTES = 80
 *  compute body: keys and punctuation ≤ 128, threshold/deadline/graceMs ≤ 6 + 19 + 7 = 32,
 *            TEXT + SCHEMA + QUERY + PROPOSER + heavy 3 × ID + invited (n × ID)
 *  received body: keys ≤ 32, late ≤ 10 digits, lights n × ID
 *
 *  to a light node (only compute, invited empty):
 *    1 024 + 128 + 32 + 24 576 + 128 + 98 368 + 80 + 3 × 66          = 124 534 → LIGHT = 128 KiB
 *  announcements to a heavy node (compute with 100 000 invited, or received/aggregate with 100 000 lights):
 *    124 534 + 100 000 × 66                                        = 6 724 534 (HEAVY_SUM)
 * </pre>
 * A query computation's shares and partial sums are vectors of 64-bit elements, one per cell of
 * the query's answer (at most {@link #MAX_CELLS}, a vector query of 2^24 elements). Their size
 * follows from the cell count ({@link #shareBytes}, {@link #partialBytes}):
 * <pre>
 *  a share: ShareCodec bytes ≤ 256 (header, two 32-byte seeds) + 8 × cells (the one component a
 *           heavy node holds in full: longer vectors travel seed-compressed), in base64 (4/3),
 *           plus the envelope and {"share":""}
 *  a partial sum: two components (replicated) of ≤ 64 + 8 × cells bytes each, in base64, plus its
 *           100 000 contributors × ID and &lt; 300 bytes of fields
 *    for 2^24 cells: 1 024 + 300 + 6 600 000 + 2 × 178 956 992          = 365 515 308 (VECTOR_SUM)
 * </pre>
 * A heavy node's transport takes the largest of these ({@link #MAX_TO_HEAVY}, 349 MiB); a share
 * is then held to its own computation's bound by the heavy node ({@link #shareBytes} of its cell
 * count, before it is decoded). A light node receives no share or partial sum: its bound stays
 * small. {@code MessageLimitsTest} encodes the largest legitimate messages and checks they fit.
 */
public final class MessageLimits {

    static final int BYTES_PER_CHAR = 6;
    static final int ENVELOPE_BYTES = 1_024;
    static final int ID_BYTES = 63 + 3;
    static final int TEXT_BYTES = Bodies.MAX_TEXT * BYTES_PER_CHAR;
    static final int SCHEMA_BYTES = 128;
    static final int QUERY_BYTES = ComputeBody.MAX_QUERY_CHARS * BYTES_PER_CHAR + 64;
    static final int FIELDS_BYTES = 128 + 32;
    static final int PROPOSER_BYTES = 80;

    /** The most cells a query's answer has (a vector of 2^24 elements; {@code io.formix.query.Aggregate#MAX_VECTOR}). */
    public static final int MAX_CELLS = 1 << 24;

    /** The largest message a light node is ever sent (a {@code compute} without the invited list). */
    static final int LIGHT_SUM =
            ENVELOPE_BYTES + FIELDS_BYTES + TEXT_BYTES + SCHEMA_BYTES + QUERY_BYTES + PROPOSER_BYTES + 3 * ID_BYTES;
    /** The largest announcement a heavy node is sent (a {@code compute} naming 100 000 invited lights). */
    static final int HEAVY_SUM = LIGHT_SUM + Bodies.MAX_LIGHTS * ID_BYTES;
    /** The largest vector message a heavy node is sent (a replicated partial sum of {@link #MAX_CELLS} cells). */
    static final long VECTOR_SUM = partialBytes(MAX_CELLS);

    /** {@link #LIGHT_SUM} rounded up: a light node's transports accept nothing longer. */
    public static final int MAX_TO_LIGHT = 128 * 1024;
    /** The larger of {@link #HEAVY_SUM} and {@link #VECTOR_SUM}, rounded up: a heavy node's transports accept nothing longer. */
    public static final int MAX_TO_HEAVY = 349 * 1024 * 1024;

    static {
        if (LIGHT_SUM > MAX_TO_LIGHT || HEAVY_SUM > MAX_TO_HEAVY || VECTOR_SUM > MAX_TO_HEAVY) {
            throw new AssertionError(
                    "message bounds below their sums: " + LIGHT_SUM + ", " + HEAVY_SUM + ", " + VECTOR_SUM);
        }
    }

    /** Bytes of base64 text for {@code n} bytes. */
    static long base64(long n) {
        return 4 * ((n + 2) / 3);
    }

    /**
     * The largest encoded share ({@code ShareCodec} bytes, before base64) a heavy node accepts for a
     * computation whose answer has {@code cells} cells (1 for a computation without a query, where
     * elements are 32-bit: the bound is the same formula, looser).
     */
    public static long shareBytes(int cells) {
        return 256 + 8L * cells;
    }

    /** The largest {@code share} message for {@code cells} cells. */
    static long shareMessageBytes(int cells) {
        return ENVELOPE_BYTES + 32 + base64(shareBytes(cells));
    }

    /** The largest {@code partial} message for {@code cells} cells: two components, 100 000 contributors. */
    static long partialBytes(int cells) {
        return ENVELOPE_BYTES + 300 + (long) Bodies.MAX_LIGHTS * ID_BYTES + 2 * base64(64 + 8L * cells);
    }

    /**
     * Sealed messages are padded to a multiple of this many bytes, so a share and a decline (each
     * well under it) look alike on the wire.
     */
    public static final int SEAL_PAD_BYTES = 512;

    private MessageLimits() {}

    /**
     * The bound of a node's underlying transport when its messages are sealed: the protocol's
     * bound plus the sealing overhead ({@link io.formix.transport.seal.SealingTransport#MAX_OVERHEAD_BYTES})
     * and at most one pad block, so every legitimate message still fits once sealed.
     */
    public static int sealedMaxMessageBytes(boolean heavy) {
        return maxMessageBytes(heavy) + io.formix.transport.seal.SealingTransport.MAX_OVERHEAD_BYTES + SEAL_PAD_BYTES;
    }

    /** The bound for a node of that role. */
    public static int maxMessageBytes(boolean heavy) {
        return heavy ? MAX_TO_HEAVY : MAX_TO_LIGHT;
    }
}
