package io.formix.node;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;

/**
 * A node's own log, {@code nodes/<uid>/node.log}: one line per event, {@code <ISO time> <LEVEL>
 * <text>}, flushed per line so {@code formix node logs -f} sees it at once. Callers must never
 * pass an answer or a share value (sizes and ids only). Thread-safe. A log that cannot be written
 * never stops the node: the failure goes to stderr once.
 */
public final class NodeLog implements AutoCloseable {

    private final Path file;
    private final Clock clock;
    private BufferedWriter out;
    private boolean broken;

    public NodeLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    public void info(String text) {
        write("INFO", text);
    }

    public void warn(String text) {
        write("WARN", text);
    }

    private synchronized void write(String level, String text) {
        if (broken) {
            return;
        }
        try {
            if (out == null) {
                Files.createDirectories(file.getParent());
                out = Files.newBufferedWriter(
                        file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            out.write(Instant.now(clock).toString());
            out.write(' ');
            out.write(level);
            out.write(' ');
            out.write(text.replace('\n', ' '));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            broken = true;
            System.err.println("formix: cannot write " + file + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing more to log to
            }
            out = null;
        }
    }
}
