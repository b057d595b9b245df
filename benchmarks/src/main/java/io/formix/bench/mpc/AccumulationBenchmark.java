package io.formix.bench.mpc;

import io.formix.mpc.ShareAccumulator;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import java.util.Random;

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
        double plain = m.secondsPerCall(20, () -> {
            for (int j = 0; j < LENGTH; j++) {
                sum[j] += v[j];
            }
            return sum[777];
        });
        double plainRate = LENGTH / plain;
        System.out.printf("  floor: plain int[] add loop               %,12.0f M elements/s%n", plainRate / 1e6);

        double worst = Double.MAX_VALUE;
        int[] secret = r.ints(LENGTH).toArray();
        for (SharingScheme scheme : new SharingScheme[] {SharingSchemes.additive(3), SharingSchemes.replicated2of3()}) {
            int party = scheme.parties() - 1;
            VectorShare full = scheme.share(secret)[party];
            int elements = LENGTH * full.components().size();
            ShareAccumulator acc = ShareAccumulator.open(scheme, party, LENGTH);
            int[] next = {0};
            double t = m.secondsPerCall(20, () -> {
                acc.add("light-" + next[0]++, full);
                return acc.size();
            });
            double ratio = elements / t / plainRate;
            worst = Math.min(worst, ratio);
            System.out.printf("  %-20s party %d add full share   %,8.0f M elements/s = %s of plain%n", scheme, party,
                    elements / t / 1e6, Measure.pct(ratio));

            int[][] held = new int[full.components().size()][];
            for (int k = 0; k < held.length; k++) {
                held[k] = full.components().get(k).toArray();
            }
            double tArrays = m.secondsPerCall(20, () -> {
                acc.add("light-" + next[0]++, held);
                return acc.size();
            });
            double ratioArrays = elements / tArrays / plainRate;
            worst = Math.min(worst, ratioArrays);
            System.out.printf("  %-20s party %d add int[][]      %,8.0f M elements/s = %s of plain%n", scheme, party,
                    elements / tArrays / 1e6, Measure.pct(ratioArrays));

            VectorShare seeded = scheme.shareCompressed(secret)[0];
            ShareAccumulator acc0 = ShareAccumulator.open(scheme, 0, LENGTH);
            double tSeeded = m.secondsPerCall(4, () -> {
                acc0.add("light-" + next[0]++, seeded);
                return acc0.size();
            });
            int seededElements = LENGTH * seeded.components().size();
            System.out.printf("  %-20s party 0 add seeded share %,8.0f M elements/s (PRG-bound, %s of plain)%n",
                    scheme, seededElements / tSeeded / 1e6, Measure.pct(seededElements / tSeeded / plainRate));
        }
        System.out.println("  accumulation: worst " + Measure.pct(worst) + " of the plain add loop, "
                + Measure.verdict(worst, 0.5));
        return worst;
    }
}
