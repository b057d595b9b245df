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
 *
 * <p>A log made with {@code keepOpen = false} (a light node's: it writes a few lines per
 * computation) opens its file for each line and closes it again, so a host of thousands of light
 * nodes holds no descriptor per node for its logs.
 */
public final class NodeLog implements AutoCloseable {

    private final Path file;
    private final Clock clock;
    private final boolean keepOpen;
    private BufferedWriter out;
    private boolean broken;
    private boolean limitReported;

    public NodeLog(Path file, Clock clock) {
        this(file, clock, true);
    }

    /** A log that keeps its file open between lines, or ({@code keepOpen = false}) opens it per line. */
    public NodeLog(Path file, Clock clock, boolean keepOpen) {
        this.file = file;
        this.clock = clock;
        this.keepOpen = keepOpen;
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
            if (!keepOpen) {
                close();
            }
        } catch (IOException e) {
            // A limit (descriptors, disk) may pass: keep trying, but say it once.
            String limit = io.formix.state.ResourceLimits.explain(e, file);
            broken = limit == null;
            if (broken || !limitReported) {
                limitReported |= limit != null;
                System.err.println("formix: cannot write " + file + ": " + (limit != null ? limit : e.getMessage()));
            }
            close();
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
