package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Main;
import io.formix.cli.Table;
import io.formix.service.ComputationView;
import io.formix.service.QueryViews;
import io.formix.service.TerminalText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", mixinStandardHelpOptions = true, description = "list computations, newest first")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    CompCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Main main = parent.main;
        List<ComputationView> all = main.computations().list();
        output.print(main, () -> all, out -> {
            Table t = new Table("ID", "STATUS", "RESULT", "ANSWERS", "THRESHOLD", "CREATED", "PROMPT");
            for (ComputationView c : all) {
                t.row(
                        TerminalText.safe(c.id()),
                        main.paint(c.status(), c.status()),
                        c.result() != null ? c.result() : value(c),
                        c.answers() + "/" + c.invited(),
                        c.threshold(),
                        c.createdAt(),
                        clip(TerminalText.safe(c.prompt())));
            }
            t.print(out, "no computations — propose one: formix comp propose --prompt \"...\" --wait");
        });
        return ExitCodes.OK;
    }

    /** A query's value when it is one line (a count, a sum), else a pointer to {@code comp show}. */
    private static String value(ComputationView c) {
        List<String> lines = QueryViews.lines(c);
        if (lines.isEmpty()) {
            return "-";
        }
        return lines.size() == 1 && lines.get(0).length() <= 24 ? lines.get(0) : "(comp show)";
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
