package io.formix.node;

import io.formix.transport.InMemoryNetwork;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory endpoints that signal arrivals as the file transport does (each send tells the
 * recipient's listener), so a host serves its light nodes with {@link SharedReceivers}.
 */
final class SignallingMemory implements TransportFactory {

    private final InMemoryNetwork memory;
    private final Map<PartyId, Runnable> listeners = new ConcurrentHashMap<>();

    SignallingMemory(InMemoryNetwork memory) {
        this.memory = memory;
    }

    @Override
    public Transport open(PartyId self) throws IOException {
        Transport inner = memory.open(self);
        return new Transport() {
            @Override
            public PartyId self() {
                return self;
            }

            @Override
            public void send(PartyId to, byte[] payload) throws IOException, InterruptedException {
                inner.send(to, payload);
                Runnable l = listeners.get(to);
                if (l != null) {
                    l.run();
                }
            }

            @Override
            public Optional<Message> receive(PartyId from, Duration timeout) throws IOException, InterruptedException {
                return inner.receive(from, timeout);
            }

            @Override
            public Optional<Message> receiveAny(Duration timeout) throws IOException, InterruptedException {
                return inner.receiveAny(timeout);
            }

            @Override
            public int maxMessageBytes() {
                return inner.maxMessageBytes();
            }

            @Override
            public boolean isDurable() {
                return inner.isDurable();
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Override
    public Arrivals arrivals(PartyId self, Transport opened) {
        return l -> {
            if (l == null) {
                listeners.remove(self);
            } else {
                listeners.put(self, l);
            }
        };
    }
}
