package io.formix.bench.mpc;

import io.formix.mpc.AdditiveSharing;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * Scalar sharing and reconstruction, operations per second, beside the floor every share pays:
 * drawing its random components from {@link SecureRandom} (2 draws for 3 parties).
 */
final class ScalarSharingBenchmark {

    private ScalarSharingBenchmark() {}

    static void run(Measure m) {
        int batch = 20_000;
        SecureRandom random = new SecureRandom();
        double draw2 = m.secondsPerCall(batch, () -> random.nextInt() + random.nextInt());
        System.out.printf("  floor: 2 x SecureRandom.nextInt()          %,12.0f /s%n", 1 / draw2);

        AdditiveSharing legacy = new AdditiveSharing(random);
        double legacyShare = m.secondsPerCall(batch, () -> AdditiveSharing.reconstruct(legacy.share(7, 3)));
        System.out.printf("  AdditiveSharing share+reconstruct (3)     %,12.0f /s  (%s of floor)%n",
                1 / legacyShare, Measure.pct(draw2 / legacyShare));

        for (SharingScheme scheme : new SharingScheme[] {SharingSchemes.additive(3, random),
            SharingSchemes.replicated2of3(random)}) {
            double share = m.secondsPerCall(batch, () -> scheme.share(42)[0][0]);
            int[][] shares = scheme.share(42);
            Map<Integer, int[]> quorum = new HashMap<>();
            for (int p = 0; p < scheme.parties(); p++) {
                quorum.put(p, shares[p]);
            }
            double reconstruct = m.secondsPerCall(batch, () -> scheme.reconstruct(quorum));
            System.out.printf("  %-22s share               %,12.0f /s  (%s of floor)%n", scheme, 1 / share,
                    Measure.pct(draw2 / share));
            System.out.printf("  %-22s reconstruct (all)   %,12.0f /s%n", scheme, 1 / reconstruct);
            System.out.printf("  %-22s share+reconstruct   %,12.0f /s%n", scheme, 1 / (share + reconstruct));
        }
    }
}
