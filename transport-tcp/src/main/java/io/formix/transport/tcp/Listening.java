package io.formix.transport.tcp;

import java.io.IOException;
import java.net.ServerSocket;

/** Closing a listening socket so that its port is really free when the call returns. */
final class Listening {

    private static final long ACCEPTOR_EXIT_MS = 2_000;

    private Listening() {
    }

    /**
     * Closes {@code server} and waits (bounded) for {@code acceptor} to leave {@code accept()}: the
     * JDK releases the port only when the thread blocked in {@code accept()} has woken, and a
     * restarted party rebinding the same port at once would otherwise fail.
     */
    static void closeAndAwait(ServerSocket server, Thread acceptor) {
        try {
            server.close();
        } catch (IOException e) {
            // nothing left to release
        }
        if (acceptor != null && acceptor != Thread.currentThread()) {
            try {
                acceptor.join(ACCEPTOR_EXIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
