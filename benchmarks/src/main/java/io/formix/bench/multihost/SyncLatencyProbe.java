package io.formix.bench.multihost;

import io.formix.bench.Samples;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One hop across a sync engine, two ways: a bare file written on the sending host until it is
 * complete on the receiving host (the floor), and one {@link FileTransport} message from a party
 * on the sending host's folder to a party on the receiving host's folder, {@code send} to
 * {@code receive}. Both hosts' folders are on this machine (scripts/multihost/net.sh), so one clock
 * times both ends.
 *
 * <p>While the message is in flight a watcher notes when its {@code .msg} and its {@code .ready}
 * first appear on the receiving host, which shows whether they travelled in one
 * sync batch. Runs are separated: each waits until the previous run's files are deleted on every
 * watched host, then for a quiet gap, so no run inherits another's pending watcher batch.
 *
 * <pre>java ... SyncLatencyProbe --from H1/data --to H2/data [--also H3/data] [--runs 10]
 *     [--size 200] [--gap-ms 2500] [--mode both|bare|formix|roundtrip] [--durable]</pre>
 *
 * <p>{@code roundtrip} times a request and its reply instead (two hops, as a ping-pong through
 * two proxies measures).
 */
public final class SyncLatencyProbe {
    private static final Duration HOP_LIMIT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 10;
    private static final PartyId SENDER = PartyId.of("probe-a");
    private static final PartyId RECEIVER = PartyId.of("probe-b");

    private final Path from;
    private final Path to;
    private final List<Path> watched = new ArrayList<>();
    private final int runs;
    private final int size;
    private final long gapMillis;
    private final boolean durable;

    private SyncLatencyProbe(Path from, Path to, List<Path> also, int runs, int size, long gapMillis, boolean durable) {
        this.from = from;
        this.to = to;
        this.watched.add(from);
        this.watched.add(to);
        this.watched.addAll(also);
        this.runs = runs;
        this.size = size;
        this.gapMillis = gapMillis;
        this.durable = durable;
    }

