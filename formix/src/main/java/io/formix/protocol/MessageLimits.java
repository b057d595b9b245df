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
 *  compute body: keys and punctuation ≤ 128, threshold/deadline/graceMs ≤ 6 + 19 + 7 = 32,
 *            TEXT + SCHEMA + heavy 3 × ID + invited (n × ID)
 *  received body: keys ≤ 32, late ≤ 10 digits, lights n × ID
 *
 *  to a light node (only compute, invited empty):
 *    1 024 + 128 + 32 + 24 576 + 128 + 3 × 66                        = 26 086 → LIGHT = 32 KiB
 *  to a heavy node (largest: compute with 100 000 invited, or received/aggregate with 100 000 lights):
 *    1 024 + 128 + 32 + 24 576 + 128 + 3 × 66 + 100 000 × 66         = 6 626 086 → HEAVY = 7 MiB
 * </pre>
 * Both constants are the computed sums rounded up ({@code MessageLimitsTest} encodes the largest
 * legitimate messages and checks they fit).
 */
public final class MessageLimits {

    static final int BYTES_PER_CHAR = 6;
    static final int ENVELOPE_BYTES = 1_024;
    static final int ID_BYTES = 63 + 3;
    static final int TEXT_BYTES = Bodies.MAX_TEXT * BYTES_PER_CHAR;
    static final int SCHEMA_BYTES = 128;
    static final int FIELDS_BYTES = 128 + 32;

    /** The largest message a light node is ever sent (a {@code compute} without the invited list). */
    static final int LIGHT_SUM = ENVELOPE_BYTES + FIELDS_BYTES + TEXT_BYTES + SCHEMA_BYTES + 3 * ID_BYTES;
    /** The largest message a heavy node is ever sent (a {@code compute} naming 100 000 invited lights). */
    static final int HEAVY_SUM = LIGHT_SUM + Bodies.MAX_LIGHTS * ID_BYTES;

    /** {@link #LIGHT_SUM} rounded up: a light node's transports accept nothing longer. */
    public static final int MAX_TO_LIGHT = 32 * 1024;
    /** {@link #HEAVY_SUM} rounded up: a heavy node's transports accept nothing longer. */
    public static final int MAX_TO_HEAVY = 7 * 1024 * 1024;

    static {
        if (LIGHT_SUM > MAX_TO_LIGHT || HEAVY_SUM > MAX_TO_HEAVY) {
            throw new AssertionError("message bounds below their sums: " + LIGHT_SUM + ", " + HEAVY_SUM);
        }
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
