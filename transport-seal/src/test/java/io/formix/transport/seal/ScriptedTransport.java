package io.formix.transport.seal;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A transport whose incoming messages the test scripts exactly (sender, sequence, bytes), so a
 * redelivery with the same sequence can be staged; it records what is sent. Never blocks.
 */
final class ScriptedTransport implements Transport {

    final PartyId self;
    final ArrayDeque<Message> incoming = new ArrayDeque<>();
    final List<byte[]> sent = new ArrayList<>();
    private boolean closed;

    ScriptedTransport(PartyId self) {
        this.self = self;
    }

    synchronized void deliver(PartyId from, long sequence, byte[] payload) {
        incoming.add(new Message(from, sequence, payload));
    }

    @Override
    public PartyId self() {
        return self;
    }

    @Override
    public synchronized void send(PartyId to, byte[] payload) {
        sent.add(payload.clone());
    }

    @Override
    public synchronized Optional<Message> receive(PartyId from, Duration timeout) throws TransportClosedException {
        if (closed) {
            throw new TransportClosedException("closed");
        }
        for (Message m : incoming) {
            if (m.from().equals(from)) {
                incoming.remove(m);
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Message> receiveAny(Duration timeout) throws TransportClosedException {
        if (closed) {
            throw new TransportClosedException("closed");
        }
        return Optional.ofNullable(incoming.poll());
    }

    @Override
    public int maxMessageBytes() {
        return 1 << 20;
    }

    @Override
    public boolean isDurable() {
        return true;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