    public static void main(String[] args) throws Exception {
        Path from = null;
        Path to = null;
        List<Path> also = new ArrayList<>();
        int runs = 10;
        int size = 200;
        long gap = 2500;
        String mode = "both";
        boolean durable = false;
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("SyncLatencyProbe --from H1/data --to H2/data [--also H3/data] [--runs 10]"
                    + " [--size 200] [--gap-ms 2500] [--mode both|bare|formix|roundtrip] [--durable]");
            return;
        }
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--from" -> from = Path.of(need(args[i], v));
                case "--to" -> to = Path.of(need(args[i], v));
                case "--also" -> also.add(Path.of(need(args[i], v)));
                case "--runs" -> runs = Integer.parseInt(need(args[i], v));
                case "--size" -> size = Integer.parseInt(need(args[i], v));
                case "--gap-ms" -> gap = Long.parseLong(need(args[i], v));
                case "--mode" -> mode = need(args[i], v);
                case "--durable" -> {
                    durable = true;
                    i--; // takes no value
                }
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + " (--from --to --also --runs --size --gap-ms --mode --durable)");
            }
            i++;
        }
        if (from == null || to == null) {
            throw new IllegalArgumentException("--from H1/data and --to H2/data are required");
        }
        if (runs < 1 || size < 0 || !mode.matches("both|bare|formix|roundtrip")) {
            throw new IllegalArgumentException("--runs >= 1, --size >= 0, --mode both|bare|formix|roundtrip");
        }
        SyncLatencyProbe probe = new SyncLatencyProbe(from, to, also, runs, size, gap, durable);
        if (mode.equals("roundtrip")) {
            Samples rtt = probe.roundTrip();
            System.out.printf(
                    "%nround trip %s -> %s -> back, %d runs: median %.0f ms, p90 %.0f ms%n",
                    from, to, runs, ms(rtt.percentile(50)), ms(rtt.percentile(90)));
            return;
        }
        Samples bare = mode.equals("formix") ? null : probe.bare();
        Samples formix = mode.equals("bare") ? null : probe.formix();
        System.out.println();
        System.out.printf("one hop %s -> %s, %d runs, payload %d B%n", from, to, runs, size);
        System.out.printf("%-34s %10s %10s%n", "", "median", "p90");
        if (bare != null) {
            row("bare file (poll 10 ms)", bare);
        }
        if (formix != null) {
            row("FileTransport send -> receive", formix);
        }
        if (bare != null && formix != null) {
            double ratio = (double) formix.percentile(50) / bare.percentile(50);
            System.out.printf("ratio of medians %.2fx (target <= 1.30x): %s%n", ratio, ratio <= 1.3 ? "met" : "missed");
            System.out.printf(
                    "RESULT bare_median_ms=%.0f bare_p90_ms=%.0f formix_median_ms=%.0f"
                            + " formix_p90_ms=%.0f ratio=%.2f%n",
                    ms(bare.percentile(50)),
                    ms(bare.percentile(90)),
                    ms(formix.percentile(50)),
                    ms(formix.percentile(90)),
                    ratio);
        }
    }

    private static String need(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    private static void row(String label, Samples s) {
        System.out.printf("%-34s %7.0f ms %7.0f ms%n", label, ms(s.percentile(50)), ms(s.percentile(90)));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** The floor: temp file, rename into place (as a sender writes a {@code .msg}), poll for it. */
    private Samples bare() throws IOException, InterruptedException {
        Samples samples = new Samples();
        byte[] bytes = new byte[FrameCodec.HEADER_BYTES + size];
        for (int run = 0; run <= runs; run++) {
            String name = "probe-bare-" + ProcessHandle.current().pid() + "-" + run + ".bin";
            Path tmp = from.resolve(".tmp-" + name);
            Path arrived = to.resolve(name);
            long t0 = System.nanoTime();
            Files.write(tmp, bytes);
            Files.move(tmp, from.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            long deadline = t0 + HOP_LIMIT.toNanos();
            while (sizeOf(arrived) != bytes.length) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(name + " did not reach " + to + " within " + HOP_LIMIT);
                }
                Thread.sleep(POLL_MILLIS);
            }
            long t1 = System.nanoTime();
            if (run > 0) { // run 0 warms the path up and is not counted
                samples.add(t1 - t0);
            }
            System.out.printf("bare   run %2d: %5.0f ms%s%n", run, ms(t1 - t0), run == 0 ? " (warm-up)" : "");
            Files.delete(from.resolve(name));
            settle(List.of(name));
        }
        return samples;
    }

    /** One FileTransport message per run, with the first sighting of its two files on the receiver. */
    private Samples formix() throws IOException, InterruptedException {
        Samples samples = new Samples();
        Path channel = to.resolve(SENDER.value() + "_to_" + RECEIVER.value());
        Map<String, Long> firstSeen = new ConcurrentHashMap<>();
        // The sender's host creates the channel folder, as a sender would; creating it on both hosts
        // at once makes the first message wait for Syncthing to reconcile two new folders.
        Files.createDirectories(from.resolve(channel.getFileName()));
        awaitDirectory(channel);
        WatchService watcher = channel.getFileSystem().newWatchService();
        channel.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        Thread poller = new Thread(() -> recordArrivals(watcher, firstSeen), "arrival-recorder");
        poller.setDaemon(true);
        poller.start();
        int marker = 0;
        int msgFirst = 0;
        try (FileTransport sender =
                        FileTransport.builder(from, SENDER).durable(durable).open();
                FileTransport receiver =
                        FileTransport.builder(to, RECEIVER).durable(durable).open()) {
            for (int run = 0; run <= runs; run++) {
                byte[] payload = new byte[size];
                payload[0] = (byte) run;
                long t0 = System.nanoTime();
                sender.send(RECEIVER, payload);
                Optional<Message> got = receiver.receive(SENDER, HOP_LIMIT);
                long t1 = System.nanoTime();
                if (got.isEmpty()) {
                    throw new IOException("message " + run + " did not reach " + to + " within " + HOP_LIMIT);
                }
                String n = String.format("%08d", got.get().sequence());
                Long msgAt = firstSeen.get(n + ".msg");
                Long readyAt = firstSeen.get(n + ".ready");
                if (run > 0) {
                    samples.add(t1 - t0);
                    if (msgAt != null && readyAt != null) {
                        if (readyAt < msgAt) {
                            marker++;
                        } else if (msgAt < readyAt) {
                            msgFirst++;
                        }
                    }
                }
                System.out.printf(
                        "formix run %2d: %5.0f ms   .msg arrived %s   .ready arrived %s%s%n",
                        run, ms(t1 - t0), at(msgAt, t0), at(readyAt, t0), run == 0 ? " (warm-up)" : "");
                receiver.receive(SENDER, Duration.ZERO); // acknowledges: deletes n.msg and n.ready
                settle(List.of(
                        SENDER.value() + "_to_" + RECEIVER.value() + "/" + n + ".msg",
                        SENDER.value() + "_to_" + RECEIVER.value() + "/" + n + ".ready"));
            }
        } finally {
            watcher.close();
        }
        System.out.printf(
                "counted runs: .ready arrived first %d, .msg arrived first %d, other %d%n",
                marker, msgFirst, runs - marker - msgFirst);
        return samples;
    }

    /** A request from the sending host and its reply from the receiving host: two hops. */
    private Samples roundTrip() throws IOException, InterruptedException {
        Samples samples = new Samples();
        Files.createDirectories(from.resolve(SENDER.value() + "_to_" + RECEIVER.value()));
        Files.createDirectories(to.resolve(RECEIVER.value() + "_to_" + SENDER.value()));
        try (FileTransport a = FileTransport.builder(from, SENDER).open();
                FileTransport b = FileTransport.builder(to, RECEIVER).open()) {
            for (int run = 0; run <= runs; run++) {
                long t0 = System.nanoTime();
                a.send(RECEIVER, new byte[size]);
                Message request = b.receive(SENDER, HOP_LIMIT).orElseThrow(() -> new IOException("no request"));
                b.send(SENDER, request.payload());
                a.receive(RECEIVER, HOP_LIMIT).orElseThrow(() -> new IOException("no reply"));
                long t1 = System.nanoTime();
                if (run > 0) {
                    samples.add(t1 - t0);
                }
                System.out.printf("round trip run %2d: %5.0f ms%s%n", run, ms(t1 - t0), run == 0 ? " (warm-up)" : "");
                Thread.sleep(gapMillis);
            }
        }
        return samples;
    }

    private static String at(Long seen, long t0) {
        return seen == null ? "  (missed)" : String.format("%5.0f ms", ms(seen - t0));
    }

    /**
     * Notes when each name first appears in {@code dir} (inotify through a {@link WatchService}; the
     * receiver may consume a message within milliseconds, faster than any poll would see it).
     */
    private static void recordArrivals(WatchService watcher, Map<String, Long> firstSeen) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                long now = System.nanoTime();
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.context() instanceof Path name) {
                        firstSeen.putIfAbsent(name.toString(), now);
                    }
                }
                key.reset();
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // the probe is done
        }
    }

    /** Waits until the names are gone from every watched host, then for the quiet gap. */
    private void settle(List<String> names) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + HOP_LIMIT.toNanos();
        for (Path host : watched) {
            for (String name : names) {
                while (Files.exists(host.resolve(name))) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException(
                                "deletion of " + name + " did not reach " + host + " within " + HOP_LIMIT);
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            }
        }
        Thread.sleep(gapMillis);
    }

    private static void awaitDirectory(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + HOP_LIMIT.toNanos();
        while (!Files.isDirectory(dir)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(dir + " did not appear within " + HOP_LIMIT + " (is the sync running?)");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static long sizeOf(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return -1;
        }
    }
}
