package io.formix.bench.mpc;

import io.formix.mpc.AesCtrPrg;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
import java.util.function.IntSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sharing a 1M-element vector, with and without seed compression, against the raw rate of the PRG
 * it is built on (the JDK's AES-256-CTR key stream into a byte array, measured here). Sharing among
 * 3 parties must draw 2 random components, i.e. 2 x 4 MB of key stream; the figure is the rate of
 * that key stream achieved inside sharing, as a fraction of the raw rate. Target: >= 50 %.
 */
final class VectorSharingBenchmark {

    static final int LENGTH = 1_000_000;

    private VectorSharingBenchmark() {}

    /** The raw floor: 4 MB of AES-256-CTR key stream into a byte array, in 16 KiB updates. */
    static IntSupplier rawPrg() {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            int bytes = 4 * LENGTH;
            byte[] zeros = new byte[bytes];
            byte[] out = new byte[bytes];
            return () -> {
                try {
                    int n = 0;
                    for (int off = 0; off < bytes; off += 16384) {
                        n += cipher.update(zeros, off, Math.min(16384, bytes - off), out, off);
                    }
                    return n + out[12345];
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static double run(Measure m) {
        IntSupplier raw = rawPrg();
        int[] secret = new Random(1).ints(LENGTH).toArray();
        double worst = Double.MAX_VALUE;
        boolean printedFloor = false;
        for (SharingScheme scheme : new SharingScheme[] {SharingSchemes.additive(3), SharingSchemes.replicated2of3()}) {
            int streams = scheme.componentCount() - 1;  // 4 MB of key stream each
            for (boolean compressed : new boolean[] {false, true}) {
                Measure.Comparison c = m.compare(2, raw, () -> {
                    VectorShare[] s = compressed ? scheme.shareCompressed(secret) : scheme.share(secret);
                    return s[0].length();
                });
                if (!printedFloor) {
                    System.out.printf("  floor: raw AES-256-CTR key stream           %,8.0f MB/s%n",
                            4e-6 * LENGTH / c.floorSeconds());
                    printedFloor = true;
                }
                double ratio = streams * c.floorOverOp();
                worst = Math.min(worst, ratio);
                System.out.printf("  %-20s %-11s %6.2f ms  key stream used at %,6.0f MB/s = %s of raw%n",
                        scheme, compressed ? "compressed" : "full-size", c.seconds() * 1e3,
                        streams * 4e-6 * LENGTH / c.seconds(), Measure.pct(ratio));
            }
        }
        // context: the cheapest thing that yields one random component as a new int[]
        byte[] seed = new byte[AesCtrPrg.SEED_BYTES];
        Measure.Comparison e = m.compare(2, raw, () -> AesCtrPrg.expand(seed, LENGTH)[7]);
        System.out.printf("  context: AesCtrPrg.expand 1M into a new int[] %6.2f ms = %s of raw%n", e.seconds() * 1e3,
                Measure.pct(e.floorOverOp()));
        System.out.println("  vector sharing: worst " + Measure.pct(worst) + " of the raw PRG rate, "
                + Measure.verdict(worst, 0.5));
        return worst;
    }
}
