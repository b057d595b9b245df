package io.formix.cli;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the commands of sub-packages ({@code io.formix.cli.data}) use of the command line: the
 * resolved home, node lookup with the usual uid validation and messages, one-line errors with the
 * documented exit codes, JSON or human output, and terminal-safe text. It delegates to
 * {@link Main}, {@link NodeCommand}, {@link CliException} and {@link TerminalText}, so every
 * command behaves the same.
 */
public final class CliContext {

    public static final int OK = ExitCodes.OK;
    public static final int ERROR = ExitCodes.ERROR;
    public static final int USAGE = ExitCodes.USAGE;
    public static final int NOT_FOUND = ExitCodes.NOT_FOUND;
    public static final int REFUSED = ExitCodes.REFUSED;

    private final Main main;

    public CliContext(Main main) {
        this.main = main;
    }

    /** The home from {@code --home}, {@code FORMIX_HOME} or {@code ~/.formix}. */
    public FormixHome home() {
        return main.formixHome();
    }

    /**
     * The light node {@code uid} of this home: a valid uid (else exit 2), known to network.db (else
     * exit 3, with the usual hint), a light node and local (else exit 4).
     */
    public PartyId localLightNode(String uid) {
        try (NetworkDb net = main.openNetwork()) {
            NodeRecord r = NodeCommand.find(net, uid);
            if (r.isHeavy()) {
                throw new CliException(ExitCodes.REFUSED, r.uid() + " is a heavy node — data sources belong to light "
                        + "nodes (e.g. light-0001)");
            }
            if (!r.local()) {
                throw new CliException(ExitCodes.REFUSED, r.uid() + " runs on another host — manage its data there");
            }
            return r.uid();
        }
    }

    /** An error that ends the command with {@code exitCode} and prints {@code message} as one line. */
    public static RuntimeException fail(int exitCode, String message) {
        return new CliException(exitCode, message);
    }

    /** Prints {@code value} as JSON when {@code json}, else {@code human}'s view; flushes. */
    public void print(boolean json, Supplier<?> value, Consumer<PrintWriter> human) {
        main.print(json, value, human);
    }

    /** The command's standard error. */
    public PrintWriter err() {
        return main.commandLine().getErr();
    }

    /** {@code text} with control and bidi characters shown as escapes, for human output. */
    public static String safe(Object text) {
        return TerminalText.safe(text);
    }
}
