package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import io.formix.service.Pause;
import io.formix.service.TerminalText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "logs", mixinStandardHelpOptions = true, description = "print a node's log")
public final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @Parameters(paramLabel = "UID")
    String uid;

    @Option(
            names = {"-f", "--follow"},
            description = "keep printing new lines until Ctrl-C")
    boolean follow;

    @Override
    public Integer call() throws IOException {
        Main main = parent.main;
        Path log = main.nodes().logFile(uid);
        PrintWriter out = main.out();
        long pos = 0;
        do {
            if (Files.exists(log)) {
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                    if (f.length() < pos) {
                        pos = 0;
                    }
                    f.seek(pos);
                    while (pos < f.length()) {
                        byte[] b = new byte[(int) Math.min(f.length() - pos, 1 << 20)];
                        f.readFully(b);
                        pos += b.length;
                        out.print(safeLines(new String(b, StandardCharsets.UTF_8)));
                    }
                    out.flush();
                }
            }
            if (follow) {
                Pause.REAL.pause(Duration.ofMillis(200));
            }
        } while (follow);
        if (!Files.exists(log)) {
            main.err().println("formix: " + uid + " has no log yet — it logs once started");
            main.err().flush();
        }
        return ExitCodes.OK;
    }

    /**
     * A log's lines may quote what others control (file names in a synced folder, a peer's
     * message): printed with control characters escaped, line breaks kept.
     */
    public static String safeLines(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lines[i] = TerminalText.safe(lines[i]);
        }
        return String.join("\n", lines);
    }
}
