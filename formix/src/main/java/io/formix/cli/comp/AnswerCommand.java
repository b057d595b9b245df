package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import io.formix.service.ManualAnswer;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "answer",
        mixinStandardHelpOptions = true,
        description = {
            "answer by hand a computation on a manual data source (formix data add --manual)",
            "The answer is checked against the query's type and bound to the proposal's hash like an approval "
                    + "(--hash, or your last formix comp review)."
        })
final class AnswerCommand extends Decision {

    @Option(names = "--value", paramLabel = "V", description = "the answer in the query's type: 7, 12.50, {\"sum\":…}")
    String value;

    @Option(names = "--choice", paramLabel = "C", description = "the category of a choice")
    String choice;

    @Option(names = "--file", paramLabel = "F", description = "a file holding the answer (e.g. a vector)")
    Path file;

    @Option(names = "--hash", paramLabel = "SHA256", description = "the proposal hash formix comp review printed")
    String hash;

    @Override
    public Integer call() {
        Main main = parent.main;
        long[] cells = main.owners().answer(id, node, new ManualAnswer(value, choice, file), hash);
        String shown = Arrays.toString(cells.length > 16 ? Arrays.copyOf(cells, 16) : cells);
        main.out()
                .println("answered " + id + " on " + node + ": " + shown + (cells.length > 16 ? " …" : "")
                        + " (shared mod 2^64 within a second if the node is running)");
        main.out().flush();
        return ExitCodes.OK;
    }
}
