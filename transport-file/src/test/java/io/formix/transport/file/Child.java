package io.formix.transport.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link ChildMain} running in its own JVM; {@link #kill()} is SIGKILL. */
final class Child implements AutoCloseable {

    final Process process;
    final Path stderr;
    private final BufferedReader stdout;

    private Child(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    static Child start(Path logDir, String... args) throws IOException {
        return start(java.util.Map.of(), logDir, args);
    }

    /** Starts a child with {@code env} added to this process's environment. */
    static Child start(java.util.Map<String, String> env, Path logDir, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildMain.class.getName());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(logDir, "child-", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        return new Child(p, err);
    }

    /** The next line the child prints. */
    String readLine() throws IOException {
        return stdout.readLine();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("child did not finish in " + seconds + " s; stderr: " + errors());
        }
        return process.exitValue();
    }

    String errors() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
