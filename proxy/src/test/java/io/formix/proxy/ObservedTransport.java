package io.formix.proxy;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a transport to count what the proxy takes and sends, and to stall its sends on demand. */
final class ObservedTransport implements Transport {
    private final Transport delegate;
    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger sendsStarted = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    ObservedTransport(Transport delegate) {
        this.delegate = delegate;
    }

    /** Makes every later send block until {@link #open()}. */
    void stall() {
        gate = new CountDownLatch(1);
    }

    void open() {
        gate.countDown();
    }

    @Override
    public PartyId self() {
        return delegate.self();
    }

    @Override
    public void send(PartyId to, byte[] payload) throws IOException, InterruptedException {
        sendsStarted.incrementAndGet();
        gate.await();
        delegate.send(to, payload);
    }

    @Override
    public Optional<Message> receive(PartyId from, Duration timeout) throws IOException, InterruptedException {
        Optional<Message> m = delegate.receive(from, timeout);
        m.ifPresent(x -> received.incrementAndGet());
        return m;
    }

    @Override
    public Optional<Message> receiveAny(Duration timeout) throws IOException, InterruptedException {
        Optional<Message> m = delegate.receiveAny(timeout);
        m.ifPresent(x -> received.incrementAndGet());
        return m;
    }

    @Override
    public int maxMessageBytes() {
        return delegate.maxMessageBytes();
    }

    @Override
    public boolean isDurable() {
        return delegate.isDurable();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
