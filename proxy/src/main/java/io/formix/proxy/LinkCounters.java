package io.formix.proxy;

import java.util.concurrent.atomic.AtomicLong;

/** The counters of one link since the proxy started, updated by its pumps and its session. Thread-safe. */
final class LinkCounters {
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /** A message of {@code bytes} went to channel {@code <pid>_to_<peer>}. */
    void sent(int bytes) {
        messagesOut.incrementAndGet();
        bytesOut.addAndGet(bytes);
    }

    /** A message of {@code bytes} from {@code <peer>_to_<pid>} was written whole to the application. */
    void written(int bytes) {
        messagesIn.incrementAndGet();
        bytesIn.addAndGet(bytes);
    }

    void connected() {
        connections.incrementAndGet();
    }

    void abandoned() {
        abandoned.incrementAndGet();
    }

    LinkStats snapshot(Link link, long refused, boolean connected) {
        return new LinkStats(
                link,
                messagesOut.get(),
                bytesOut.get(),
                messagesIn.get(),
                bytesIn.get(),
                connections.get(),
                refused,
                abandoned.get(),
                connected);
    }
}
