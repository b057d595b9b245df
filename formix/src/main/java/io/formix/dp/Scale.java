package io.formix.dp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/** A positive fraction {@code numerator/denominator}, kept exact: the scale of a noise distribution. */
public record Scale(BigInteger numerator, BigInteger denominator) {

    public Scale {
        if (numerator.signum() <= 0 || denominator.signum() <= 0) {
            throw new IllegalArgumentException("a scale is a positive fraction, not " + numerator + "/" + denominator);
        }
        BigInteger g = numerator.gcd(denominator);
        numerator = numerator.divide(g);
        denominator = denominator.divide(g);
    }

    /** {@code sensitivity / epsilon}, exactly. */
    public static Scale of(BigInteger sensitivity, BigDecimal epsilon) {
        BigDecimal e = epsilon.stripTrailingZeros();
        if (e.scale() >= 0) {
            return new Scale(sensitivity.multiply(BigInteger.TEN.pow(e.scale())), e.unscaledValue());
        }
        return new Scale(sensitivity, e.unscaledValue().multiply(BigInteger.TEN.pow(-e.scale())));
    }

    /** The scale as a decimal: exact when it has at most 12 decimals, else 12 significant digits. */
    public BigDecimal decimal() {
        BigDecimal n = new BigDecimal(numerator);
        BigDecimal d = new BigDecimal(denominator);
        try {
            BigDecimal exact = n.divide(d);
            if (exact.scale() <= 12) {
                return exact.stripTrailingZeros().scale() < 0 ? exact.setScale(0) : exact.stripTrailingZeros();
            }
        } catch (ArithmeticException nonTerminating) {
            // falls through to the rounded form
        }
        return n.divide(d, new MathContext(12, RoundingMode.HALF_UP));
    }

    /** {@code "7"} or {@code "10/3"}. */
    @Override
    public String toString() {
        return denominator.equals(BigInteger.ONE) ? numerator.toString() : numerator + "/" + denominator;
    }
}
