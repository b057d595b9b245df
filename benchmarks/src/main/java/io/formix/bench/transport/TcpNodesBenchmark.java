package io.formix.bench.transport;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.tcp.TcpOptions;
import io.formix.transport.tcp.TcpTransport;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Many TCP nodes in one JVM, as on a Formix host: {@code n} light {@link TcpTransport}s (directory
 * mode, loopback) each exchange one 64-byte message each way with 3 heavy ones, so every light node
 * holds 6 connections (3 out, 3 in) and every heavy node {@code 2n}. Reported while every
 * connection is still open: the JVM's threads (all, and those of the transport), peak resident
 * memory ({@code VmHWM} of {@code /proc/self/status}), heap used after a full GC, and the wall time
 * of opening and of the exchange. The benchmark's own threads are a fixed pool of 8 plus one per
 * heavy node, whatever {@code n}.
 *
 * <pre>
 * java ... io.formix.bench.transport.TcpNodesBenchmark [N]   (default 1000)
 * </pre>
 */
public final class TcpNodesBenchmark {

    private static final int HEAVY = 3;
    private static final Duration WAIT = Duration.ofSeconds(120);

    private TcpNodesBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        System.out.printf(
                Locale.ROOT,
                "cores=%d java=%s maxHeap=%d MiB light=%d heavy=%d%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20,
                n,
                HEAVY);
        Map<PartyId, InetSocketAddress> dir = new ConcurrentHashMap<>();
        InetAddress lo = InetAddress.getLoopbackAddress();
        InetSocketAddress any = new InetSocketAddress(lo, 0);
        TcpOptions options = TcpOptions.defaults().withMaxInboundConnections(n + 16);
        List<TcpTransport> heavy = new ArrayList<>();
        List<TcpTransport> light = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ExecutorService heavyPool = Executors.newFixedThreadPool(HEAVY);
        long t0 = System.nanoTime();
        try {
            for (int h = 1; h <= HEAVY; h++) {
                TcpTransport t = TcpTransport.openDirectory(PartyId.of("heavy-" + h), any, dir::get, options);
                dir.put(t.self(), new InetSocketAddress(lo, t.localPort()));
                heavy.add(t);
            }
            for (int i = 1; i <= n; i++) {
                TcpTransport t = TcpTransport.openDirectory(PartyId.of("light-" + i), any, dir::get, options);
                dir.put(t.self(), new InetSocketAddress(lo, t.localPort()));
                light.add(t);
            }
            long opened = System.nanoTime();
            // Heavy nodes answer every light node once they heard from it.
            List<Future<?>> answering = new ArrayList<>();
            for (TcpTransport h : heavy) {
                answering.add(heavyPool.submit(() -> {
                    for (int i = 0; i < n; i++) {
                        Message m = h.receiveAny(WAIT)
                                .orElseThrow(() -> new IllegalStateException(h.self() + " timed out"));
                        h.send(m.from(), ("reply to " + m.from()).getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                }));
            }
            List<Future<?>> lights = new ArrayList<>();
            for (TcpTransport l : light) {
                lights.add(pool.submit(() -> {
                    for (TcpTransport h : heavy) {
                        l.send(h.self(), pad("share from " + l.self()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : lights) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            lights.clear();
            for (TcpTransport l : light) {
                lights.add(pool.submit(() -> {
                    for (TcpTransport h : heavy) {
                        Message m = l.receive(h.self(), WAIT)
                                .orElseThrow(
                                        () -> new IllegalStateException(l.self() + " got no reply from " + h.self()));
                        if (!new String(m.payload(), StandardCharsets.UTF_8).equals("reply to " + l.self())) {
                            throw new IllegalStateException(l.self() + " got a wrong reply");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : lights) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            for (Future<?> f : answering) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            long exchanged = System.nanoTime();
            int threads = ManagementFactory.getThreadMXBean().getThreadCount();
            long transportThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("formix-tcp"))
                    .count();
            System.gc();
            long heapUsed =
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long openFiles = openFiles();
            System.out.printf(Locale.ROOT, "%-44s %s%n", "nodes (light + heavy)", n + " + " + HEAVY);
            System.out.printf(Locale.ROOT, "%-44s %d%n", "connections", 2L * HEAVY * n);
            System.out.printf(
                    Locale.ROOT, "%-44s %d ms%n", "open all nodes", TimeUnit.NANOSECONDS.toMillis(opened - t0));
            System.out.printf(
                    Locale.ROOT,
                    "%-44s %d ms%n",
                    "exchange (one message each way per pair)",
                    TimeUnit.NANOSECONDS.toMillis(exchanged - opened));
            System.out.printf(Locale.ROOT, "%-44s %d (transport: %d)%n", "JVM threads", threads, transportThreads);
            System.out.printf(Locale.ROOT, "%-44s %d%n", "open files", openFiles);
            System.out.printf(Locale.ROOT, "%-44s %d MiB%n", "heap used after full GC", heapUsed >> 20);
            System.out.printf(Locale.ROOT, "%-44s %s%n", "peak RSS (VmHWM)", status("VmHWM"));
            System.out.printf(Locale.ROOT, "%-44s %s%n", "RSS now (VmRSS)", status("VmRSS"));
            long hwmMiB = kib(status("VmHWM")) >> 10;
            System.out.println(
                    hwmMiB < 600 ? "target (peak RSS < 600 MiB): met" : "target (peak RSS < 600 MiB): MISSED");
        } finally {
            pool.shutdownNow();
            heavyPool.shutdownNow();
            for (TcpTransport t : light) {
                t.close();
            }
            for (TcpTransport t : heavy) {
                t.close();
            }
        }
        System.exit(0);
    }

    private static byte[] pad(String s) {
        byte[] b = new byte[64];
        byte[] t = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(t, 0, b, 0, Math.min(t.length, b.length));
        return b;
    }

    private static String status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1).trim();
            }
        }
        return "?";
    }

    private static long kib(String value) {
        try {
            return Long.parseLong(value.replace("kB", "").trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long openFiles() {
        String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
