package io.formix.bench.mpc;

import io.formix.mpc.ShareCodec;
import io.formix.mpc.ShareJson;
import java.util.Random;

/** Encoding and decoding a 1M-element vector (binary and base64), beside copying its 4 MB. */
final class EncodingBenchmark {

    static final int LENGTH = 1_000_000;

    private EncodingBenchmark() {}

    static void run(Measure m) {
        int[] v = new Random(3).ints(LENGTH).toArray();
        int[] copy = new int[LENGTH];
        double floor = m.secondsPerCall(20, () -> {
            System.arraycopy(v, 0, copy, 0, LENGTH);
            return copy[99];
        });
        System.out.printf("  floor: copy 4 MB (System.arraycopy)        %,10.0f MB/s%n", 4e-6 * LENGTH / floor);
        byte[] bin = ShareCodec.encodeVector(v);
        String b64 = ShareJson.base64(v);
        report("binary encode", m.secondsPerCall(10, () -> ShareCodec.encodeVector(v).length), floor);
        report("binary decode", m.secondsPerCall(10, () -> ShareCodec.decodeVector(bin, LENGTH).length), floor);
        report("base64 encode", m.secondsPerCall(4, () -> ShareJson.base64(v).length()), floor);
        report("base64 decode", m.secondsPerCall(4, () -> ShareJson.parseBase64(b64, LENGTH).length), floor);
    }

    private static void report(String what, double t, double floor) {
        System.out.printf("  %-40s %,10.0f MB/s = %s of copy%n", what, 4e-6 * LENGTH / t, Measure.pct(floor / t));
    }
}
