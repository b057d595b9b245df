package io.formix.bench.formix;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.cli.Main;
import io.formix.mpc.PartialSum;
import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Vector answers end to end: 3 heavy + N light nodes in one host ({@code network up}), every light
 * node answering a vector query of L elements from a command source (a federated-learning update),
 * shared seed-compressed over Z/2^64; {@code comp propose --wait} until the total is revealed, and
 * every element of the revealed sum checked against the sum of the vectors the command printed.
 *
 * <p>Element {@code i} of light node {@code s}'s vector is {@code (i·s) mod 7 − 3}; the command is a
 * two-line {@code awk} script written next to the homes, so the light nodes' answers cost what any
 * small program's would. <b>Floor</b>, measured in the same run: the same arithmetic through mpc
 * alone in this JVM, one thread: N vectors shared with {@code shareCompressed}, added by the three
 * parties' accumulators, revealed (no files, no SQLite, no protocol, no JSON). Each N is run twice
 * (N = {@code --compare} first) so the host's peak memory shows whether a heavy node's memory grows
 * with the number of light nodes (O(N·L)) or only with L.
 *
 * <pre>
 * java ... io.formix.bench.formix.VectorBenchmark [--lights 100] [--length 1000000] [--compare 25]
 *     [--deadline 120s] [--dir DIR] [--no-fast-kernels]
 * </pre>
 *
 * Hosts run with {@code network up --fast-kernels} (C2 and the SIMD kernel, what a network sharing
 * vectors should use); {@code --no-fast-kernels} measures the hosts' quick-start default (C1).
 *
 * Targets (issue 12): N = 100, L = 1,000,000: propose→reveal ≤ 60 s; host peak at N no more than
 * {@value #PEAK_GROWTH_TARGET}× the peak at {@code --compare}. Exit code 0 when met, 1 otherwise.
 */
public final class VectorBenchmark {

    private static final long REVEAL_TARGET_MS = 60_000;
    static final double PEAK_GROWTH_TARGET = 1.5;

    public static void main(String[] args) throws Exception {
        int lights = 100;
        int length = 1_000_000;
        int compare = 25;
        String deadline = "120s";
        Path dir = Path.of("sandbox", "bench-vector");
        boolean fastKernels = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lights" -> lights = Integer.parseInt(args[++i]);
                case "--length" -> length = Integer.parseInt(args[++i]);
                case "--compare" -> compare = Integer.parseInt(args[++i]);
                case "--deadline" -> deadline = args[++i];
                case "--dir" -> dir = Path.of(args[++i]);
                case "--no-fast-kernels" -> fastKernels = false;
                default -> {
                    System.err.println("usage: VectorBenchmark [--lights 100] [--length 1000000] [--compare 25]"
                            + " [--deadline 120s] [--dir DIR] [--no-fast-kernels]");
                    System.exit(2);
                }
            }
        }
        dir = dir.toAbsolutePath();
        Files.createDirectories(dir);
        Path gen = writeGenerator(dir);
        System.out.printf(
                Locale.ROOT,
                "Vector answers end to end (file transport, %d cores, L = %,d, hosts %s, %s)%n",
                Runtime.getRuntime().availableProcessors(),
                length,
                fastKernels ? "--fast-kernels (C2)" : "--no-fast-kernels (C1)",
                dir);
        System.out.printf(
                Locale.ROOT,
                "%6s  %12s  %12s  %8s  %12s  %12s  %8s%n",
                "N",
                "reveal ms",
                "mpc floor ms",
                "x floor",
                "host peak",
                "checked",
                "load");
        long comparePeak = -1;
        boolean met = true;
        for (int n : compare > 0 && compare < lights ? List.of(compare, lights) : List.of(lights)) {
            long floor = mpcFloorMs(n, length);
            Result r = runOnce(dir, gen, n, length, deadline, fastKernels);
            System.out.printf(
                    Locale.ROOT,
                    "%6d  %12d  %12d  %8.1f  %8d MiB  %12s  %8s%n",
                    n,
                    r.revealMs,
                    floor,
                    (double) r.revealMs / Math.max(1, floor),
                    r.peakKb / 1024,
                    r.checked ? "all " + length : "WRONG",
                    r.load);
            met &= r.checked;
            if (n == lights) {
                boolean fast = n < 100 || length < 1_000_000 || r.revealMs <= REVEAL_TARGET_MS;
                boolean flat = comparePeak <= 0 || r.peakKb <= comparePeak * PEAK_GROWTH_TARGET;
                System.out.printf(
                        Locale.ROOT,
                        "targets: reveal <= 60 s at N=100, L=1M %s; host peak at N=%d %.2fx the peak at N=%d"
                                + " (<= %.1fx) %s%n",
                        fast ? "met" : "MISSED",
                        n,
                        comparePeak <= 0 ? 1.0 : (double) r.peakKb / comparePeak,
                        compare,
                        PEAK_GROWTH_TARGET,
                        flat ? "met" : "MISSED");
                met &= fast && flat;
            } else {
                comparePeak = r.peakKb;
            }
        }
        System.out.println("reveal: CLI propose --wait until it returns; mpc floor: the same sharing, sums and"
                + " reveal through mpc in one thread; host peak: VmHWM of the node host; checked: every element of"
                + " the revealed sum equals the sum of the vectors the light nodes' command printed");
        System.exit(met ? 0 : 1);
    }

    private record Result(long revealMs, long peakKb, boolean checked, String load) {}

    private static Result runOnce(Path dir, Path gen, int n, int length, String deadline, boolean fastKernels)
            throws Exception {
        Path home = dir.resolve("n" + n);
        BenchSupport.delete(home);
        Map<String, String> env = new HashMap<>();
        env.put("FORMIX_HOME", home.toString());
        env.put("FORMIX_TRANSPORT", "file");
        env.put("NO_COLOR", "1");
        String loadBefore = BenchSupport.load();
        BenchSupport.run(
                env,
                "network",
                "up",
                "--heavy",
                "3",
                "--light",
                Integer.toString(n),
                fastKernels ? "--fast-kernels" : "--no-fast-kernels");
        try {
            List<String> uids = lightUids(home);
            for (int s = 1; s <= uids.size(); s++) {
                String uid = uids.get(s - 1);
                BenchSupport.run(
                        env,
                        "data",
                        "add",
                        uid,
                        "--name",
                        "update",
                        "--command",
                        gen + " " + length + " " + s,
                        "--timeout",
                        "120s",
                        "--max-size",
                        "64m");
                BenchSupport.run(env, "node", "policy", uid, "--approval", "policy");
            }
            String query = "{\"dataset\":\"update\",\"aggregate\":{\"type\":\"vector\",\"length\":" + length
                    + ",\"clip\":4,\"fractionalBits\":0}}";
            long t = System.nanoTime();
            String out = BenchSupport.run(
                    env,
                    "comp",
                    "propose",
                    "--prompt",
                    "vector benchmark",
                    "--query",
                    query,
                    "--threshold",
                    Integer.toString(n),
                    "--deadline",
                    deadline,
                    "--wait",
                    "--json");
            long revealMs = (System.nanoTime() - t) / 1_000_000;
            JsonNode sum = Main.JSON.readTree(out).path("value").path("sum");
            boolean checked = sum.size() == length;
            for (int i = 0; checked && i < length; i++) {
                checked = sum.get(i).asLong() == expected(i, uids.size());
            }
            long peakKb;
            try (NetworkDb net = NetworkDb.open(FormixHome.of(home))) {
                peakKb = BenchSupport.peakRssKb(net.nodes(null).get(0).pid());
            }
            return new Result(revealMs, peakKb, checked, loadBefore + " -> " + BenchSupport.load());
        } finally {
            BenchSupport.run(env, "network", "down");
        }
    }

    /** The uids of the light nodes of {@code home}, in creation order. */
    private static List<String> lightUids(Path home) throws Exception {
        Set<String> uids = new TreeSet<>();
        try (NetworkDb net = NetworkDb.open(FormixHome.of(home))) {
            for (NodeRecord r : net.nodes(null)) {
                if (r.role() == NodeRecord.Role.LIGHT) {
                    uids.add(r.uid().toString());
                }
            }
        }
        return new ArrayList<>(uids);
    }

    /** Element {@code i} of the sum of the vectors of light nodes 1..n. */
    private static long expected(int i, int n) {
        long total = 0;
        for (int s = 1; s <= n; s++) {
            total += element(i, s);
        }
        return total;
    }

    private static long element(int i, int s) {
        return (long) i * s % 7 - 3;
    }

    /** The same sharing, sums and reveal through mpc alone, one thread. */
    private static long mpcFloorMs(int n, int length) {
        SharingScheme scheme = SharingSchemes.forId("additive-3-z64");
        Set<String> ids = new TreeSet<>();
        for (int s = 1; s <= n; s++) {
            ids.add("light-" + s);
        }
        long t = System.nanoTime();
        List<ShareAccumulator> parties = new ArrayList<>();
        for (int p = 0; p < scheme.parties(); p++) {
            parties.add(ShareAccumulator.forContributors(scheme, p, length, ids));
        }
        long[] v = new long[length];
        for (int s = 1; s <= n; s++) {
            for (int i = 0; i < length; i++) {
                v[i] = element(i, s);
            }
            VectorShare[] shares = scheme.shareCompressed(v);
            for (int p = 0; p < shares.length; p++) {
                parties.get(p).add("light-" + s, shares[p]);
            }
        }
        List<PartialSum> sums = new ArrayList<>();
        parties.forEach(a -> sums.add(a.partialSum()));
        long[] total = scheme.revealLongs(sums);
        long ms = (System.nanoTime() - t) / 1_000_000;
        if (total[length - 1] != expected(length - 1, n)) {
            throw new IllegalStateException("the floor's own total is wrong");
        }
        return ms;
    }

    /** {@code gen-vector.sh L S}: prints element i = (i·S) mod 7 − 3 for i < L as a JSON list. */
    private static Path writeGenerator(Path dir) throws Exception {
        Path gen = dir.resolve("gen-vector.sh");
        Files.writeString(
                gen,
                "#!/bin/sh\n"
                        + "exec awk -v n=\"$1\" -v s=\"$2\" 'BEGIN { printf \"[\"; for (i = 0; i < n; i++)"
                        + " printf (i ? \",%d\" : \"%d\"), (i * s) % 7 - 3; print \"]\" }'\n");
        Files.setPosixFilePermissions(gen, PosixFilePermissions.fromString("rwxr-xr-x"));
        return gen;
    }

    private VectorBenchmark() {}
}
