package io.formix.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecoderTest {

    static Aggregate agg(String json) {
        return QueryParser.parse("{\"dataset\":\"d\",\"aggregate\":" + json + "}")
                .aggregate();
    }

    @Test
    void negativeTotalsInTwosComplementDecodeExactly() {
        Aggregate sum = agg("{\"type\":\"sum\",\"column\":\"x\",\"min\":-5,\"max\":5,\"decimals\":2}");
        long a = 350;
        long b = -500; // as a node shares it: the ring element 2^64 − 500
        assertEquals("-1.50", Decoder.decode(sum, new long[] {a + b}, 2).toString());
        assertEquals("0.00", Decoder.decode(sum, new long[] {0}, 2).toString());
        Aggregate mean = agg("{\"type\":\"mean\",\"column\":\"x\",\"min\":0,\"max\":9}");
        assertEquals(
                "{\"sum\":0,\"count\":0,\"mean\":null}",
                Decoder.decode(mean, new long[] {0, 0}, 3).toString());
        assertEquals(
                "{\"sum\":2,\"count\":3,\"mean\":0.67}",
                Decoder.decode(mean, new long[] {2, 3}, 3).toString());
    }

    @Test
    void vectorsNeverUseExponentNotation() {
        Aggregate v = agg("{\"type\":\"vector\",\"length\":2,\"clip\":1,\"fractionalBits\":30}");
        assertEquals(
                "{\"sum\":[0.000000000931322574615478515625,-1],\"mean\":[0.000000000931322574615478515625,-1]}",
                Decoder.decode(v, new long[] {1, -(1L << 30)}, 1).toString());
    }

    @Test
    void theWidthMustMatch() {
        Aggregate h = new Aggregate.Histogram("x", List.of(BigDecimal.ONE), null);
        assertEquals(
                "{\"edges\":[1],\"counts\":[4],\"below\":2,\"missing\":1}",
                Decoder.decode(h, new long[] {4, 2, 1}, 1).toString());
        assertThrows(QueryException.class, () -> Decoder.decode(h, new long[] {4, 2}, 1));
    }
}
