package io.formix.proxy;

import java.io.IOException;
import java.net.Socket;

/**
 * Makes the TCP connections between the proxy and its local application for one link, one at a
 * time: either by accepting on a bound port or by connecting with backoff. Connecting is separate
 * from moving bytes (see {@link LinkRunner}).
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
}
