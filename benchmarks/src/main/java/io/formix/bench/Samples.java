package io.formix.bench;

import java.util.Arrays;

/** A growable array of nanosecond samples with percentile summaries. Not thread-safe. */
public final class Samples {
    private long[] values = new long[1024];
    private int size;

    public void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    /** Adds every sample of {@code other}. */
    public void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    public int size() {
        return size;
    }

    /** The {@code p}-th percentile (0..100) in nanoseconds, nearest-rank. */
    public long percentile(double p) {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, rank))];
    }

    /** Formats nanoseconds as microseconds with one decimal. */
    public static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1_000.0);
    }
}
