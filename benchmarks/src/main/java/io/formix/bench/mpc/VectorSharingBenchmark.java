package io.formix.bench.mpc;

import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorShare;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Random;
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

    /** Raw key-stream rate in bytes/s: the better of 16 KiB updates and one 4 MB update. */
    static double rawPrgBytesPerSecond(Measure m) {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            int bytes = 4 * LENGTH;
            byte[] zeros = new byte[bytes];
            byte[] out = new byte[bytes];
            double chunked = m.secondsPerCall(4, () -> {
                try {
                    int n = 0;
                    for (int off = 0; off < bytes; off += 16384) {
                        n += cipher.update(zeros, off, Math.min(16384, bytes - off), out, off);
                    }
                    return n + out[12345];
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
            double whole = m.secondsPerCall(4, () -> {
                try {
                    return cipher.update(zeros, 0, bytes, out, 0) + out[54321];
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
            return bytes / Math.min(chunked, whole);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static double run(Measure m) {
        double raw = rawPrgBytesPerSecond(m);
        System.out.printf("  floor: raw AES-256-CTR key stream          %,12.0f MB/s%n", raw / 1e6);
        int[] secret = new Random(1).ints(LENGTH).toArray();
        double worst = Double.MAX_VALUE;
        for (SharingScheme scheme : new SharingScheme[] {SharingSchemes.additive(3), SharingSchemes.replicated2of3()}) {
            double prgBytes = 4.0 * LENGTH * (scheme.componentCount() - 1);
            for (boolean compressed : new boolean[] {false, true}) {
                double t = m.secondsPerCall(4, () -> {
                    VectorShare[] s = compressed ? scheme.shareCompressed(secret) : scheme.share(secret);
                    return s[0].length();
                });
                double ratio = prgBytes / t / raw;
                worst = Math.min(worst, ratio);
                System.out.printf("  %-20s %-12s 1M elements %7.2f ms  key stream %,8.0f MB/s = %s of raw%n",
                        scheme, compressed ? "compressed" : "full-size", t * 1e3, prgBytes / t / 1e6,
                        Measure.pct(ratio));
            }
        }
        System.out.println("  vector sharing: worst " + Measure.pct(worst) + " of raw PRG rate, "
                + Measure.verdict(worst, 0.5));
        return worst;
    }
}
