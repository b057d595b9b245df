package io.formix.transport;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a party in a Formix network.
 *
 * <p>A party id matches {@code [a-z0-9][a-z0-9-]{0,62}}: lower-case ASCII letters, digits and
 * {@code -}, starting with a letter or digit, at most 63 characters. Numeric ids such as
 * {@code 0}, {@code 1}, {@code 2} (the pids of sbproxy) are valid. Ids never contain {@code _},
 * so a channel folder named {@code <from>_to_<to>} parses one way only, and never contain
 * {@code /}, {@code .} or upper case, so an id is always safe to use as a path segment on every
 * file system. Validation happens here, once, before an id can reach a path.
 *
 * <p>Instances are immutable, compare by value, and order by their string form.
 */
public final class PartyId implements Comparable<PartyId> {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final String value;

    private PartyId(String value) {
        this.value = value;
    }

    /**
     * Parses and validates a party id.
     *
     * @throws IllegalArgumentException if {@code value} is not a valid id; the message quotes
     *     the offending value (truncated) and states the rule
     */
    public static PartyId of(String value) {
        Objects.requireNonNull(value, "party id");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid party id '" + printable(value)
                    + "': expected 1-63 characters of [a-z0-9-], starting with a letter or digit");
        }
        return new PartyId(value);
    }

    /** Returns the id of the numeric party {@code pid} ({@code "0"}, {@code "1"} ...). */
    public static PartyId ofPid(int pid) {
        if (pid < 0) {
            throw new IllegalArgumentException("pid must be >= 0, got " + pid);
        }
        return new PartyId(Integer.toString(pid));
    }

    /** Returns {@code true} if {@code value} is a valid party id. */
    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    /** The id as a string, safe to use as a file name. */
    public String value() {
        return value;
    }

    @Override
    public int compareTo(PartyId other) {
        return value.compareTo(other.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartyId other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }

    private static String printable(String s) {
        String cut = s.length() > 70 ? s.substring(0, 70) + "..." : s;
        StringBuilder b = new StringBuilder(cut.length());
        for (char c : cut.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
