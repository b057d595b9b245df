package io.formix.bench.mpc;

import java.util.Arrays;
import java.util.function.IntSupplier;

/** Warm-up, repetition and median timing for the mpc benchmarks. */
final class Measure {

    /** Consumed results, so the JIT cannot drop the work. */
    static volatile int sink;

    final int warmups;
    final int repetitions;

    Measure(int warmups, int repetitions) {
        this.warmups = warmups;
        this.repetitions = repetitions;
    }

    /**
     * Runs {@code op} {@code batch} times per repetition and returns the median seconds per call,
     * after {@code warmups} unmeasured repetitions (enough for C2 to compile the hot loops).
     */
    double secondsPerCall(int batch, IntSupplier op) {
        int acc = 0;
        for (int w = 0; w < warmups; w++) {
            for (int i = 0; i < batch; i++) {
                acc += op.getAsInt();
            }
        }
        double[] t = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                acc += op.getAsInt();
            }
            t[r] = (System.nanoTime() - start) / 1e9 / batch;
        }
        sink += acc;
        Arrays.sort(t);
        return t[repetitions / 2];
    }

    static String verdict(double ratio, double target) {
        return ratio >= target ? "meets target >= " + pct(target) : "MISSES target >= " + pct(target);
    }

    static String pct(double ratio) {
        return String.format("%.0f %%", ratio * 100);
    }
}
