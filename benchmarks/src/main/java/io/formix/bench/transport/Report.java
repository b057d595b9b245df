package io.formix.bench.transport;

import java.util.Locale;

/** Prints benchmark rows: what was measured, the figure, the floor from the same run, the ratio and the target. */
final class Report {
    private int misses;

    void header(String title) {
        System.out.println();
        System.out.println("== " + title);
        System.out.printf(
                Locale.ROOT, "%-46s %14s %14s %8s  %s%n", "measurement", "figure", "raw floor", "ratio", "target");
    }

    /**
     * A throughput row: medians of alternating runs; met when the median ratio >= minRatio.
     */
    void higherIsBetter(String name, Workloads.Paired p, String unit, double minRatio) {
        double figure = p.figure();
        double floor = p.floor();
        double ratio = p.ratio();
        String target = minRatio > 0
                ? String.format(Locale.ROOT, ">= %.0f%% of floor: %s", minRatio * 100, verdict(ratio >= minRatio))
                : "-";
        System.out.printf(
                Locale.ROOT,
                "%-46s %14s %14s %7.0f%%  %s%n",
                name,
                fmt(figure, unit),
                fmt(floor, unit),
                ratio * 100,
                target);
    }

    /** A latency row: ratio = figure / floor; met when figure <= maxAbsolute (if > 0) and ratio <= maxRatio (if > 0). */
    void latency(String name, long figureNanos, long floorNanos, long maxAbsoluteNanos, double maxRatio) {
        double ratio = (double) figureNanos / floorNanos;
        StringBuilder target = new StringBuilder();
        boolean ok = true;
        if (maxAbsoluteNanos > 0) {
            target.append(String.format(Locale.ROOT, "<= %.1f ms", maxAbsoluteNanos / 1e6));
            ok &= figureNanos <= maxAbsoluteNanos;
        }
        if (maxRatio > 0) {
            target.append(target.length() > 0 ? ", " : "")
                    .append(String.format(Locale.ROOT, "<= %.1fx floor", maxRatio));
            ok &= ratio <= maxRatio;
        }
        String t = target.length() == 0 ? "-" : target + ": " + verdict(ok);
        System.out.printf(Locale.ROOT, "%-46s %14s %14s %7.2fx  %s%n", name, us(figureNanos), us(floorNanos), ratio, t);
    }

    /** A row with a figure and a plain target ({@code null}: informational, no verdict). */
    void plain(String name, String figure, String floor, String target, boolean met) {
        String t = target == null ? "-" : target + ": " + verdict(met);
        System.out.printf(Locale.ROOT, "%-46s %14s %14s %8s  %s%n", name, figure, floor, "", t);
    }

    int misses() {
        return misses;
    }

    private String verdict(boolean ok) {
        if (!ok) {
            misses++;
        }
        return ok ? "met" : "MISSED";
    }

    private static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }

    private static String fmt(double v, String unit) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f %s", v, unit);
        }
        return String.format(Locale.ROOT, "%.1f %s", v, unit);
    }
}
