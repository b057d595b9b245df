package io.formix.mpc;

/** The two rings of this package, by bit width: names for messages, and the checks that refuse the other one. */
final class Rings {

    private Rings() {}

    /** {@code "Z/2^32"} or {@code "Z/2^64"}. */
    static String name(int ringBits) {
        return "Z/2^" + ringBits;
    }

    /** {@code ringBits} if it is 32 or 64. */
    static int check(int ringBits) {
        if (ringBits != 32 && ringBits != 64) {
            throw new IllegalArgumentException("a ring is Z/2^32 or Z/2^64 (ringBits 32 or 64), got " + ringBits);
        }
        return ringBits;
    }

    /** Throws {@link IllegalStateException} unless {@code actual == required}; {@code what} names the thing and the call. */
    static void require(int actual, int required, String what) {
        if (actual != required) {
            throw new IllegalStateException(what + " is over " + name(actual) + ", not " + name(required) + ": use the "
                    + (actual == 64 ? "long" : "int") + " methods");
        }
    }
}
