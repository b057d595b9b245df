package io.formix.data;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A decimal number parsed from text without binary floating point: {@code unscaled · 10^-scale},
 * held in a {@code long} when it has at most 18 digits, else in a {@link BigDecimal}. Mutable and
 * reused row after row, so that reading a million numbers allocates nothing on the common path.
 *
 * <p>Accepted text: optional ASCII spaces, an optional sign, digits with at most one {@code .}
 * (at least one digit). No exponent, no thousands separator, no locale.
 */
public final class DecimalCell {

    static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private long unscaled;
    private int scale;
    private BigDecimal big;

    /** Parses {@code text[from, to)}; false (and this cell unchanged in meaning) if it is not a number. */
    public boolean parse(char[] text, int from, int to) {
        while (from < to && text[from] == ' ') {
            from++;
        }
        while (to > from && text[to - 1] == ' ') {
            to--;
        }
        if (from == to) {
            return false;
        }
        int i = from;
        boolean negative = false;
        if (text[i] == '-' || text[i] == '+') {
            negative = text[i] == '-';
            i++;
        }
        long u = 0;
        int digits = 0;
        int sc = -1;
        for (; i < to; i++) {
            char c = text[i];
            if (c >= '0' && c <= '9') {
                if (digits < 18) {
                    u = u * 10 + (c - '0');
                }
                if (u != 0 || digits > 0) {
                    digits++; // leading zeros do not count
                }
                if (sc >= 0) {
                    sc++;
                }
            } else if (c == '.' && sc < 0) {
                sc = 0;
            } else {
                return false;
            }
        }
        int body = to - from - (text[from] == '-' || text[from] == '+' ? 1 : 0) - (sc >= 0 ? 1 : 0);
        if (body == 0) {
            return false; // "", "-", "."
        }
        if (digits > 18) {
            big = new BigDecimal(new String(text, from, to - from).replace("+", ""));
            return true;
        }
        big = null;
        unscaled = negative ? -u : u;
        scale = Math.max(sc, 0);
        return true;
    }

    /** Parses {@code text}; false if it is not a number. */
    public boolean parse(String text) {
        return parse(text.toCharArray(), 0, text.length());
    }

    /** This number, exactly. */
    public BigDecimal toBigDecimal() {
        return big != null ? big : BigDecimal.valueOf(unscaled, scale);
    }

    /** Whether this number has no fractional part. */
    public boolean isInteger() {
        if (big != null) {
            return big.signum() == 0 || big.stripTrailingZeros().scale() <= 0;
        }
        return scale == 0 || unscaled % POW10[Math.min(scale, 18)] == 0;
    }

    /** Compares with {@code c}: negative, zero or positive as this number is below, equal to or above it. */
    public int compareTo(Constant c) {
        if (big == null && c.fast) {
            if (scale == c.scale) {
                return Long.compare(unscaled, c.unscaled);
            }
            if (scale < c.scale) {
                int d = c.scale - scale;
                if (d <= 18 && Math.abs(unscaled) <= Long.MAX_VALUE / POW10[d]) {
                    return Long.compare(unscaled * POW10[d], c.unscaled);
                }
            } else {
                int d = scale - c.scale;
                if (d <= 18 && Math.abs(c.unscaled) <= Long.MAX_VALUE / POW10[d]) {
                    return Long.compare(unscaled, c.unscaled * POW10[d]);
                }
            }
        }
        return toBigDecimal().compareTo(c.value);
    }

    /**
     * {@code round(x · 10^decimals)}, half away from zero (as {@link RoundingMode#HALF_UP});
     * {@link ArithmeticException} if it does not fit a {@code long}.
     */
    public long scaled(int decimals) {
        if (big == null) {
            if (scale <= decimals) {
                int d = decimals - scale;
                if (d <= 18 && Math.abs(unscaled) <= Long.MAX_VALUE / POW10[d]) {
                    return unscaled * POW10[d];
                }
            } else if (scale - decimals <= 18) {
                long p = POW10[scale - decimals];
                long q = unscaled / p;
                long r = Math.abs(unscaled % p);
                if (r >= p - r) { // 2r >= p, without overflow
                    q += Long.signum(unscaled);
                }
                return q;
            }
        }
        return toBigDecimal()
                .movePointRight(decimals)
                .setScale(0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    @Override
    public String toString() {
        return toBigDecimal().toPlainString();
    }

    /** A decimal constant of a query (an edge, a bound, a comparison value), ready for fast comparison. */
    public static final class Constant {
        final BigDecimal value;
        final boolean fast;
        final long unscaled;
        final int scale;

        public Constant(BigDecimal value) {
            this.value = value;
            BigDecimal v = value.scale() < 0 ? value.setScale(0) : value;
            BigInteger u = v.unscaledValue();
            this.fast = u.bitLength() < 63 && v.scale() <= 18;
            this.unscaled = fast ? u.longValue() : 0;
            this.scale = fast ? v.scale() : 0;
        }

        public BigDecimal value() {
            return value;
        }
    }
}
