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

    private Workloads() {}

    /** One throughput measurement, in messages per second. */
    interface Rate {
        double measure() throws Exception;
    }

    /** Medians over alternating runs of a floor and a figure; the ratio is the median of per-run ratios. */
    record Paired(double figure, double floor, double ratio) {}

    /**
     * Runs floor and figure alternately {@code reps} times, so load on the shared machine hits
     * both alike, and returns the medians.
     */
    static Paired paired(int reps, Rate floor, Rate figure) throws Exception {
        double[] f = new double[reps];
        double[] g = new double[reps];
        double[] r = new double[reps];
        for (int i = 0; i < reps; i++) {
            f[i] = floor.measure();
            g[i] = figure.measure();
            r[i] = g[i] / f[i];
        }
        return new Paired(median(g), median(f), median(r));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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
                return t.receive(peer, WAIT)
                        .orElseThrow(() -> new IOException("no reply within " + WAIT))
                        .payload();
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
