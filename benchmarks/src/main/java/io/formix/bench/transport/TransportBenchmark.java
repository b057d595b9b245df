package io.formix.bench.transport;

import io.formix.bench.Samples;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Benchmarks the transports against raw floors measured in the same run.
 *
 * <pre>
 * java ... io.formix.bench.transport.TransportBenchmark [--quick] [--tcp-only] [--tmpfs DIR] [--disk DIR]
 * </pre>
 *
 * Exit code 0 when every target was met, 1 when one was missed (the report says which).
 */
public final class TransportBenchmark {

    private static final PartyId A = PartyId.of("a");
    private static final PartyId B = PartyId.of("b");
    private static final long ONE_MS = 1_000_000;

    private final boolean quick;
    private final boolean tcpOnly;
    private final Path tmpfs;
    private final Path disk;
    private final Report report = new Report();

    private TransportBenchmark(boolean quick, boolean tcpOnly, Path tmpfs, Path disk) {
        this.quick = quick;
        this.tcpOnly = tcpOnly;
        this.tmpfs = tmpfs;
        this.disk = disk;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean tcpOnly = false;
        Path tmpfs = Path.of("/dev/shm/formix-bench-" + ProcessHandle.current().pid());
        Path disk = Path.of("sandbox/bench-disk-" + ProcessHandle.current().pid());
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--tcp-only" -> tcpOnly = true;
                case "--tmpfs" -> tmpfs = Path.of(args[++i]);
                case "--disk" -> disk = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: TransportBenchmark [--quick] [--tcp-only] [--tmpfs DIR] [--disk DIR]");
                    System.exit(2);
                }
            }
        }
        TransportBenchmark bench = new TransportBenchmark(quick, tcpOnly, tmpfs, disk);
        try {
            bench.run();
        } finally {
            deleteTree(tmpfs);
            deleteTree(disk);
        }
        System.out.println();
        System.out.println(
                bench.report.misses() == 0 ? "all targets met" : bench.report.misses() + " target(s) missed");
        System.exit(bench.report.misses() == 0 ? 0 : 1);
    }

    private void run() throws Exception {
        System.out.printf(
                Locale.ROOT,
                "cores=%d java=%s quick=%s tmpfs=%s disk=%s%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                quick,
                tmpfs,
                disk);
        if (tcpOnly) {
            TcpBenchmarks.run(report, quick, reps());
            return;
        }
        idleReceiver(); // first, while the JVM has no warm-up work left over to skew its CPU time
        fileRoundTrips();
        fileThroughput();
        TcpBenchmarks.run(report, quick, reps());
    }

    /** Alternating floor/figure runs per throughput row; the report shows medians. */
    private int reps() {
        return quick ? 3 : 7;
    }

    private int trips() {
        return quick ? 500 : 3000;
    }

    private void fileRoundTrips() throws Exception {
        report.header("file round trip (ping-pong, 64-byte payload), p50 / p99");
        for (Path root : new Path[] {tmpfs, disk}) {
            String where = root == tmpfs ? "tmpfs" : "disk";
            Samples floor = rawPingPong(root.resolve("raw-rtt"), 64);
            for (boolean durable : new boolean[] {false, true}) {
                int trips = durable && root == disk ? trips() / 5 : trips();
                Samples s;
                Path dir = root.resolve("rtt-" + durable);
                try (Transport a = open(dir, A, durable);
                        Transport b = open(dir, B, durable)) {
                    s = Workloads.pingPong(Workloads.endpoint(a, B), Workloads.endpoint(b, A), 64, trips / 5, trips);
                }
                String name = "FileTransport " + where + (durable ? " durable" : "");
                long max = root == tmpfs && !durable ? ONE_MS : 0;
                report.latency(name + " p50", s.percentile(50), floor.percentile(50), max, 0);
                report.latency(name + " p99", s.percentile(99), floor.percentile(99), 0, 0);
            }
        }
    }

    /**
     * The floor of a file round trip: one thread writes a message a→b, reads and deletes it,
     * writes the reply b→a, reads and deletes it. The syscalls of a round trip with no waiting
     * and no scheduling (a busy-spinning two-thread floor is meaningless on a loaded 2-core box).
     */
    private Samples rawPingPong(Path dir, int size) throws Exception {
        RawFileChannel ab = new RawFileChannel(dir.resolve("a_to_b"));
        RawFileChannel ba = new RawFileChannel(dir.resolve("b_to_a"));
        byte[] payload = new byte[size];
        Samples samples = new Samples();
        for (int i = 0; i < trips() + trips() / 5; i++) {
            long t0 = System.nanoTime();
            ab.write(payload);
            ba.write(ab.read());
            ba.read();
            if (i >= trips() / 5) {
                samples.add(System.nanoTime() - t0);
            }
        }
        return samples;
    }

    /**
     * The floor of a stream: a writer thread runs the bare write/rename/create loop while a reader
     * thread polls and runs the read/delete loop, the same two-thread shape as the transport (so a
     * backlog on a journaled disk costs both alike).
     */
    private static double rawStream(RawFileChannel ch, int size, int count) throws Exception {
        Workloads.Endpoint writer = new Workloads.Endpoint() {
            @Override
            public void send(byte[] payload) throws IOException {
                ch.write(payload);
            }

            @Override
            public byte[] receive() {
                throw new IllegalStateException("writer only");
            }
        };
        Workloads.Endpoint reader = new Workloads.Endpoint() {
            @Override
            public void send(byte[] payload) {
                throw new IllegalStateException("reader only");
            }

            @Override
            public byte[] receive() throws IOException {
                return ch.read();
            }
        };
        return Workloads.stream(writer, reader, size, count);
    }

    private void fileThroughput() throws Exception {
        report.header("file throughput (one-way stream; medians of " + reps() + " alternating runs)");
        for (Path root : new Path[] {tmpfs, disk}) {
            String where = root == tmpfs ? "tmpfs" : "disk";
            for (int size : new int[] {64, 1 << 20}) {
                int count = size == 64 ? (quick ? 3_000 : 10_000) : (quick ? 60 : 200);
                RawFileChannel raw = new RawFileChannel(root.resolve("raw-tp-" + size));
                Path dir = root.resolve("tp-" + size);
                Workloads.Paired p;
                try (Transport a = open(dir, A, false);
                        Transport b = open(dir, B, false)) {
                    Workloads.Endpoint ea = Workloads.endpoint(a, B);
                    Workloads.Endpoint eb = Workloads.endpoint(b, A);
                    rawStream(raw, size, count / 5);
                    Workloads.stream(ea, eb, size, count / 5);
                    p = Workloads.paired(
                            reps(), () -> rawStream(raw, size, count), () -> Workloads.stream(ea, eb, size, count));
                }
                String label = size == 64 ? "64 B" : "1 MiB";
                double min = size == 64 ? 0.5 : 0.7;
                report.higherIsBetter("FileTransport " + where + " " + label + " msg/s", p, "msg/s", min);
            }
        }
    }

    private void idleReceiver() throws Exception {
        int channels = 1000;
        Duration window = Duration.ofSeconds(quick ? 5 : 10);
        report.header(
                "idle receiver watching " + channels + " inbound channels, CPU over " + window.toSeconds() + " s");
        Path root = tmpfs.resolve("idle");
        for (int i = 0; i < channels; i++) {
            Files.createDirectories(root.resolve("p" + i + "_to_rx"));
        }
        double floor = cpuPercentWhile(window, () -> {});
        double figure;
        try (Transport rx = open(root, PartyId.of("rx"), false)) {
            Thread receiver = new Thread(
                    () -> {
                        try {
                            rx.receiveAny(Duration.ofHours(1));
                        } catch (Exception closed) {
                            // close() wakes it at the end of the window
                        }
                    },
                    "idle-receiver");
            receiver.start();
            // Let the first scan of every channel (and its JIT) finish: the target is about idling.
            Thread.sleep(3_000);
            figure = cpuPercentWhile(window, () -> {});
            rx.close();
            receiver.join(10_000);
        }
        double added = figure - floor;
        report.plain(
                "idle receiver: JVM CPU, % of one core",
                String.format(Locale.ROOT, "%.2f %%", figure),
                String.format(Locale.ROOT, "%.2f %%", floor),
                null,
                true);
        report.plain(
                "idle receiver: its own cost (figure - floor)",
                String.format(Locale.ROOT, "%.2f %%", added),
                "",
                "<= 2 % of one core",
                added <= 2.0);
    }

    /** The JVM's CPU time over {@code window} as a percentage of one core. */
    private static double cpuPercentWhile(Duration window, Runnable r) throws InterruptedException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        r.run();
        Thread.sleep(window.toMillis()); // measuring idleness: the benchmark must do nothing
        long cpu1 = os.getProcessCpuTime();
        long t1 = System.nanoTime();
        return 100.0 * (cpu1 - cpu0) / (t1 - t0);
    }

    private static Transport open(Path root, PartyId self, boolean durable) throws IOException {
        return FileTransport.builder(root, self).durable(durable).open();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
