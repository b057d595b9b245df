package io.formix.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * Makes the TCP connections between the proxy and its local application for one link, one at a
 * time: either by accepting on a bound port or by connecting with backoff. Connecting is separate
 * from moving bytes (see {@link LinkSession}). A connection whose other end belongs to another user
 * is refused (closed, one log line) and never returned ({@link PeerGuard#refusal}).
 */
interface AppConnector {

    /**
     * Waits for the next connection with the application.
     *
     * @return a connected socket, or {@code null} once {@link #stop()} was called
     * @throws IOException only for failures that retrying cannot fix
     */
    Socket next() throws IOException, InterruptedException;

    /** Makes a blocked or later {@link #next()} return {@code null}, and releases the port. Idempotent. */
    void stop();

    /** Connections refused so far because another user owns their other end ({@link PeerGuard#refusal}). */
    long refused();

    /**
     * Whether, in {@code table}, another connection than the one from {@code current} waits to
     * be taken that would be admitted (its other end is a live socket of an allowed user). A
     * connector that dials its application never has one waiting.
     */
    default boolean othersWaiting(List<SocketTable.Entry> table, InetSocketAddress current) {
        return false;
    }
}
