package io.formix.proxy;

import java.io.IOException;

/** The proxy could not listen on a port of its plan, typically because another process holds it. */
public class PortInUseException extends IOException {
    private final int port;

    public PortInUseException(int port, String message, Throwable cause) {
        super(message, cause);
        this.port = port;
    }

    /** The port that could not be bound. */
    public int port() {
        return port;
    }
}
