package io.formix.query;

import java.util.List;

/**
 * One {@code where} term: {@code column op value}; {@code values} holds one value, or the list of
 * {@code in}. Each value is a {@link java.math.BigDecimal} (a JSON number) or a {@link String}.
 */
public record Term(String column, Op op, List<Object> values) {
    public Term {
        values = List.copyOf(values);
    }

    boolean numeric() {
        return values.get(0) instanceof java.math.BigDecimal;
    }
}
