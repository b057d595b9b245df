package io.formix.proxy;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
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
 * ({@link InHand}) and is written first on the next connection. Between a write and
 * the acknowledgement the message is marked ({@link WrittenMark}), so a proxy killed in between
 * does not write it again after its restart.
 *
 * <p>On a connection still on {@link Probation}, a message counts as written only once the
 * connection is proven (the application read a byte of it, or sent one): until then it stays in
 * hand, unmarked, and no receive acknowledges it; if the connection ends or is abandoned first, it
 * is written first on the next connection. There the message is written in slices, each one
 * counted once the kernel took it, so that a probe can tell what the peer read. A message of no
 * bytes (an empty raw chunk) carries nothing and counts as written at once. Once proven, the
 * connection takes the plain path: one write per message, no probes.
 */
final class ChannelToSocket implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelToSocket.class);
    /** On probation, the kernel's progress is counted per slice of this many bytes. */
    private static final int SLICE = 64 * 1024;
    /** The first wait between two probes; it doubles up to the poll interval. */
    private static final long FIRST_PROBE_NANOS = 1_000_000;

    private final String name;
    private final int pid;
    private final PartyId peer;
    private final ProxyConfig config;
    private final Transport transport;
    private final AppConnection connection;
    private final OutputStream out;
    private final StopSignal stop;
    private final InHand inHand;

    /**
     * @param link the link whose inbound channel {@code <peer>_to_<pid>} is read
     * @param config framing and the poll interval
     * @param transport the proxy's transport, speaking for {@code link.pid()}
     * @param connection the connection {@code out} belongs to (probation, abandoning, closing)
     * @param out the connection's (buffered) output stream
     * @param stop the link's stop request
     * @param inHand the link's message in hand and written mark, which outlive the connection
     */
    ChannelToSocket(
            Link link,
            ProxyConfig config,
            Transport transport,
            AppConnection connection,
            OutputStream out,
            StopSignal stop,
            InHand inHand) {
        this.name = link.name();
        this.pid = link.pid();
        this.peer = PartyId.ofPid(link.peer());
        this.config = config;
        this.transport = transport;
        this.connection = connection;
        this.out = out;
        this.stop = stop;
        this.inHand = inHand;
    }

    @Override
    public void run() {
        boolean complained = false;
        // Right after a write, the first receive does not wait: it acknowledges the message at
        // once, so its mark is cleared at once, not after an idle poll.
        boolean justWrote = false;
        try {
            while (!stop.stopping() && connection.alive()) {
                Message m = inHand.message();
                if (m == null) {
                    Optional<Message> next;
                    try {
                        Duration wait = justWrote ? Duration.ZERO : config.poll();
                        justWrote = false;
                        next = transport.receive(peer, wait);
                        complained = false;
                    } catch (CorruptMessageException e) {
                        inHand.acknowledged(); // the receive acknowledged the previous message first
                        LOG.warn(
                                "{}: {}; it was set aside by the file transport and is not forwarded",
                                name,
                                e.getMessage());
                        continue;
                    } catch (TransportClosedException e) {
                        return;
                    } catch (IOException e) {
                        if (!complained) {
                            LOG.error(
                                    "{}: cannot read channel {}_to_{} ({}); retrying", name, peer, pid, e.getMessage());
                            complained = true;
                        }
                        stop.await(config.poll().toNanos());
                        continue;
                    }
                    inHand.acknowledged();
                    if (next.isEmpty()) {
                        continue;
                    }
                    if (inHand.writtenBeforeRestart(next.get())) {
                        justWrote = true; // as if written: acknowledge it at once
                        continue;
                    }
                    m = next.get();
                    inHand.hold(m);
                }
                Probation probation = connection.probation();
                try {
                    if (probation == null || probation.proven()) {
                        write(m.payload());
                    } else {
                        writeOnProbation(m.payload(), probation);
                    }
                } catch (IOException e) {
                    if (!stop.stopping() && !(probation != null && probation.abandoned())) {
                        LOG.info(
                                "{}: writing to the application failed ({}); message {} from party {} is kept"
                                        + " and written first on the next connection",
                                name,
                                e.getMessage(),
                                m.sequence(),
                                m.from());
                    }
                    connection.close();
                    return;
                }
                if (probation != null && probation.handed() > 0 && !awaitProof(probation)) {
                    // Not read: m stays in hand, unacknowledged, for the next connection.
                    connection.close();
                    return;
                }
                inHand.written(m);
                justWrote = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(byte[] payload) throws IOException {
        if (config.framing() == Framing.LENGTH_PREFIXED) {
            out.write(FrameCodec.header(payload.length));
        }
        out.write(payload);
        out.flush();
    }

    /** {@link #write} in slices, telling {@code probation} after each how many bytes the kernel took. */
    private void writeOnProbation(byte[] payload, Probation probation) throws IOException {
        probation.startWrite();
        try {
            if (config.framing() == Framing.LENGTH_PREFIXED) {
                out.write(FrameCodec.header(payload.length));
                out.flush();
                probation.handed(FrameCodec.HEADER_BYTES);
            }
            for (int off = 0; off < payload.length; off += SLICE) {
                int n = Math.min(SLICE, payload.length - off);
                out.write(payload, off, n);
                out.flush();
                probation.handed(n);
            }
        } finally {
            probation.endWrite();
        }
    }

    /**
     * Waits until the connection on probation is proven, probing the socket table at growing
     * intervals (1 ms doubling to the poll interval). Abandons the connection when the probe says
     * so. While the proxy stops, it keeps waiting until the grace period is over.
     *
     * @return true if proven; false if the connection ended, was abandoned, or the grace ran out
     */
    private boolean awaitProof(Probation probation) throws InterruptedException {
        long wait = FIRST_PROBE_NANOS;
        long most = Math.max(FIRST_PROBE_NANOS, config.poll().toNanos());
        while (true) {
            if (probation.proven()) {
                return true;
            }
            if (!connection.alive() || stop.pastGrace()) {
                return probation.proven();
            }
            Probation.Verdict v = probation.probe(!stop.stopping());
            if (v == Probation.Verdict.PROVEN) {
                return true;
            }
            if (v == Probation.Verdict.ABANDON) {
                connection.abandon();
                return false;
            }
            if (probation.await(wait)) {
                return true;
            }
            wait = Math.min(wait * 2, most);
        }
    }
}
