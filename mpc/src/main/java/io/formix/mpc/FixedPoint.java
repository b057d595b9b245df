package io.formix.mpc;

/**
 * Fixed-point encoding of {@code double}s into Z/2^32 for summing, checked up front so the sum can
 * never wrap.
 *
 * <p>A value {@code x} encodes as {@code round(x · 2^f)} in two's complement ({@code f} fractional
 * bits, round half up), so the resolution is {@code 2^-f}. A configuration names the number of
 * contributors {@code n} and a bound {@code B} on {@code |x|}; with {@code M = round(B · 2^f)} the
 * largest encoded magnitude, every sum of at most {@code n} encoded values lies in
 * {@code [-n·M, n·M]}, which must fit a signed 32-bit integer: {@code n · M ≤ 2^31 − 1}. {@link #forSum}
 * refuses any configuration that breaks this, and {@link #encode} refuses values beyond the bound,
 * so a decoded sum is always the exact sum of the encoded values.
 *
 * <p>Immutable and thread-safe.
 */
public final class FixedPoint {

    /** Most fractional bits accepted (a bound of 1 then allows one contributor). */
    public static final int MAX_FRACTIONAL_BITS = 30;

    private final int fractionalBits;
    private final double maxAbs;
    private final int contributors;
    private final double scale;
    private final int maxEncoded;

    private FixedPoint(int fractionalBits, double maxAbs, int contributors, int maxEncoded) {
        this.fractionalBits = fractionalBits;
        this.maxAbs = maxAbs;
        this.contributors = contributors;
        this.scale = Math.scalb(1.0, fractionalBits);
        this.maxEncoded = maxEncoded;
    }

    /**
     * A fixed-point format for summing at most {@code contributors} values of magnitude at most
     * {@code maxAbs} with {@code fractionalBits} fractional bits.
     *
     * @throws IllegalArgumentException if {@code fractionalBits} is not in 0..30, {@code maxAbs} is not
     *     finite and positive, {@code contributors < 1}, or the sum could wrap (the message gives the
     *     numbers and the largest contributor count that would fit)
     */
    public static FixedPoint forSum(int fractionalBits, double maxAbs, int contributors) {
        int m = maxEncoded(fractionalBits, maxAbs);
        if (contributors < 1) {
            throw new IllegalArgumentException("contributors must be >= 1, got " + contributors);
        }
        long worst = (long) contributors * m;
        if (worst > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a sum of " + contributors + " values bounded by " + maxAbs
                    + " with " + fractionalBits + " fractional bits could wrap: " + contributors + " x " + m
                    + " = " + worst + " > 2^31-1 = " + Integer.MAX_VALUE + ". At most " + (Integer.MAX_VALUE / m)
                    + " contributors fit; lower the fractional bits or the bound for more");
        }
        return new FixedPoint(fractionalBits, maxAbs, contributors, m);
    }

    /**
     * The largest contributor count {@link #forSum} accepts for this precision and bound.
     *
     * @throws IllegalArgumentException if even one value would not fit, or the arguments are out of range
     */
    public static int maxContributors(int fractionalBits, double maxAbs) {
        return Integer.MAX_VALUE / maxEncoded(fractionalBits, maxAbs);
    }

    /** {@code round(maxAbs · 2^f)}, checked to fit one signed int and be at least 1. */
    private static int maxEncoded(int fractionalBits, double maxAbs) {
        if (fractionalBits < 0 || fractionalBits > MAX_FRACTIONAL_BITS) {
            throw new IllegalArgumentException(
                    "fractional bits must be in 0.." + MAX_FRACTIONAL_BITS + ", got " + fractionalBits);
        }
        if (!(maxAbs > 0) || Double.isInfinite(maxAbs)) {
            throw new IllegalArgumentException("the bound must be finite and > 0, got " + maxAbs);
        }
        double scaled = Math.scalb(maxAbs, fractionalBits);
        if (scaled >= Integer.MAX_VALUE + 0.5) {
            throw new IllegalArgumentException("bound " + maxAbs + " with " + fractionalBits
                    + " fractional bits encodes to " + scaled + ", beyond 2^31-1 even for one contributor");
        }
        long m = Math.round(scaled);
        if (m < 1) {
            throw new IllegalArgumentException("bound " + maxAbs + " is below the resolution 2^-" + fractionalBits);
        }
        return (int) m;
    }

    /** Fractional bits {@code f}. */
    public int fractionalBits() {
        return fractionalBits;
    }

    /** The bound on {@code |x|}. */
    public double maxAbs() {
        return maxAbs;
    }

    /** The most contributors whose sum this format guarantees not to wrap. */
    public int contributors() {
        return contributors;
    }

    /** Largest encoded magnitude {@code M = round(maxAbs · 2^f)}. */
    public int maxEncoded() {
        return maxEncoded;
    }

    /** Resolution {@code 2^-f}: encoding error is at most half of it. */
    public double resolution() {
        return 1.0 / scale;
    }

    /**
     * {@code round(x · 2^f)} as an element of Z/2^32.
     *
     * @throws IllegalArgumentException if {@code x} is NaN, infinite or beyond the bound
     */
    public int encode(double x) {
        if (!(Math.abs(x) <= maxAbs)) {
            throw new IllegalArgumentException("value " + x + " is outside [-" + maxAbs + ", " + maxAbs
                    + "] this fixed-point format was checked for");
        }
        return (int) Math.round(x * scale);
    }

    /** Encodes each element; see {@link #encode(double)}. Nothing is returned if any element is refused. */
    public int[] encode(double[] xs) {
        int[] out = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = encode(xs[i]);
        }
        return out;
    }

    /** The value of a signed fixed-point element: one encoded value or a sum of at most {@link #contributors()}. */
    public double decode(int v) {
        return v / scale;
    }

    /** Decodes each element; see {@link #decode(int)}. */
    public double[] decode(int[] vs) {
        double[] out = new double[vs.length];
        for (int i = 0; i < vs.length; i++) {
            out[i] = vs[i] / scale;
        }
        return out;
    }

    /**
     * The mean of {@code count} contributions whose sum is {@code sum}.
     *
     * @throws IllegalArgumentException if {@code count} is not in 1..{@link #contributors()}
     */
    public double decodeMean(int sum, int count) {
        checkCount(count);
        return sum / scale / count;
    }

    /**
     * The element-wise mean of {@code count} contributions whose sums are {@code sums}, e.g. a
     * federated-learning update averaged over the contributors of a {@link PartialSum}.
     *
     * @throws IllegalArgumentException if {@code count} is not in 1..{@link #contributors()}: a sum
     *     over more contributors than the format was checked for may have wrapped
     */
    public double[] decodeMean(int[] sums, int count) {
        checkCount(count);
        double[] out = new double[sums.length];
        double divisor = scale * count;
        for (int i = 0; i < sums.length; i++) {
            out[i] = sums[i] / divisor;
        }
        return out;
    }

    private void checkCount(int count) {
        if (count < 1 || count > contributors) {
            throw new IllegalArgumentException("count must be in 1.." + contributors + " (the contributors this format"
                    + " was checked for), got " + count + ": the sum may have wrapped");
        }
    }

    @Override
    public String toString() {
        return "FixedPoint[f=" + fractionalBits + ", |x|<=" + maxAbs + ", contributors<=" + contributors + "]";
    }
}
