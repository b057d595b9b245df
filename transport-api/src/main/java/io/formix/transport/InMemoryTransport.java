package io.formix.transport;

import io.formix.transport.spi.SendArguments;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Transport} whose channels are bounded queues in one JVM, opened through an
 * {@link InMemoryNetwork}. Not durable: the queues die with the JVM. {@code send} copies the
 * payload and blocks while the receiver's queue for this sender is full.
 */
public final class InMemoryTransport implements Transport {

    private final InMemoryNetwork network;
    private final PartyId self;
    private final InMemoryNetwork.Mailbox inbox;
    private volatile boolean closed;

    InMemoryTransport(InMemoryNetwork network, PartyId self, InMemoryNetwork.Mailbox inbox) {
        this.network = network;
        this.self = self;
        this.inbox = inbox;
    }

    @Override
    public PartyId self() {
        return self;
    }

    @Override
    public void send(PartyId to, byte[] payload) throws TransportException, InterruptedException {
        SendArguments.check(self, to, payload, network.maxMessageBytes());
        checkOpen();
        network.mailbox(to).put(self, payload.clone(), this);
    }

    @Override
    public Optional<Message> receive(PartyId from, Duration timeout) throws TransportException, InterruptedException {
        Objects.requireNonNull(from, "from");
        return inbox.take(from, timeout.toNanos(), this);
    }

    @Override
    public Optional<Message> receiveAny(Duration timeout) throws TransportException, InterruptedException {
        return inbox.take(null, timeout.toNanos(), this);
    }

    @Override
    public int maxMessageBytes() {
        return network.maxMessageBytes();
    }

    @Override
    public boolean isDurable() {
        return false;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            network.closed(this);
            inbox.wakeAll();
        }
    }

    void checkOpen() throws TransportClosedException {
        if (closed) {
            throw new TransportClosedException("transport of " + self + " is closed");
        }
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + self + "]";
    }
}
