package io.formix.bench.mpc;

import io.formix.bench.Measure;
import io.formix.mpc.SeededComponent;
import io.formix.mpc.ShareCodec;
import io.formix.mpc.SharingScheme;
import io.formix.mpc.SharingSchemes;
import io.formix.mpc.VectorSharer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import java.util.function.IntSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sharing a 1M-element vector, with and without seed compression, against the raw rate of the PRG
 * it is built on (the JDK's AES-256-CTR key stream into a byte array, measured here). Sharing among
 * 3 parties must draw 2 random components, i.e. 2 x 4 MB of key stream; the figure is the rate of
 * that key stream achieved inside sharing, as a fraction of the raw rate. Target: >= 50 %, for
 * {@link VectorSharer} into int[] components and into the encoding layout, full-size and compressed; the
 * allocating methods are measured beside it.
 */
final class VectorSharingBenchmark {

    static final int LENGTH = 1_000_000;

    private VectorSharingBenchmark() {}

    /** A JDK {@code AES/CTR/NoPadding} cipher keyed with a fresh random 256-bit key, counter at 0. */
    private static Cipher freshCipher() {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK must provide AES/CTR/NoPadding with 256-bit keys", e);
        }
    }

    /** {@code cipher.update}, with the checked exception a CTR key stream cannot throw made unchecked. */
    private static int crypt(Cipher cipher, byte[] in, int inOff, int len, byte[] out, int outOff) {
        try {
            return cipher.update(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The raw floor: 4 MB of AES-256-CTR key stream into a byte array, in 16 KiB updates. */
    static IntSupplier rawPrg() {
        Cipher cipher = freshCipher();
        int bytes = 4 * LENGTH;
        byte[] zeros = new byte[bytes];
        byte[] out = new byte[bytes];
        IntSupplier floor = () -> {
            int n = 0;
            for (int off = 0; off < bytes; off += 16384) {
                n += crypt(cipher, zeros, off, Math.min(16384, bytes - off), out, off);
            }
            return n + out[12345];
        };
        // Warm to steady state before the first figure: the per-figure warm-up (40 calls) leaves
        // the floor still compiling, which made the first figure's floor ~8 % slow and its ratio high.
        for (int i = 0; i < 300; i++) {
            Measure.sink += floor.getAsInt();
        }
        return floor;
    }

    /**
     * Context, not the floor: the same cipher writing 4 MB as 32 KiB updates into one reused 32 KiB
     * buffer, which stays in L1/L2 -- the way {@link VectorSharer} consumes it. Faster than the floor.
     */
    static IntSupplier chunkedPrg() {
        Cipher cipher = freshCipher();
        int bytes = 4 * LENGTH;
        byte[] zeros = new byte[32768];
        byte[] out = new byte[32768];
        return () -> {
            int n = 0;
            for (int off = 0; off < bytes; off += 32768) {
                n += crypt(cipher, zeros, 0, Math.min(32768, bytes - off), out, 0);
            }
            return n + out[12345];
        };
    }

    private static final int CHUNK = 4096;

    /** Half of compressed sharing: two seeds' key streams, 16 KiB at a time, converted to {@code int}s. */
    static IntSupplier twoKeyStreamsAsInts() {
        Cipher[] ciphers = {freshCipher(), freshCipher()};
        byte[] zeros = new byte[4 * CHUNK];
        byte[] bytes = new byte[4 * CHUNK];
        int[] ints = new int[CHUNK];
        IntBuffer view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        return () -> {
            int acc = 0;
            for (int off = 0; off < LENGTH; off += CHUNK) {
                int n = Math.min(CHUNK, LENGTH - off);
                for (Cipher cipher : ciphers) {
                    crypt(cipher, zeros, 0, 4 * n, bytes, 0);
                    view.get(0, ints, 0, n);
                    acc += ints[n - 1];
                }
            }
            return acc;
        };
    }

    /**
     * Prints every figure; returns the worst ratio of {@link VectorSharer}, over both layouts (int[] and
     * encoded) and both modes (full-size and compressed): the figure the target applies to. The allocating
     * methods are printed beside it.
     */
    static double run(Measure m) {
        IntSupplier raw = rawPrg();
        int[] secret = new Random(1).ints(LENGTH).toArray();
        double[][] worst = new double[Form.values().length][2]; // [form][compressed ? 1 : 0]
        for (double[] w : worst) {
            Arrays.fill(w, Double.MAX_VALUE);
        }
        boolean printedFloor = false;
        // both schemes have 3 components: they share into the same arrays, so that neither figure
        // depends on where the heap happened to place its own arrays
        int[][] components = new int[3][LENGTH];
        byte[][] seeds = new byte[2][SeededComponent.SEED_BYTES];
        int[] last = new int[LENGTH];
        int header = ShareCodec.SINGLE_COMPONENT_HEADER_BYTES;
        byte[][] messages = new byte[3][header + 4 * LENGTH];
        for (SharingScheme scheme : new SharingScheme[] {SharingSchemes.additive(3), SharingSchemes.replicated2of3()}) {
            int streams = scheme.componentCount() - 1; // 4 MB of key stream each
            VectorSharer sharer = scheme.vectorSharer();
            for (Form form : Form.values()) {
                for (boolean compressed : new boolean[] {false, true}) {
                    IntSupplier op = switch (form) {
                        case INTS ->
                            compressed
                                    ? () -> {
                                        sharer.shareCompressedInto(secret, seeds, last);
                                        return last[4321];
                                    }
                                    : () -> {
                                        sharer.shareInto(secret, components);
                                        return components[0][4321];
                                    };
                        case ENCODED ->
                            compressed
                                    ? () -> {
                                        sharer.shareCompressedInto(secret, seeds, messages[2], header);
                                        return messages[2][4321];
                                    }
                                    : () -> {
                                        sharer.shareInto(secret, messages, header);
                                        return messages[0][4321];
                                    };
                        case ALLOCATING ->
                            () -> (compressed ? scheme.shareCompressed(secret) : scheme.share(secret))[0].length();
                    };
                    Measure.Comparison c = m.compare(2, raw, op);
                    if (!printedFloor) {
                        System.out.printf(
                                "  floor: raw AES-256-CTR key stream           %,8.0f MB/s%n",
                                4e-6 * LENGTH / c.floorSeconds());
                        printedFloor = true;
                    }
                    double ratio = streams * c.floorOverOp();
                    int mode = compressed ? 1 : 0;
                    worst[form.ordinal()][mode] = Math.min(worst[form.ordinal()][mode], ratio);
                    // the floor beside each figure: when load slows the floor, ratios rise and mean less
                    System.out.printf(
                            "  %-17s %-10s %-11s %6.2f ms  key stream used at %,6.0f MB/s = %s of raw"
                                    + " (floor %,6.0f MB/s)%n",
                            scheme,
                            form.label,
                            compressed ? "compressed" : "full-size",
                            c.seconds() * 1e3,
                            streams * 4e-6 * LENGTH / c.seconds(),
                            Measure.pct(ratio),
                            4e-6 * LENGTH / c.floorSeconds());
                }
            }
        }
        // context: the cheapest thing that yields one random component as a new int[]
        byte[] seed = new byte[SeededComponent.SEED_BYTES];
        Measure.Comparison e = m.compare(2, raw, () -> new SeededComponent(0, LENGTH, seed).toArray()[7]);
        System.out.printf(
                "  context: SeededComponent.toArray 1M into a new int[] %6.2f ms = %s of raw%n",
                e.seconds() * 1e3, Measure.pct(e.floorOverOp()));
        // context: the key stream as the sharer consumes it, 32 KiB at a time into a cache-resident buffer
        Measure.Comparison k = m.compare(2, raw, chunkedPrg());
        System.out.printf(
                "  context: AES-256-CTR into a reused 32 KiB buffer %,8.0f MB/s = %s of raw%n",
                4e-6 * LENGTH / k.seconds(), Measure.pct(k.floorOverOp()));
        // decomposition of compressed sharing (3 parties) into its two halves, each measured alone
        IntSupplier streamsAlone = twoKeyStreamsAsInts();
        Measure.Comparison ks = m.compare(2, raw, streamsAlone);
        System.out.printf(
                "  part (scalar kernel): 2 key streams in 16 KiB chunks, as ints %6.2f ms = %s of raw (2 streams)%n",
                ks.seconds() * 1e3, Measure.pct(2 * ks.floorOverOp()));
        int[] out = new int[LENGTH];
        int[] cached = new int[CHUNK];
        int[] t = new int[CHUNK];
        Measure.Comparison mem = m.compare(2, raw, () -> {
            for (int off = 0; off < LENGTH; off += CHUNK) {
                int n = Math.min(CHUNK, LENGTH - off);
                System.arraycopy(secret, off, t, 0, n);
                for (int i = 0; i < n; i++) {
                    t[i] -= cached[i];
                }
                System.arraycopy(t, 0, out, off, n);
            }
            return out[4321];
        });
        System.out.printf(
                "  part (scalar kernel): secret -> last in 16 KiB chunks, no AES   %6.2f ms%n", mem.seconds() * 1e3);
        // the memory traffic full-size sharing cannot avoid (read the secret, write three 4 MB components),
        // with the JVM's fastest copy and no arithmetic: what AES must be added to when the two cannot overlap
        int[][] three = new int[3][LENGTH];
        Measure.Comparison traffic = m.compare(2, raw, () -> {
            for (int[] component : three) {
                System.arraycopy(secret, 0, component, 0, LENGTH);
            }
            return three[2][4321];
        });
        System.out.printf(
                "  part: full-size memory traffic alone (3 x arraycopy of the secret) %6.2f ms"
                        + " = %.1f floor-times%n",
                traffic.seconds() * 1e3, 1 / traffic.floorOverOp());
        double compressed = Math.min(worst[Form.INTS.ordinal()][1], worst[Form.ENCODED.ordinal()][1]);
        double fullEncoded = worst[Form.ENCODED.ordinal()][0];
        double fullInts = worst[Form.INTS.ordinal()][0];
        System.out.println("  compressed sharing (VectorSharer, int[] or encoding layout): worst "
                + Measure.pct(compressed) + " of the raw PRG rate, " + Measure.verdict(compressed, 0.5));
        System.out.println("  full-size sharing into the encoding layout (VectorSharer, byte[]): worst "
                + Measure.pct(fullEncoded) + " of the raw PRG rate, " + Measure.verdict(fullEncoded, 0.5));
        System.out.println("  full-size sharing into int[] components (VectorSharer): worst " + Measure.pct(fullInts)
                + " of the raw PRG rate, " + Measure.verdict(fullInts, 0.5) + " (bound by writing 12 MB: see part)");
        System.out.println("  allocating share/shareCompressed (a fresh 4 MB array per component): worst "
                + Measure.pct(Math.min(worst[Form.ALLOCATING.ordinal()][0], worst[Form.ALLOCATING.ordinal()][1]))
                + " of the raw PRG rate");
        double worstOfAll = Math.min(compressed, Math.min(fullEncoded, fullInts));
        System.out.println("  vector sharing (VectorSharer, every layout and mode): worst " + Measure.pct(worstOfAll)
                + " of the raw PRG rate, " + Measure.verdict(worstOfAll, 0.5));
        return worstOfAll;
    }

    /** Where the shares go. */
    private enum Form {
        INTS("int[]"),
        ENCODED("encoded"),
        ALLOCATING("allocating");

        final String label;

        Form(String label) {
            this.label = label;
        }
    }
}
