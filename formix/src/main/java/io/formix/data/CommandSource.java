package io.formix.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program the owner configured, run without a shell from its argv list in the folder where it
 * was added, with an environment holding only {@code PATH}, {@code HOME} and {@code LANG}. It gets
 * the query as JSON on its standard input and must print the answer, in the query's answer type, on
 * its standard output within the timeout and the output bound; otherwise it is killed (with its
 * child processes) and the read fails. A non-zero exit status fails too.
 */
public final class CommandSource implements DataSource {

    static final int MAX_STDERR = 4096;
    private static final List<String> KEPT_ENV = List.of("PATH", "HOME", "LANG");

    private final SourceSpec spec;

    CommandSource(SourceSpec spec) {
        this.spec = spec;
    }

    /** The registration of {@code argv}, checked: a program name, at most 256 arguments, sane limits. */
    public static SourceSpec define(String name, List<String> argv, Path workdir, Duration timeout, long maxBytes) {
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new DataException("--command needs a program, e.g. --command \"python3 update.py\"");
        }
        if (argv.size() > SourceSpec.MAX_ARGS) {
            throw new DataException("--command has more than " + SourceSpec.MAX_ARGS + " arguments");
        }
        for (String a : argv) {
            if (a.indexOf('\0') >= 0) {
                throw new DataException("--command has a NUL character in an argument");
            }
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(SourceSpec.MAX_COMMAND_TIMEOUT) > 0) {
            throw new DataException("--timeout must be between 1 ms and 1 h");
        }
        Path dir = workdir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new DataException("no folder " + dir + " to run the command in");
        }
        return new SourceSpec(name, SourceKind.COMMAND, null, null, argv, dir.toString(), timeout, maxBytes, List.of());
    }

    /**
     * Splits a command line into words at spaces and tabs, with {@code "…"} and {@code '…'} quoting
     * and {@code \} escaping outside single quotes — no variables, globs, pipes or redirections: no
     * shell ever sees it.
     */
    public static List<String> split(String line) {
        java.util.ArrayList<String> words = new java.util.ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\\'
                    && i + 1 < line.length()
                    && (quote == 0 || quote == '"' && "\"\\".indexOf(line.charAt(i + 1)) >= 0)) {
                w.append(line.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == ' ' || c == '\t') {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new DataException("--command has an unclosed " + quote + " quote");
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    @Override
    public SourceSpec spec() {
        return spec;
    }

    @Override
    public Descriptor descriptor() {
        return spec.descriptor();
    }

    /** Runs the command with {@code input} on its standard input; returns its standard output (UTF-8). */
    public String run(String input) {
        ProcessBuilder pb = new ProcessBuilder(spec.argv())
                .directory(Path.of(spec.workdir()).toFile());
        Map<String, String> env = pb.environment();
        Map<String, String> parent = Map.copyOf(env);
        env.clear();
        for (String k : KEPT_ENV) {
            if (parent.containsKey(k)) {
                env.put(k, parent.get(k));
            }
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DataException("cannot run " + spec.argv().get(0) + ": " + SqliteSource.firstLine(e.getMessage()));
        }
        Bounded out = new Bounded(p.getInputStream(), spec.maxBytes(), p);
        Bounded err = new Bounded(p.getErrorStream(), MAX_STDERR, null);
        Thread to = daemon(out, "command-stdout");
        Thread te = daemon(err, "command-stderr");
        try {
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the command does not read its input: fine
            }
            long deadline = System.nanoTime() + spec.timeout().toNanos();
            boolean exited = p.waitFor(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
            if (!exited) {
                kill(p);
                throw new DataException("the command " + spec.argv().get(0) + " did not finish within "
                        + human(spec.timeout()) + " — it was stopped");
            }
            to.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 1000));
            te.join(1000);
            if (out.tooMuch) {
                throw new DataException("the command " + spec.argv().get(0) + " printed more than "
                        + Sizes.format(spec.maxBytes()) + " (raise it with --max-size)");
            }
            if (p.exitValue() != 0) {
                String why = err.text().strip().lines().findFirst().orElse("");
                throw new DataException("the command " + spec.argv().get(0) + " exited with status " + p.exitValue()
                        + (why.isEmpty() ? "" : ": " + Inference.clip(why)));
            }
            try {
                return StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(out.bytes()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new DataException("the command " + spec.argv().get(0) + " printed bytes that are not UTF-8 text");
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new DataException("interrupted while running " + spec.argv().get(0));
        } finally {
            if (p.isAlive()) {
                kill(p);
            }
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Reads a stream to its end, keeping at most {@code max} bytes; notes when there were more. */
    private static final class Bounded implements Runnable {
        private final InputStream in;
        private final long max;
        private final Process killOnOverflow;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        volatile boolean tooMuch;

        Bounded(InputStream in, long max, Process killOnOverflow) {
            this.in = in;
            this.max = max;
            this.killOnOverflow = killOnOverflow;
        }

        @Override
        public void run() {
            byte[] b = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(b)) > 0) {
                    synchronized (kept) {
                        long room = max - kept.size();
                        if (n > room) {
                            kept.write(b, 0, (int) Math.max(0, room));
                            tooMuch = true;
                            if (killOnOverflow != null) {
                                kill(killOnOverflow);
                                return;
                            }
                        } else {
                            kept.write(b, 0, n);
                        }
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        }

        byte[] bytes() {
            synchronized (kept) {
                return kept.toByteArray();
            }
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }
    }
}
