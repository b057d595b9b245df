package io.formix.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DecimalCellTest {

    @Test
    void parsesPlainDecimalsExactlyAndRefusesTheRest() {
        DecimalCell c = new DecimalCell();
        assertTrue(c.parse(" -12.50 "));
        assertEquals(new BigDecimal("-12.50"), c.toBigDecimal());
        assertTrue(c.parse("123456789012345678901234.5"));
        assertEquals(new BigDecimal("123456789012345678901234.5"), c.toBigDecimal());
        for (String bad : new String[] {"", " ", "-", ".", "1e3", "1,5", "abc", "1.2.3", "0x10", "NaN"}) {
            assertFalse(c.parse(bad), bad);
        }
        assertTrue(c.parse(".5"));
        assertEquals(new BigDecimal("0.5"), c.toBigDecimal());
    }

    @Test
    void scalesWithHalfUpRoundingAndComparesAcrossScales() {
        DecimalCell c = new DecimalCell();
        c.parse("2.345");
        assertEquals(235, c.scaled(2));
        c.parse("-2.345");
        assertEquals(-235, c.scaled(2), "half away from zero");
        c.parse("4000000000");
        assertEquals(400_000_000_000L, c.scaled(2));
        c.parse("99999999999999999999");
        assertThrows(ArithmeticException.class, () -> c.scaled(0));
        c.parse("65.0");
        assertEquals(0, c.compareTo(new DecimalCell.Constant(new BigDecimal("65"))));
        assertTrue(c.compareTo(new DecimalCell.Constant(new BigDecimal("64.99"))) > 0);
        assertTrue(c.compareTo(new DecimalCell.Constant(new BigDecimal("1E+30"))) < 0);
        assertTrue(c.isInteger());
        c.parse("0.1");
        assertFalse(c.isInteger());
    }
}
