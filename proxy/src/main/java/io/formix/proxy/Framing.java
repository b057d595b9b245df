package io.formix.proxy;

/**
 * How the proxy cuts the application's TCP byte stream into file messages.
 */
public enum Framing {
    /**
     * sbproxy's mode (the default): the stream is a sequence of frames {@code [8-byte LE length]
     * [payload]}; each frame becomes one message, so the {@code .msg} file holds exactly the frame
     * bytes, and each incoming message is written back to the socket as the same frame.
     */
    LENGTH_PREFIXED("length-prefixed"),
    /**
     * Any byte stream: what the socket delivers is coalesced into chunks of at most the configured
     * chunk size, each chunk one message; the far side writes the payloads back in order, so the
     * stream is reproduced byte for byte (chunk boundaries carry no meaning).
     */
    RAW("raw");

    private final String cliName;

    Framing(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line. */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a command-line name ({@code length-prefixed} or {@code raw}).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Framing parse(String name) {
        for (Framing f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown framing '" + name + "': use length-prefixed or raw");
    }

    @Override
    public String toString() {
        return cliName;
    }
}
