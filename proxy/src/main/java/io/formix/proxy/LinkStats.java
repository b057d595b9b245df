package io.formix.proxy;

/**
 * Counters of one link since the proxy started.
 *
 * @param link the link
 * @param messagesOut messages written to channel {@code <pid>_to_<peer>} (frames or chunks read from the socket)
 * @param bytesOut payload bytes of those messages
 * @param messagesIn messages taken from {@code <peer>_to_<pid>} and written to the socket
 * @param bytesIn payload bytes of those messages
 * @param connections application connections accepted or made so far
 * @param connected whether an application is connected now
 */
public record LinkStats(Link link, long messagesOut, long bytesOut, long messagesIn, long bytesIn,
        long connections, boolean connected) {

    /** One line for logs and the demo: {@code 0->1: 12 msgs (3456 B), 1->0: 12 msgs (3456 B)}. */
    public String summary() {
        return link.pid() + "->" + link.peer() + ": " + messagesOut + " msgs (" + bytesOut + " B), "
                + link.peer() + "->" + link.pid() + ": " + messagesIn + " msgs (" + bytesIn + " B)"
                + (connected ? "" : ", app not connected");
    }
}
