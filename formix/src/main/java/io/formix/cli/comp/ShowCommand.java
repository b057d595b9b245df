package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Main;
import io.formix.service.ComputationView;
import io.formix.service.QueryViews;
import io.formix.service.TerminalText;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "show", mixinStandardHelpOptions = true, description = "show one computation")
final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    CompCommand parent;

    @Parameters(paramLabel = "ID")
    String id;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Main main = parent.main;
        ComputationView c = main.computations().show(id);
        output.print(main, () -> c, out -> human(main, c, out));
        return ExitCodes.OK;
    }

    private static void human(Main main, ComputationView c, PrintWriter out) {
        // Prompt, reason, schema and ids come from the registry, which others write: escaped.
        out.println("id:           " + TerminalText.safe(c.id()));
        out.println("status:       " + main.paint(c.status(), c.status()));
        if (c.result() != null) {
            out.println("result:       " + c.result());
        }
        List<String> value = QueryViews.lines(c);
        for (int i = 0; i < value.size(); i++) {
            out.println((i == 0 ? "value:        " : "              ") + value.get(i));
        }
        if (c.dp() != null) {
            out.println("noise:        " + c.dp().get("mechanism") + ", ε " + c.dp().get("epsilon") + " per "
                    + c.dp().get("unit") + ", scale " + c.dp().get("scale") + " (added by each heavy node)");
        }
        if (c.reason() != null) {
            out.println("reason:       " + TerminalText.safe(c.reason()));
        }
        out.println("prompt:       " + TerminalText.safe(c.prompt()));
        if (c.query() != null) {
            out.println("query:        " + TerminalText.safe(c.query()));
        } else {
            out.println("schema:       " + TerminalText.safe(c.schemaText()));
        }
        out.println("heavy nodes:  " + TerminalText.safe(c.heavy()));
        out.println("scheme:       " + TerminalText.safe(c.scheme()));
        if (c.proposer() != null) {
            out.println("proposer:     " + TerminalText.safe(c.proposer()));
        }
        out.println("threshold:    " + c.threshold());
        out.println("answers:      " + c.answers() + "/" + c.invited() + " light nodes");
        c.undelivered()
                .forEach((why, n) -> out.println("not reached:  " + n + " light node" + (n == 1 ? "" : "s") + " ("
                        + TerminalText.safe(why) + ")"));
        out.println("participants: " + c.participants());
        out.println("late shares:  " + c.late());
        out.println("deadline:     " + c.deadline());
    }
}
