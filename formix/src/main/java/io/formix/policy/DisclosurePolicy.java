package io.formix.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.formix.transport.PartyId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The disclosure controls a light node's owner set, each {@code null} while it is off (every
 * control is off until the owner sets it). {@link PolicyCheck} applies them to one proposal and the
 * answer the node would send.
 *
 * @param minThreshold decline a threshold below this
 * @param minRows      decline when 0 &lt; contributing rows &lt; this
 * @param minCell      decline a histogram with a cell holding 1..minCell−1 rows
 * @param columns      the only columns a query may read (in {@code where} or its aggregate)
 * @param types        the only aggregate types answered ({@code count}, {@code sum}, …)
 * @param proposers    the only proposers (party uids) answered
 * @param maxPerDay    at most this many answered computations per dataset per UTC day
 * @param maxEpsilon   answer only differentially private queries, while their ε on a dataset adds up to at most this
 */
public record DisclosurePolicy(
        Long minThreshold,
        Long minRows,
        Long minCell,
        List<String> columns,
        List<String> types,
        List<String> proposers,
        Long maxPerDay,
        BigDecimal maxEpsilon) {

    /** The aggregate types a query can have. */
    public static final List<String> TYPES = List.of("count", "sum", "mean", "histogram", "vector", "choice");
    /** At most this many entries in a list control. */
    public static final int MAX_LIST = 1000;
    /** The largest number a numeric control takes. */
    public static final long MAX_NUMBER = 1_000_000_000L;
    /** The largest ε budget. */
    public static final BigDecimal MAX_EPSILON_VALUE = new BigDecimal(1000);

    /** Every control off: the default of every node. */
    public static final DisclosurePolicy OFF = new DisclosurePolicy(null, null, null, null, null, null, null, null);

    /**
     * The network-wide recommended set ({@code --recommended}): threshold at least 3 (DataSHIELD's
     * {@code nfilter.tab}), at least 5 contributing rows and histogram cells of at least 5 (vantage6's
     * {@code SUMMARY_MINIMUM_ROWS} and {@code CROSSTAB_PRIVACY_THRESHOLD}), at most 20 computations
     * per dataset per day. Columns, types, proposers and ε stay off: they depend on the owner's data.
     */
    public static final DisclosurePolicy RECOMMENDED = new DisclosurePolicy(3L, 5L, 5L, null, null, null, 20L, null);

    private static final ObjectMapper JSON = new ObjectMapper();

    public DisclosurePolicy {
        positive(Control.MIN_THRESHOLD, minThreshold);
        positive(Control.MIN_ROWS, minRows);
        positive(Control.MIN_CELL, minCell);
        positive(Control.MAX_PER_DAY, maxPerDay);
        columns = list(Control.COLUMNS, columns);
        types = list(Control.TYPES, types);
        proposers = list(Control.PROPOSERS, proposers);
        if (columns != null) {
            for (String c : columns) {
                if (c.isBlank() || c.length() > 256) {
                    throw new PolicyException("--columns: '" + clip(c) + "' is not a column name (1..256 characters)");
                }
            }
        }
        if (types != null) {
            for (String t : types) {
                if (!TYPES.contains(t)) {
                    throw new PolicyException(
                            "--types: '" + clip(t) + "' is not an answer type — use " + String.join(", ", TYPES));
                }
            }
        }
        if (proposers != null) {
            for (String p : proposers) {
                if (!PartyId.isValid(p)) {
                    throw new PolicyException(
                            "--proposers: '" + clip(p) + "' is not a node uid (1-63 of a-z, 0-9 and -)");
                }
            }
        }
        if (maxEpsilon != null) {
            if (maxEpsilon.signum() <= 0 || maxEpsilon.compareTo(MAX_EPSILON_VALUE) > 0 || maxEpsilon.scale() > 18) {
                throw new PolicyException("--max-epsilon must be a number above 0 and at most " + MAX_EPSILON_VALUE
                        + " with at most 18 decimals, not " + maxEpsilon.toPlainString());
            }
            maxEpsilon = maxEpsilon.stripTrailingZeros();
            if (maxEpsilon.scale() < 0) {
                maxEpsilon = maxEpsilon.setScale(0);
            }
        }
    }

    private static void positive(Control c, Long v) {
        if (v != null && (v < 1 || v > MAX_NUMBER)) {
            throw new PolicyException("--" + c.label() + " must be between 1 and " + MAX_NUMBER + ", not " + v);
        }
    }

    private static List<String> list(Control c, List<String> v) {
        if (v == null) {
            return null;
        }
        if (v.isEmpty()) {
            throw new PolicyException(
                    "--" + c.label() + " needs at least one entry (turn it off with --off " + c.label() + ")");
        }
        if (v.size() > MAX_LIST) {
            throw new PolicyException("--" + c.label() + " takes at most " + MAX_LIST + " entries, not " + v.size());
        }
        for (String s : v) {
            if (s == null) {
                throw new PolicyException("--" + c.label() + ": an empty entry");
            }
        }
        return List.copyOf(new LinkedHashSet<>(v));
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** Whether control {@code c} is set. */
    public boolean isOn(Control c) {
        return value(c) != null;
    }

    /** The value of control {@code c}, or {@code null} when it is off. */
    public Object value(Control c) {
        return switch (c) {
            case MIN_THRESHOLD -> minThreshold;
            case MIN_ROWS -> minRows;
            case MIN_CELL -> minCell;
            case COLUMNS -> columns;
            case TYPES -> types;
            case PROPOSERS -> proposers;
            case MAX_PER_DAY -> maxPerDay;
            case MAX_EPSILON -> maxEpsilon;
        };
    }

    /** The controls that are off, in their order. */
    public List<Control> off() {
        List<Control> off = new ArrayList<>();
        for (Control c : Control.values()) {
            if (!isOn(c)) {
                off.add(c);
            }
        }
        return off;
    }

    /** This policy with control {@code c} set to {@code value} ({@code null} turns it off). */
    @SuppressWarnings("unchecked")
    public DisclosurePolicy with(Control c, Object value) {
        return new DisclosurePolicy(
                c == Control.MIN_THRESHOLD ? (Long) value : minThreshold,
                c == Control.MIN_ROWS ? (Long) value : minRows,
                c == Control.MIN_CELL ? (Long) value : minCell,
                c == Control.COLUMNS ? (List<String>) value : columns,
                c == Control.TYPES ? (List<String>) value : types,
                c == Control.PROPOSERS ? (List<String>) value : proposers,
                c == Control.MAX_PER_DAY ? (Long) value : maxPerDay,
                c == Control.MAX_EPSILON ? (BigDecimal) value : maxEpsilon);
    }

    /** This policy with every control that {@code other} sets taken from {@code other}. */
    public DisclosurePolicy overlay(DisclosurePolicy other) {
        DisclosurePolicy p = this;
        for (Control c : Control.values()) {
            if (other.isOn(c)) {
                p = p.with(c, other.value(c));
            }
        }
        return p;
    }

    /** What control {@code c} does as set here, in a few words ({@code "decline when 0 < rows < 5"}), or {@code "off"}. */
    public String describe(Control c) {
        if (!isOn(c)) {
            return "off";
        }
        return switch (c) {
            case MIN_THRESHOLD -> "decline a threshold below " + minThreshold;
            case MIN_ROWS -> "decline when 0 < contributing rows < " + minRows;
            case MIN_CELL -> "decline a histogram with a cell of 1.." + (minCell - 1) + " rows";
            case COLUMNS -> "only columns " + String.join(", ", columns);
            case TYPES -> "only " + String.join(", ", types);
            case PROPOSERS -> "only proposals from " + String.join(", ", proposers);
            case MAX_PER_DAY ->
                "at most " + maxPerDay + " computation" + (maxPerDay == 1 ? "" : "s") + " per dataset per UTC day";
            case MAX_EPSILON ->
                "only differentially private queries, at most ε " + maxEpsilon.toPlainString() + " in all per dataset";
        };
    }

    /** The stored form: {@code {"min-threshold": 3, …}} with only the controls that are on. */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        for (Control c : Control.values()) {
            Object v = value(c);
            if (v instanceof Long l) {
                n.put(c.label(), l);
            } else if (v instanceof BigDecimal b) {
                n.put(c.label(), b.toPlainString());
            } else if (v instanceof List<?> l) {
                ArrayNode a = n.putArray(c.label());
                l.forEach(s -> a.add((String) s));
            }
        }
        return n.toString();
    }

    /** Reads {@link #toJson()}; a {@link PolicyException} if it is not one. */
    public static DisclosurePolicy fromJson(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            DisclosurePolicy p = OFF;
            for (Control c : Control.values()) {
                JsonNode v = n.get(c.label());
                if (v == null || v.isNull()) {
                    continue;
                }
                Object value = switch (c) {
                    case MIN_THRESHOLD, MIN_ROWS, MIN_CELL, MAX_PER_DAY -> {
                        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                            throw new PolicyException(c.label() + " is not a whole number");
                        }
                        yield v.asLong();
                    }
                    case MAX_EPSILON -> new BigDecimal(v.asText());
                    case COLUMNS, TYPES, PROPOSERS -> {
                        List<String> l = new ArrayList<>();
                        v.forEach(e -> l.add(e.asText()));
                        yield l;
                    }
                };
                p = p.with(c, value);
            }
            return p;
        } catch (PolicyException | com.fasterxml.jackson.core.JsonProcessingException | NumberFormatException e) {
            throw new PolicyException("the disclosure policy in node.db is unreadable ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + ") — set it again with formix node policy");
        }
    }

    /** The set of {@link #columns}, or {@code null}. */
    Set<String> columnSet() {
        return columns == null ? null : Set.copyOf(columns);
    }
}
