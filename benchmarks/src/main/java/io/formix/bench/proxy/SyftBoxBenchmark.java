package io.formix.bench.proxy;

import io.formix.bench.Samples;
import io.formix.proxy.Framing;
import io.formix.proxy.Proxy;
import io.formix.proxy.ProxyConfig;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.file.ChannelLayout;
import io.formix.transport.file.FileTransport;
import io.formix.transport.file.SyftBoxSimulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Latency over the SyftBox layout with the {@link SyftBoxSimulator} at SyftBox's own timings
 * (full sync every 5 s, priority debounce 50 ms; {@code --period-ms} to change): three parties,
 * each on its own workspace, nothing shared but what the simulator carries.
 *
 * <ol>
 *   <li>one hop of the file transport, message under SyftBox's 1 MiB priority limit (fast names);</li>
 *   <li>one hop of a message over 1 MiB (carried by the full sync only);</li>
 *   <li>a ping-pong round trip (two hops) between two applications behind formix-proxy, in the
 *       3-party proxy deployment of {@code scripts/proxy-demo.sh --syftbox}.</li>
 * </ol>
 *
 * Every figure is also given in full-sync periods. Usage:
 * {@code SyftBoxBenchmark [--period-ms 5000] [--trips 10] [--big 2] [--dir DIR]}.
 */
public final class SyftBoxBenchmark {

    static final List<String> EMAILS = List.of("p0@bench.formix.org", "p1@bench.formix.org", "p2@bench.formix.org");

