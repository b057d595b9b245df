package io.formix.bench;

import java.util.Arrays;
import java.util.function.IntSupplier;

/**
 * Warm-up, repetition and median timing for the benchmarks that compare an operation with its floor
 * call by call (mpc, sealing). On a shared, noisy machine a floor
 * measured minutes apart from its figure says little, so {@link #compare} alternates the two, one
 * batch each per repetition, and reports the median of the per-repetition ratios.
 */
public final class Measure {

    /** Consumed results, so the JIT cannot drop the work. */
    public static volatile int sink;

    public final int warmups;
    public final int repetitions;

    public Measure(int warmups, int repetitions) {
        this.warmups = warmups;
        this.repetitions = repetitions;
    }

    /** Median seconds per call of an operation and of its floor, and the median per-repetition ratio. */
    public record Comparison(double floorSeconds, double seconds, double floorOverOp) {}

    /**
     * Runs {@code floor} and {@code op} alternately, {@code batch} calls each per repetition, after
     * {@code warmups} unmeasured repetitions (enough for C2 to compile the hot loops).
     */
    public Comparison compare(int batch, IntSupplier floor, IntSupplier op) {
        System.gc(); // so that the previous figure's garbage is not collected while this one is measured
        int acc = 0;
        for (int w = 0; w < warmups; w++) {
            acc += batch(batch, floor)[1] + batch(batch, op)[1];
        }
        double[] tf = new double[repetitions];
        double[] to = new double[repetitions];
        double[] ratio = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long[] f = batch(batch, floor);
            long[] o = batch(batch, op);
            acc += (int) (f[1] + o[1]);
            tf[r] = f[0] / 1e9 / batch;
            to[r] = o[0] / 1e9 / batch;
            ratio[r] = tf[r] / to[r];
        }
        sink += acc;
        return new Comparison(median(tf), median(to), median(ratio));
    }

    /** Median seconds per call of {@code op} alone. */
    public double secondsPerCall(int batch, IntSupplier op) {
        return compare(batch, () -> 0, op).seconds();
    }

    /** {nanoseconds, checksum} of {@code batch} calls. */
    private static long[] batch(int batch, IntSupplier op) {
        int acc = 0;
        long start = System.nanoTime();
        for (int i = 0; i < batch; i++) {
            acc += op.getAsInt();
        }
        return new long[] {System.nanoTime() - start, acc};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    public static String verdict(double ratio, double target) {
        return ratio >= target ? "meets target >= " + pct(target) : "MISSES target >= " + pct(target);
    }

    public static String pct(double ratio) {
        return String.format("%.0f %%", ratio * 100);
    }
}
