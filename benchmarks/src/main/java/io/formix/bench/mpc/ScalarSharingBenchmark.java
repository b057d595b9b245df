package io.formix.bench.mpc;

import io.formix.bench.Measure;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Scalar sharing and reconstruction, operations per second, beside the floor every share pays:
 * drawing its 2 random components (3 parties) from {@link SecureRandom}. Reconstruction is beside a
 * plain sum of three ints.
 */
final class ScalarSharingBenchmark {

    private ScalarSharingBenchmark() {}

    static void run(Measure m) {
        int batch = 20_000;
        SecureRandom random = new SecureRandom();
        IntSupplier draw2 = () -> random.nextInt() + random.nextInt();
        boolean printedFloor = false;

        int[] three = {1, 2, 3};
        for (SharingScheme scheme :
                new SharingScheme[] {SharingSchemes.additive(3, random), SharingSchemes.replicated2of3(random)}) {
            Measure.Comparison share = m.compare(batch, draw2, () -> scheme.share(42)[0][0]);
            if (!printedFloor) {
                System.out.printf(
                        "  floor: 2 x SecureRandom.nextInt()           %,12.0f /s%n", 1 / share.floorSeconds());
                printedFloor = true;
            }
            int[][] shares = scheme.share(42);
            Map<Integer, int[]> quorum = new HashMap<>();
            for (int p = 0; p < scheme.parties(); p++) {
                quorum.put(p, shares[p]);
            }
            Measure.Comparison rec =
                    m.compare(batch, () -> three[0] + three[1] + three[2], () -> scheme.reconstruct(quorum));
            System.out.printf(
                    "  %-22s share               %,12.0f /s  (%s of floor)%n",
                    scheme, 1 / share.seconds(), Measure.pct(share.floorOverOp()));
            System.out.printf("  %-22s reconstruct (all 3) %,12.0f /s%n", scheme, 1 / rec.seconds());
            System.out.printf(
                    "  %-22s share+reconstruct   %,12.0f /s%n", scheme, 1 / (share.seconds() + rec.seconds()));
        }
    }
}
