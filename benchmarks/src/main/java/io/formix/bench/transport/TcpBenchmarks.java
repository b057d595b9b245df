package io.formix.bench.transport;

import io.formix.bench.Samples;

/** TCP rows: the transport beside a bare loopback socket carrying the same frames. */
final class TcpBenchmarks {
    private TcpBenchmarks() {
    }

    static void run(Report report, boolean quick) throws Exception {
        int trips = quick ? 2_000 : 10_000;
        report.header("TCP round trip (ping-pong, 64-byte payload) and throughput");
        Samples floor;
        try (RawSocketPair raw = new RawSocketPair()) {
            floor = Workloads.pingPong(raw.leftEnd(), raw.rightEnd(), 64, trips / 5, trips);
        }
        report.latency("bare socket p50", floor.percentile(50), floor.percentile(50), 0, 0);
        report.latency("bare socket p99", floor.percentile(99), floor.percentile(99), 0, 0);
    }
}
