package io.formix.protocol;

import java.util.Locale;

/** The message types of protocol version 1 (see {@code docs/protocol.md}). */
public enum MessageType {
    /** Heavy 1 → lights and heavies 2, 3: a new computation. */
    COMPUTE,
    /** Light → heavy i: share i of the light's answer. */
    SHARE,
    /** Light → each heavy: the light will not answer. */
    DECLINE,
    /** Heavy 2, 3 → heavy 1 at their close: the lights whose shares they hold. */
    RECEIVED,
    /** Heavy 1 → heavies 2, 3: the agreed final set; sum exactly these. */
    AGGREGATE,
    /** Heavy 2, 3 → heavy 1: partial sum over the final set. */
    PARTIAL,
    /** Heavy 1 → heavies 2, 3: the computation failed; stop. */
    ABORT,
    /** Any admitted node → heavy 1: a computation proposed on a host that does not run heavy node 1. */
    PROPOSE,
    /** Heavy 1 → nodes of other hosts (heavies 2, 3, invited lights, the proposer): how it ended. */
    RESULT;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MessageType fromWire(String s) throws ProtocolException {
        for (MessageType t : values()) {
            if (t.wire().equals(s)) {
                return t;
            }
        }
        throw new ProtocolException("unknown message type '" + Envelope.clip(s) + "'");
    }
}
