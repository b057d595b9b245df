package io.formix.proxy;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.TransportClosedException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes messages from channel {@code <peer>_to_<pid>} and writes them to one connection with the
 * application: as a frame (header and payload, exactly the {@code .msg} bytes) or, in raw mode, as
 * the payload alone.
 *
 * <p>It takes the next message only after the previous one was written whole, so a stalled
 * application stops the taking and messages wait on disk, not in memory. A message whose write
 * fails stays in hand ({@link LinkRunner#pending()}) and is written first on the next connection.
 * Messages are taken through the proxy's {@link InboundGate}, which keeps a message safe until it
 * is written even when taking another one acknowledges it to the transport.
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
        try {
            while (!runner.stopping() && connection.alive()) {
                Message m = runner.pending();
                if (m == null) {
                    Optional<Message> next;
                    try {
                        next = runner.gate().take(runner.peerId());
                        complained = false;
                    } catch (CorruptMessageException e) {
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
                    if (next.isEmpty()) {
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
                try {
                    runner.gate().written(m);
                } catch (IOException e) {
                    LOG.warn("{}: could not remove the in-hand copy of message {} ({}); it may be written again"
                            + " after a restart", runner.link().name(), m.sequence(), e.getMessage());
                }
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
