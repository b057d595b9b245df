package io.formix.bench.transport;

import io.formix.bench.Samples;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.tcp.TcpOptions;
import io.formix.transport.tcp.TcpTransport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** TCP rows: {@link TcpTransport} beside a bare loopback socket carrying the same frames. */
final class TcpBenchmarks {
    private static final PartyId A = PartyId.of("a");
    private static final PartyId B = PartyId.of("b");

    private TcpBenchmarks() {}

    static void run(Report report, boolean quick, int reps) throws Exception {
        int trips = quick ? 2_000 : 10_000;
        report.header("TCP round trip (ping-pong, 64-byte payload; " + reps + " alternating runs pooled), p50 / p99");
        Samples floor = new Samples();
        Samples figure = new Samples();
        try (RawSocketPair raw = new RawSocketPair();
                Pair p = new Pair()) {
            Workloads.Endpoint rl = raw.leftEnd();
            Workloads.Endpoint rr = raw.rightEnd();
            Workloads.Endpoint ta = Workloads.endpoint(p.a, B);
            Workloads.Endpoint tb = Workloads.endpoint(p.b, A);
            // Alternating runs, pooled: load on the shared machine hits figure and floor alike.
            for (int i = 0; i < reps; i++) {
                floor.addAll(Workloads.pingPong(rl, rr, 64, trips / 10, trips / reps));
                figure.addAll(Workloads.pingPong(ta, tb, 64, trips / 10, trips / reps));
            }
        }
        report.latency("TcpTransport p50", figure.percentile(50), floor.percentile(50), 0, 2.0);
        report.latency("TcpTransport p99", figure.percentile(99), floor.percentile(99), 0, 0);

        report.header("TCP throughput (one-way stream; medians of " + reps + " alternating runs)");
        for (int size : new int[] {64, 1 << 20}) {
            int count = size == 64 ? (quick ? 30_000 : 100_000) : (quick ? 200 : 500);
            Workloads.Paired p;
            try (RawSocketPair raw = new RawSocketPair();
                    Pair t = new Pair()) {
                Workloads.Endpoint rl = raw.leftEnd();
                Workloads.Endpoint rr = raw.rightEnd();
                Workloads.Endpoint ta = Workloads.endpoint(t.a, B);
                Workloads.Endpoint tb = Workloads.endpoint(t.b, A);
                Workloads.stream(rl, rr, size, count / 5);
                Workloads.stream(ta, tb, size, count / 5);
                p = Workloads.paired(
                        reps, () -> Workloads.stream(rl, rr, size, count), () -> Workloads.stream(ta, tb, size, count));
            }
            String label = size == 64 ? "64 B" : "1 MiB";
            report.higherIsBetter("TcpTransport " + label + " msg/s", p, "msg/s", 0.7);
        }
    }

    /** Two directory-mode transports on loopback that find each other through a map. */
    private static final class Pair implements AutoCloseable {
        final Transport a;
        final Transport b;

        Pair() throws Exception {
            Map<PartyId, InetSocketAddress> dir = new ConcurrentHashMap<>();
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            TcpOptions options = TcpOptions.defaults().withMaxMessageBytes(2 << 20);
            TcpTransport ta = TcpTransport.openDirectory(A, any, dir::get, options);
            TcpTransport tb = TcpTransport.openDirectory(B, any, dir::get, options);
            dir.put(A, new InetSocketAddress(InetAddress.getLoopbackAddress(), ta.localPort()));
            dir.put(B, new InetSocketAddress(InetAddress.getLoopbackAddress(), tb.localPort()));
            a = ta;
            b = tb;
        }

        @Override
        public void close() throws Exception {
            a.close();
            b.close();
        }
    }
}
