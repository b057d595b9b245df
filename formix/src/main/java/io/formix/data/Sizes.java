package io.formix.data;

import java.util.Locale;

/** Byte sizes for people ("1.0 GiB") and from them ("16m", "1g", "4096"). */
public final class Sizes {

    private Sizes() {}

    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Parses {@code 4096}, {@code 64k}, {@code 16m}, {@code 1g} (powers of 1024); fails in one line. */
    public static long parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (!t.isEmpty()) {
            char last = t.charAt(t.length() - 1);
            int shift = switch (last) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                default -> 0;
            };
            if (shift > 0) {
                mult = 1L << shift;
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0 || n > (1L << 40) / mult) {
                throw new NumberFormatException();
            }
            return n * mult;
        } catch (NumberFormatException e) {
            throw new DataException("'" + s + "' is not a size (e.g. 4096, 64k, 16m, 1g; at most 1024g)");
        }
    }
}
