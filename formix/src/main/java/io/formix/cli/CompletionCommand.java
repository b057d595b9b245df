package io.formix.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code formix completion}: prints a bash completion script ({@code source <(formix completion)}). */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "print a bash completion script: source <(formix completion)")
final class CompletionCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        main.commandLine().getOut().print(AutoComplete.bash("formix", main.commandLine()));
        main.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
