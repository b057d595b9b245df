package io.formix.bench.transport;

import io.formix.bench.Samples;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The two workloads every transport and floor runs: ping-pong round trips and one-way streams. */
final class Workloads {
    static final Duration WAIT = Duration.ofSeconds(60);

    private Workloads() {
    }

    /** One side of an exchange that can be a transport or a raw floor. */
    interface Endpoint {
        void send(byte[] payload) throws Exception;

        byte[] receive() throws Exception;
    }

    static Endpoint endpoint(Transport t, PartyId peer) {
        return new Endpoint() {
            @Override
            public void send(byte[] payload) throws IOException, InterruptedException {
                t.send(peer, payload);
            }

            @Override
            public byte[] receive() throws IOException, InterruptedException {
                return t.receive(peer, WAIT).orElseThrow(() -> new IOException("no reply within " + WAIT)).payload();
            }
        };
    }

    /** Round trips a → b → a; returns per-trip times after {@code warmup} unmeasured trips. */
    static Samples pingPong(Endpoint a, Endpoint b, int size, int warmup, int trips) throws Exception {
        ExecutorService echo = Executors.newSingleThreadExecutor();
        try {
            Future<?> echoer = echo.submit(() -> {
                for (int i = 0; i < warmup + trips; i++) {
                    b.send(b.receive());
                }
                return null;
            });
            byte[] payload = new byte[size];
            Samples samples = new Samples();
            for (int i = 0; i < warmup + trips; i++) {
                long t0 = System.nanoTime();
                a.send(payload);
                a.receive();
                long t1 = System.nanoTime();
                if (i >= warmup) {
                    samples.add(t1 - t0);
                }
            }
            echoer.get(60, TimeUnit.SECONDS);
            return samples;
        } finally {
            echo.shutdownNow();
        }
    }

    /** Streams {@code count} messages a → b with a concurrent reader; returns messages per second. */
    static double stream(Endpoint a, Endpoint b, int size, int count) throws Exception {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try {
            byte[] payload = new byte[size];
            long t0 = System.nanoTime();
            Future<?> r = reader.submit(() -> {
                for (int i = 0; i < count; i++) {
                    byte[] got = b.receive();
                    if (got.length != size) {
                        throw new IllegalStateException("got " + got.length + " bytes, sent " + size);
                    }
                }
                return null;
            });
            for (int i = 0; i < count; i++) {
                a.send(payload);
            }
            r.get(10, TimeUnit.MINUTES);
            long t1 = System.nanoTime();
            return count / ((t1 - t0) / 1e9);
        } finally {
            reader.shutdownNow();
        }
    }
}
