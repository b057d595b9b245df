package io.formix.bench.formix;

import io.formix.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine;

/** What the end-to-end benchmarks share: running the CLI in-process, and reading /proc. */
final class BenchSupport {

    /** Runs {@code formix args} with {@code env}; returns its standard output, or fails with both outputs. */
    static String run(Map<String, String> env, String... args) {
        CommandLine cl = Main.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        if (code != 0) {
            throw new IllegalStateException("formix " + String.join(" ", args) + " exited " + code + ": " + err + out);
        }
        return out.toString();
    }

    /** The 1-minute load average, or "?". */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    /** The peak resident memory (VmHWM) of process {@code pid} in KiB, or -1 if it is gone. */
    static long peakRssKb(long pid) throws Exception {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Deletes {@code p} and everything under it, if it exists. */
    static void delete(Path p) throws Exception {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(x -> x.toFile().delete());
        }
    }

    private BenchSupport() {}
}
