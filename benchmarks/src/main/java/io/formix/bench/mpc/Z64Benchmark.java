package io.formix.bench.mpc;

import io.formix.bench.Measure;
import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * Seed-compressed sharing and seeded accumulation over Z/2^64 (1M {@code long}s, 8 MB) beside the same
 * over Z/2^32 at 500k {@code int}s (the reference) and at 2M {@code int}s (the same 8 MB), each against the
 * raw AES-256-CTR floor measured alternately with it. Sharing is the allocating
 * {@code shareCompressed} in both rings (Z/2^64 has no {@code VectorSharer}); accumulation adds party 0's
 * share (one seed in additive 3-of-3) into a {@link ShareAccumulator}. Target: per byte, Z/2^64 takes at
 * most twice the time of Z/2^32 (1M longs against 2M ints), for sharing and for accumulation.
 */
final class Z64Benchmark {

    static final int LENGTH_64 = 1_000_000;
    static final int LENGTH_32 = 500_000;
    static final int SAME_BYTES_32 = 2_000_000;

    private Z64Benchmark() {}

    /**
     * Prints every figure; returns the worst per-byte factor (Z/2^64 time over Z/2^32 time at 8 MB). Times
     * are compared in floor units (each figure's median ratio to the floor measured alternately with it), so
     * that load which slows one figure more than another shifts the factors less than raw times would.
     */
    static double run(Measure m) {
        IntSupplier raw = VectorSharingBenchmark.rawPrg(); // 4 MB of key stream per call
        Random r = new Random(4);
        long[] secret64 = r.longs(LENGTH_64).toArray();
        int[] secret32 = r.ints(LENGTH_32).toArray();
        int[] same32 = r.ints(SAME_BYTES_32).toArray();
        SharingScheme z64 = SharingSchemes.forId("additive-3-z64");
        SharingScheme z32 = SharingSchemes.forId("additive-3");
        SharingScheme replicated64 = SharingSchemes.forId("replicated-2of3-z64");

        double s32 = figure(
                m,
                raw,
                "additive-3",
                "shareCompressed",
                LENGTH_32,
                4,
                2,
                () -> z32.shareCompressed(secret32)[2].length());
        double s32same = figure(
                m,
                raw,
                "additive-3",
                "shareCompressed",
                SAME_BYTES_32,
                4,
                2,
                () -> z32.shareCompressed(same32)[2].length());
        double s64 = figure(
                m,
                raw,
                "additive-3-z64",
                "shareCompressed",
                LENGTH_64,
                8,
                2,
                () -> z64.shareCompressed(secret64)[2].length());
        figure(
                m,
                raw,
                "replicated-2of3-z64",
                "shareCompressed",
                LENGTH_64,
                8,
                2,
                () -> replicated64.shareCompressed(secret64)[2].length());

        double a32 = accumulate(m, raw, z32, z32.shareCompressed(secret32)[0], LENGTH_32, 4);
        double a32same = accumulate(m, raw, z32, z32.shareCompressed(same32)[0], SAME_BYTES_32, 4);
        double a64 = accumulate(m, raw, z64, z64.shareCompressed(secret64)[0], LENGTH_64, 8);

        System.out.printf(
                "  Z/2^64 1M against Z/2^32 500k (4x the bytes): sharing %.2fx, accumulation %.2fx the time%n",
                s64 / s32, a64 / a32);
        double sharing = s64 / s32same;
        double accumulation = a64 / a32same;
        double worst = Math.max(sharing, accumulation);
        System.out.printf(
                "  Z/2^64 1M against Z/2^32 2M (the same 8 MB): sharing %.2fx, accumulation %.2fx the time;"
                        + " worst %.2fx, target <= 2x per byte: %s%n",
                sharing, accumulation, worst, worst <= 2 ? "met" : "MISSED");
        return worst;
    }

    /**
     * The time per call of {@code op} in floor units (floor calls per call), printed with its time and the
     * rate at which it consumes key stream against the floor.
     */
    private static double figure(
            Measure m,
            IntSupplier raw,
            String scheme,
            String what,
            int length,
            int elementBytes,
            int streams,
            IntSupplier op) {
        Measure.Comparison c = m.compare(2, raw, op);
        double keyStreamBytes = (double) streams * elementBytes * length;
        double ratio = keyStreamBytes / 4e6 * c.floorOverOp();
        System.out.printf(
                "  %-20s %-16s %,9d x %d B %6.2f ms  key stream used at %,6.0f MB/s = %s of raw"
                        + " (floor %,6.0f MB/s)%n",
                scheme,
                what,
                length,
                elementBytes,
                c.seconds() * 1e3,
                keyStreamBytes / 1e6 / c.seconds(),
                Measure.pct(ratio),
                4.0 / c.floorSeconds());
        return 1 / c.floorOverOp();
    }

    private static double accumulate(
            Measure m, IntSupplier raw, SharingScheme scheme, VectorShare seeded, int length, int elementBytes) {
        ShareAccumulator acc = ShareAccumulator.open(scheme, 0, length);
        int[] next = {0};
        return figure(m, raw, scheme.id(), "add seeded share", length, elementBytes, 1, () -> {
            acc.add("light-" + next[0]++, seeded);
            return acc.size();
        });
    }
}
