package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import io.formix.service.ComputationService;
import io.formix.service.ComputationView;
import io.formix.service.QueryViews;
import io.formix.service.TerminalText;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code formix comp ...}: propose computations, follow them, approve or decline as a light node's owner. */
@Command(
        name = "comp",
        mixinStandardHelpOptions = true,
        description = "propose and follow computations",
        subcommands = {
            ProposeCommand.class,
            ListCommand.class,
            ShowCommand.class,
            WatchCommand.class,
            InboxCommand.class,
            ReviewCommand.class,
            ApproveCommand.class,
            DeclineCommand.class,
            AnswerCommand.class
        })
public final class CompCommand {

    @ParentCommand
    Main main;

    static String outcome(ComputationView c) {
        if (c.revealed() && c.value() != null) {
            StringBuilder b = new StringBuilder("revealed from " + c.participants() + " light nodes (threshold "
                    + c.threshold() + (c.dp() != null ? ", with differential privacy ε " + c.dp().get("epsilon") : "")
                    + "):");
            QueryViews.lines(c)
                    .forEach(l -> b.append(System.lineSeparator()).append("  ").append(l));
            return b.toString();
        }
        if (c.revealed()) {
            return "revealed: total " + c.result() + " from " + c.participants() + " light nodes (threshold "
                    + c.threshold() + (c.late() > 0 ? ", " + c.late() + " late shares ignored" : "") + ")";
        }
        if ("failed".equals(c.status())) {
            return "failed: " + TerminalText.safe(c.reason());
        }
        return c.status();
    }

    /** Prints how the computation ended; the exit code says whether it was revealed. */
    static int report(Main main, ComputationView end, boolean json) {
        main.print(json, () -> end, out -> out.println(main.paint(outcome(end), end.status())));
        return end.revealed() ? ExitCodes.OK : ExitCodes.COMPUTATION_FAILED;
    }

    /**
     * Follows a computation until it ends, showing progress on {@code progress} (null: silent):
     * one line redrawn in place on a terminal, else a line per change.
     */
    static ComputationView follow(Main main, String id, PrintWriter progress) {
        boolean tty = System.console() != null;
        String[] last = {""};
        Consumer<ComputationService.Progress> show = progress == null
                ? null
                : p -> {
                    String line = p.status() + "  " + p.answers() + "/" + p.invited() + " light nodes answered  "
                            + (p.leftMillis() > 0
                                    ? io.formix.cli.Durations.human(p.leftMillis()) + " left"
                                    : "closing");
                    if (!line.equals(last[0])) {
                        if (tty) {
                            progress.print("\r\u001B[2K" + line);
                        } else {
                            progress.println(line);
                        }
                        progress.flush();
                        last[0] = line;
                    }
                };
        ComputationView end = main.computations().follow(id, show);
        if (progress != null && tty && !last[0].isEmpty()) {
            progress.print("\r\u001B[2K");
            progress.flush();
        }
        return end;
    }
}
