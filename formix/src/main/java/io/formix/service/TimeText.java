package io.formix.service;

/** Durations as people read them in messages: {@code 7s}, {@code 2m5s}. */
public final class TimeText {

    private TimeText() {}

    /** {@code ms} rounded up to whole seconds; {@code 0s} for a negative span. */
    public static String human(long ms) {
        if (ms < 0) {
            return "0s";
        }
        long s = (ms + 999) / 1000;
        return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}
