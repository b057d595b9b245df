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
 * @param refused connections refused because another user owns their other end
 * @param abandoned connections closed because they read nothing of what was written to them while
 *     another connection waited
 * @param connected whether an application is connected now
 */
public record LinkStats(
        Link link,
        long messagesOut,
        long bytesOut,
        long messagesIn,
        long bytesIn,
        long connections,
        long refused,
        long abandoned,
        boolean connected) {

    /** One line for logs and the demo: {@code 0->1: 12 msgs (3456 B), 1->0: 12 msgs (3456 B)}. */
    public String summary() {
        return link.pid() + "->" + link.peer() + ": " + messagesOut + " msgs (" + bytesOut + " B), "
                + link.peer() + "->" + link.pid() + ": " + messagesIn + " msgs (" + bytesIn + " B)"
                + (refused > 0 ? ", " + refused + " refused" : "")
                + (abandoned > 0 ? ", " + abandoned + " closed unread" : "")
                + (connected ? "" : ", app not connected");
    }
}
