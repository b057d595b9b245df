package io.formix.bench.mpc;

import io.formix.bench.Measure;
import io.formix.mpc.SharingSchemes;
import java.util.Arrays;

/**
 * Runs every mpc benchmark and prints each figure beside the raw floor measured in the same run.
 *
 * <pre>scripts/bench-mpc.sh [--quick] [--scalar]</pre>
 *
 * The script starts the JVM with {@code --add-modules jdk.incubator.vector}, so vector sharing uses
 * the SIMD kernel; {@code --scalar} adds {@code -Dformix.mpc.simd=off} to measure the scalar kernel that
 * JVMs without the module get. The kernel in use is printed first.
 *
 * Exit code 0 if the targets (vector sharing with VectorSharer, every layout and mode, >= 50 % of the
 * raw PRG rate; accumulation >= 50 % of a plain add loop; compressed sharing and seeded accumulation over
 * Z/2^64 at most 2x the time of Z/2^32 per byte) are met, 1 otherwise.
 */
public final class MpcBenchmark {

    private MpcBenchmark() {}

    public static void main(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        Measure m = quick ? new Measure(3, 5) : new Measure(20, 31);
        System.out.printf(
                "mpc benchmarks (%s: %d warm-ups, median of %d; %s, %d CPUs)%n",
                quick ? "quick" : "full",
                m.warmups,
                m.repetitions,
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.println("vector kernel: " + SharingSchemes.additive(3).vectorSharer());
        System.out.println("scalar sharing");
        ScalarSharingBenchmark.run(m);
        System.out.println("vector sharing, 1M elements, 3 parties");
        double sharing = VectorSharingBenchmark.run(m);
        System.out.println("accumulation, 1M elements");
        double accumulation = AccumulationBenchmark.run(m);
        System.out.println("encodings, 1M elements");
        EncodingBenchmark.run(m);
        System.out.println("Z/2^64: 1M longs (8 MB) against Z/2^32 at 500k and 2M ints, 3 parties");
        double z64 = Z64Benchmark.run(m);
        System.exit(sharing >= 0.5 && accumulation >= 0.5 && z64 <= 2 ? 0 : 1);
    }
}
