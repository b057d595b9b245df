package io.formix.proxy;

import io.formix.transport.Message;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one link keeps of its inbound direction across connections: the message in hand (taken from
 * channel {@code <peer>_to_<pid>} but not yet written whole to the application, so written first on
 * the next connection) and the link's {@link WrittenMark}, if the proxy has a state folder, which stops
 * a message written before a crash from being written again after it.
 *
 * <p>Used by one {@link ChannelToSocket} at a time (a connection's writer ends before the next starts)
 * and, once the writers ended, by the shutdown; {@link #message()} may be read from any thread.
 */
final class InHand {
    private static final Logger LOG = LoggerFactory.getLogger(InHand.class);

    private final String name;
    private final WrittenMark mark;
    private final LinkCounters counters;
    private WrittenMark.Mark recovered;
    private boolean markFailing;
    private volatile Message message;

    /**
     * @param mark this link's mark, or {@code null} for none (non-durable transports, tests)
     */
    InHand(Link link, WrittenMark mark, LinkCounters counters) {
        this.name = link.name();
        this.mark = mark;
        this.counters = counters;
        this.recovered = mark == null ? null : mark.recovered().orElse(null);
        if (recovered != null) {
            LOG.info(
                    "{}: the previous run wrote message {} from party {} to the application; if the channel"
                            + " delivers it again it is skipped",
                    name,
                    recovered.sequence(),
                    link.peer());
        }
    }

    /** The message in hand, or null. */
    Message message() {
        return message;
    }

    void hold(Message m) {
        message = m;
    }

    /**
     * Whether {@code m}, the first message taken since the start, is the one the previous run
     * wrote to the application just before it died (the transport delivers it again). Only the
     * first message can be; the question is answered once.
     */
    boolean writtenBeforeRestart(Message m) {
        WrittenMark.Mark r = recovered;
        if (r == null) {
            return false;
        }
        recovered = null;
        if (r.matches(m)) {
            LOG.info(
                    "{}: skipping message {} from party {}: the previous run wrote it to the application",
                    name,
                    m.sequence(),
                    m.from());
            return true;
        }
        LOG.debug(
                "{}: message {} is new (the previous run's last message {} was acknowledged)",
                name,
                m.sequence(),
                r.sequence());
        return false;
    }

    /** {@code m} was written whole to the application: it is no longer in hand, and it is marked. */
    void written(Message m) {
        message = null;
        counters.written(m.payload().length);
        if (mark != null) {
            try {
                mark.written(m);
                markFailing = false;
            } catch (IOException e) {
                markFailed(e);
            }
        }
    }

    /** A receive on this link's channel returned: the message written before is acknowledged. */
    void acknowledged() {
        if (mark != null) {
            try {
                mark.acknowledged();
            } catch (IOException e) {
                markFailed(e);
            }
        }
    }

    private void markFailed(IOException e) {
        if (!markFailing) {
            markFailing = true;
            LOG.warn(
                    "{}: cannot update {} ({}); if the proxy is killed, the message it wrote last may be"
                            + " written to the application again after the restart",
                    name,
                    mark.file(),
                    e.getMessage());
        }
    }

    /**
     * Releases the mark at shutdown. If the transport was closed (so it acknowledged everything
     * returned), the mark is cleared first; otherwise it stays for the next run.
     */
    void closeMark(boolean transportClosed) {
        if (mark == null) {
            return;
        }
        if (transportClosed) {
            acknowledged();
        }
        try {
            mark.close();
        } catch (IOException e) {
            LOG.debug("{}: closing {}: {}", name, mark.file(), e.getMessage());
        }
    }
}
