package io.formix.bench.mpc;

import io.formix.bench.Measure;
import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * Adding 1M-element shares into a {@link ShareAccumulator}, in elements added per second, against a
 * plain {@code int[]} add loop over the same length. Target: >= 50 % of the plain loop. Seeded
 * components are reported too; they are bound by the PRG, not by the add.
 */
final class AccumulationBenchmark {

    static final int LENGTH = 1_000_000;

    private AccumulationBenchmark() {}

    static double run(Measure m) {
        Random r = new Random(2);
        int[] sum = new int[LENGTH];
        int[] v = r.ints(LENGTH).toArray();
        IntSupplier plain = () -> {
            for (int j = 0; j < LENGTH; j++) {
                sum[j] += v[j];
            }
            return sum[777];
        };
        double worst = Double.MAX_VALUE;
        boolean printedFloor = false;
        int[] secret = r.ints(LENGTH).toArray();
        int[] next = {0};
        for (SharingScheme scheme : new SharingScheme[] {SharingSchemes.additive(3), SharingSchemes.replicated2of3()}) {
            int party = scheme.parties() - 1;
            VectorShare full = scheme.share(secret)[party];
            int k = full.components().size(); // the floor adds 1M elements, a share k x 1M
            ShareAccumulator acc = ShareAccumulator.open(scheme, party, LENGTH);
            Measure.Comparison c = m.compare(10, plain, () -> {
                acc.add("light-" + next[0]++, full);
                return acc.size();
            });
            if (!printedFloor) {
                System.out.printf(
                        "  floor: plain int[] add loop                %,8.0f M elements/s%n",
                        LENGTH / c.floorSeconds() / 1e6);
                printedFloor = true;
            }
            double ratio = k * c.floorOverOp();
            worst = Math.min(worst, ratio);
            System.out.printf(
                    "  %-20s party %d add VectorShare   %,8.0f M elements/s = %s of plain%n",
                    scheme, party, k * LENGTH / c.seconds() / 1e6, Measure.pct(ratio));

            int[][] held = new int[k][];
            for (int i = 0; i < k; i++) {
                held[i] = full.components().get(i).toArray();
            }
            Measure.Comparison ca = m.compare(10, plain, () -> {
                acc.add("light-" + next[0]++, held);
                return acc.size();
            });
            double ratioArrays = k * ca.floorOverOp();
            worst = Math.min(worst, ratioArrays);
            System.out.printf(
                    "  %-20s party %d add int[][]       %,8.0f M elements/s = %s of plain%n",
                    scheme, party, k * LENGTH / ca.seconds() / 1e6, Measure.pct(ratioArrays));

            VectorShare seeded = scheme.shareCompressed(secret)[0];
            int ks = seeded.components().size();
            ShareAccumulator acc0 = ShareAccumulator.open(scheme, 0, LENGTH);
            Measure.Comparison cs = m.compare(2, plain, () -> {
                acc0.add("light-" + next[0]++, seeded);
                return acc0.size();
            });
            System.out.printf(
                    "  %-20s party 0 add seeded share  %,8.0f M elements/s (expands %d seed%s: %s of plain)%n",
                    scheme,
                    ks * LENGTH / cs.seconds() / 1e6,
                    ks,
                    ks > 1 ? "s" : "",
                    Measure.pct(ks * cs.floorOverOp()));
        }
        System.out.println("  accumulation: worst " + Measure.pct(worst) + " of the plain add loop, "
                + Measure.verdict(worst, 0.5));
        return worst;
    }
}
