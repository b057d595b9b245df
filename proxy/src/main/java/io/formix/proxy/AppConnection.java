package io.formix.proxy;

import java.io.IOException;
import java.net.Socket;

/**
 * One TCP connection with the application; closing it ends both pumps. Its probation is null when
 * the connection is trusted at once (the {@link PeerGuard} is off). Thread-safe.
 */
final class AppConnection {
    private final Socket socket;
    private final Probation probation;
    private volatile boolean alive = true;

    AppConnection(Socket socket, Probation probation) {
        this.socket = socket;
        this.probation = probation;
    }

    boolean alive() {
        return alive;
    }

    Probation probation() {
        return probation;
    }

    /** Closes the connection because it stayed unread on probation ({@link Probation.Verdict#ABANDON}). */
    void abandon() {
        if (probation != null) {
            probation.abandon();
        }
        close();
    }

    void close() {
        alive = false;
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        if (probation != null) {
            probation.release();
        }
    }
}
