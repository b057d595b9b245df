package io.formix.proxy;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.TransportClosedException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes messages from channel {@code <peer>_to_<pid>} and writes them to one connection with the
 * application: as a frame (header and payload, exactly the {@code .msg} bytes) or, in raw mode, as
 * the payload alone.
 *
 * <p>It calls {@code receive(peer)} on its own channel only, and only after the previous message
 * was written whole; that receive acknowledges the previous message (the transport acknowledges
 * per channel, so links never acknowledge each other's messages). So a message leaves the folder
 * only after it was written to the socket, and a stalled application stops the taking: messages
 * wait on disk, not in memory. A message whose write fails stays in hand
 * ({@link LinkRunner#pending()}) and is written first on the next connection. Between a write and
 * the acknowledgement the message is marked ({@link WrittenMark}), so a proxy killed in between
 * does not write it again after its restart.
 */
final class ChannelToSocket implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelToSocket.class);

    private final LinkRunner runner;
    private final OutputStream out;
    private final LinkRunner.Connection connection;

    ChannelToSocket(LinkRunner runner, LinkRunner.Connection connection, OutputStream out) {
        this.runner = runner;
        this.connection = connection;
        this.out = out;
    }

    @Override
    public void run() {
        boolean complained = false;
        // Right after a write, the first receive does not wait: it acknowledges the message at
        // once, so its mark is cleared at once, not after an idle poll.
        boolean justWrote = false;
        try {
            while (!runner.stopping() && connection.alive()) {
                Message m = runner.pending();
                if (m == null) {
                    Optional<Message> next;
                    try {
                        Duration wait = justWrote ? Duration.ZERO : runner.config().poll();
                        justWrote = false;
                        next = runner.transport().receive(runner.peerId(), wait);
                        complained = false;
                    } catch (CorruptMessageException e) {
                        runner.acknowledged(); // the receive acknowledged the previous message first
                        LOG.warn("{}: {}; it was set aside by the file transport and is not forwarded",
                                runner.link().name(), e.getMessage());
                        continue;
                    } catch (TransportClosedException e) {
                        return;
                    } catch (IOException e) {
                        if (!complained) {
                            LOG.error("{}: cannot read channel {}_to_{} ({}); retrying", runner.link().name(),
                                    runner.peerId(), runner.link().pid(), e.getMessage());
                            complained = true;
                        }
                        runner.awaitStop(runner.config().poll().toNanos());
                        continue;
                    }
                    runner.acknowledged();
                    if (next.isEmpty()) {
                        continue;
                    }
                    if (runner.writtenBeforeRestart(next.get())) {
                        justWrote = true; // as if written: acknowledge it at once
                        continue;
                    }
                    m = next.get();
                    runner.hold(m);
                }
                try {
                    write(m.payload());
                } catch (IOException e) {
                    if (!runner.stopping()) {
                        LOG.info("{}: writing to the application failed ({}); message {} from party {} is kept"
                                + " and written first on the next connection", runner.link().name(), e.getMessage(),
                                m.sequence(), m.from());
                    }
                    connection.close();
                    return;
                }
                runner.written(m);
                justWrote = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(byte[] payload) throws IOException {
        if (runner.config().framing() == Framing.LENGTH_PREFIXED) {
            out.write(FrameCodec.header(payload.length));
        }
        out.write(payload);
        out.flush();
    }
}