    public static void main(String[] args) throws Exception {
        long periodMs = 5000;
        int trips = 10;
        int big = 2;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--period-ms" -> periodMs = Long.parseLong(args[++i]);
                case "--trips" -> trips = Integer.parseInt(args[++i]);
                case "--big" -> big = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: SyftBoxBenchmark [--period-ms N] [--trips N] [--big N] [--dir DIR]");
                    System.exit(2);
                }
            }
        }
        if (dir == null) {
            Files.createDirectories(Path.of("sandbox"));
            dir = Files.createTempDirectory(Path.of("sandbox"), "bench-syftbox-");
        }
        Duration period = Duration.ofMillis(periodMs);
        System.out.printf(
                "SyftBox layout over the sync simulator: full sync every %d ms, priority debounce %d ms; folder %s%n",
                periodMs, SyftBoxSimulator.PRIORITY_DEBOUNCE.toMillis(), dir);
        Map<PartyId, String> table = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            table.put(PartyId.ofPid(i), EMAILS.get(i));
        }
        Path hops = dir.resolve("transport");
        try (SyftBoxSimulator sim = simulator(hops, period)) {
            transportHops(hops, table, period, trips, big);
            System.out.println("  simulator: " + sim.counters());
        }
        Path proxy = dir.resolve("proxy");
        try (SyftBoxSimulator sim = simulator(proxy, period)) {
            proxyRoundTrips(proxy, table, period, trips);
            System.out.println("  simulator: " + sim.counters());
        }
    }

    /** A started simulator for the three workspaces under {@code dir}. */
    static SyftBoxSimulator simulator(Path dir, Duration period) throws IOException {
        Map<String, Path> ws = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            ws.put(EMAILS.get(i), dir.resolve("party-" + i).resolve("datasites"));
        }
        return SyftBoxSimulator.create(ws, period, SyftBoxSimulator.PRIORITY_DEBOUNCE, new Random())
                .start();
    }

    static FileTransport open(Path dir, Map<PartyId, String> table, int pid, String tag) throws IOException {
        Path party = dir.resolve("party-" + pid);
        return FileTransport.builder(party.resolve("local-" + tag), PartyId.ofPid(pid))
                .layout(ChannelLayout.syftbox(party.resolve("datasites"), EMAILS.get(pid), table))
                .maxMessageBytes(8 << 20)
                .open();
    }

    /** One-way hops 0 -> 1 of the file transport: small (fast names) and big (full sync only). */
    static void transportHops(Path dir, Map<PartyId, String> table, Duration period, int trips, int big)
            throws Exception {
        PartyId p0 = PartyId.ofPid(0);
        PartyId p1 = PartyId.ofPid(1);
        try (FileTransport a = open(dir, table, 0, "t");
                FileTransport b = open(dir, table, 1, "t")) {
            // Warm-up: the first message also creates the channel folder and its permission file.
            a.send(p1, new byte[] {0});
            b.receive(p0, Duration.ofMinutes(2)).orElseThrow();
            Samples small = new Samples();
            for (int i = 0; i < trips; i++) {
                long t0 = System.nanoTime();
                a.send(p1, new byte[64]);
                Message m = b.receive(p0, Duration.ofMinutes(2)).orElseThrow();
                small.add(System.nanoTime() - t0);
                if (m.payload().length != 64) {
                    throw new IllegalStateException("wrong message");
                }
            }
            report("file transport, one hop, 64 B (fast names)", small, period, 1);
            Samples large = new Samples();
            byte[] payload = new byte[(int) SyftBoxSimulator.MAX_PRIORITY_BYTES + 1024];
            for (int i = 0; i < big; i++) {
                long t0 = System.nanoTime();
                a.send(p1, payload);
                b.receive(p0, Duration.ofMinutes(2)).orElseThrow();
                large.add(System.nanoTime() - t0);
            }
            report("file transport, one hop, 1 MiB + 1 KiB (full sync only)", large, period, 1);
        }
    }

    /** Ping-pong between the applications of parties 0 and 1, each behind its proxy; party 2 runs too. */
    static void proxyRoundTrips(Path dir, Map<PartyId, String> table, Duration period, int trips) throws Exception {
        int[] base = {Apps.freeBase(3), Apps.freeBase(3), Apps.freeBase(3)};
        List<AutoCloseable> all = new ArrayList<>();
        try {
            InetAddress lo = InetAddress.getLoopbackAddress();
            // For a pair a<b, a's application listens (its proxy connects) and b's connects to b's proxy,
            // at offset a*N - a(a+1)/2 + (b - a): (0,1) -> 1, (0,2) -> 2, (1,2) -> 3.
            ServerSocket l01 = new ServerSocket(base[0] + 1, 1, lo);
            ServerSocket l02 = new ServerSocket(base[0] + 2, 1, lo);
            ServerSocket l12 = new ServerSocket(base[1] + 3, 1, lo);
            all.addAll(List.of(l01, l02, l12));
            List<Proxy> proxies = new ArrayList<>();
            for (int pid = 0; pid < 3; pid++) {
                FileTransport t = open(dir, table, pid, "proxy");
                Proxy p = Proxy.start(
                        ProxyConfig.builder(pid, 3, base[pid], base[pid])
                                .framing(Framing.LENGTH_PREFIXED)
                                .stateDir(dir.resolve("party-" + pid).resolve("proxy-state"))
                                .build(),
                        t);
                proxies.add(p);
                all.add(p::close);
            }
            Socket right = new Socket(lo, base[1] + 1);
            Socket c02 = new Socket(lo, base[2] + 2);
            Socket c12 = new Socket(lo, base[2] + 3);
            Socket left = l01.accept();
            all.addAll(List.of(c02, c12, l02.accept(), l12.accept()));
            Apps apps = new Apps(left, right);
            all.add(apps);
            apps.echoRight(1 << 20);
            byte[] ping = new byte[64];
            Samples rtt = new Samples();
            for (int i = -1; i < trips; i++) { // the first trip warms up (channel folders appear)
                long t0 = System.nanoTime();
                FrameCodec.write(apps.leftOut, ping);
                apps.leftOut.flush();
                byte[] pong = FrameCodec.read(apps.leftIn, 1 << 20);
                if (pong == null || pong.length != ping.length) {
                    throw new IllegalStateException("no pong");
                }
                if (i >= 0) {
                    rtt.add(System.nanoTime() - t0);
                }
            }
            report("formix-proxy ping-pong round trip (2 hops), 3-party deployment", rtt, period, 2);
        } finally {
            for (int i = all.size() - 1; i >= 0; i--) {
                try {
                    all.get(i).close();
                } catch (Exception e) {
                    // closing after the measurement
                }
            }
        }
    }

    static void report(String what, Samples s, Duration period, int hops) {
        double p = period.toNanos();
        System.out.printf(
                "%-62s n=%-3d median %7.0f ms  p90 %7.0f ms  max %7.0f ms  = %.3f full syncs (median), %.3f per hop%n",
                what,
                s.size(),
                s.percentile(50) / 1e6,
                s.percentile(90) / 1e6,
                s.percentile(100) / 1e6,
                s.percentile(50) / p,
                s.percentile(50) / p / hops);
    }
}
