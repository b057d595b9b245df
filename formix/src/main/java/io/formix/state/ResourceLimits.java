package io.formix.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.stream.Stream;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Names the limit of this machine that a failure ran into, in one line with what to raise: the
 * process's open files ({@code ulimit -n}), inotify watches or instances, the disk. A host of
 * thousands of nodes meets these first; a failure that is not about a limit is left alone
 * ({@link #explain} returns null).
 */
public final class ResourceLimits {

    /** Below the limit by at most this many descriptors counts as "at the limit" (SQLite hides errno). */
    private static final long NEAR = 32;

    private ResourceLimits() {}

    /**
     * The one-line explanation of {@code t} when one of its causes is a resource limit, else null.
     * {@code where} names the file or folder involved (for the disk), or is null.
     */
    public static String explain(Throwable t, Path where) {
        if (tooManyOpenFiles(t)) {
            return tooManyOpenFiles(openFileLimit());
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            // The JDK's words: "User limit of inotify instances reached or too many open files",
            // "User limit of inotify watches reached".
            if (m.contains("inotify instance")) {
                return "inotify instances exhausted (limit " + sysctl("max_user_instances") + "): raise "
                        + "fs.inotify.max_user_instances (sysctl) or run fewer host processes";
            }
            if (m.contains("inotify watch")) {
                return "inotify watches exhausted (limit " + sysctl("max_user_watches") + "): raise "
                        + "fs.inotify.max_user_watches (sysctl) or host fewer nodes per machine";
            }
        }
        if (StateErrors.isDiskFull(t)) {
            return "disk full" + (where == null ? "" : " (" + where + ")") + ": free space on that disk";
        }
        return null;
    }

    /** The line for running out of descriptors under {@code limit} (negative: unknown). */
    public static String tooManyOpenFiles(long limit) {
        return "too many open files (limit " + (limit < 0 ? "unknown" : Long.toString(limit))
                + "): raise `ulimit -n` or host fewer nodes per process";
    }

    /**
     * Whether {@code t} says this process ran out of file descriptors: an {@code EMFILE}/{@code
     * ENFILE} text, or a SQLite "unable to open" (which carries no errno) while the process is at
     * its descriptor limit.
     */
    public static boolean tooManyOpenFiles(Throwable t) {
        boolean cantOpen = false;
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("Too many open files") || m.contains("EMFILE") || m.contains("ENFILE")) {
                return true;
            }
            if (c instanceof SQLiteException s
                            && s.getResultCode() != null
                            && (s.getResultCode().code & 0xff) == SQLiteErrorCode.SQLITE_CANTOPEN.code
                    || c instanceof SQLException && m.contains("unable to open database file")) {
                cantOpen = true;
            }
        }
        if (!cantOpen) {
            return false;
        }
        long open = openFiles();
        long limit = openFileLimit();
        return open < 0 || limit > 0 && open >= limit - NEAR;
    }

    /** The descriptors this process holds ({@code /proc/self/fd}); -1 if they cannot be counted (none left). */
    public static long openFiles() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The soft limit of open files of this process ({@code /proc/self/limits}); -1 if unknown. */
    public static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft =
                            line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no descriptor left to read it with
        }
        return -1;
    }

    private static String sysctl(String name) {
        try {
            // readLine, not readString: /proc files report a size of 0 and readString got it wrong here.
            return Files.readAllLines(Path.of("/proc/sys/fs/inotify", name))
                    .get(0)
                    .strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
