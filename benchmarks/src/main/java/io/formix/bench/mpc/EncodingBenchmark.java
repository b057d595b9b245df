package io.formix.bench.mpc;

import io.formix.bench.Measure;
import io.formix.mpc.ShareCodec;
import java.util.Random;
import java.util.function.IntSupplier;

/** Encoding and decoding a 1M-element vector in {@link ShareCodec}'s binary form, beside copying its 4 MB. */
final class EncodingBenchmark {

    static final int LENGTH = 1_000_000;

    private EncodingBenchmark() {}

    static void run(Measure m) {
        int[] v = new Random(3).ints(LENGTH).toArray();
        int[] copy = new int[LENGTH];
        IntSupplier floor = () -> {
            System.arraycopy(v, 0, copy, 0, LENGTH);
            return copy[99];
        };
        byte[] bin = ShareCodec.encodeVector(v);
        Measure.Comparison c = m.compare(4, floor, () -> ShareCodec.encodeVector(v).length);
        System.out.printf(
                "  floor: copy 4 MB (System.arraycopy)        %,8.0f MB/s%n", 4e-6 * LENGTH / c.floorSeconds());
        report("binary encode", c);
        report("binary decode", m.compare(4, floor, () -> ShareCodec.decodeVector(bin, LENGTH).length));
    }

    private static void report(String what, Measure.Comparison c) {
        System.out.printf(
                "  %-42s %,8.0f MB/s = %s of copy%n", what, 4e-6 * LENGTH / c.seconds(), Measure.pct(c.floorOverOp()));
    }
}
