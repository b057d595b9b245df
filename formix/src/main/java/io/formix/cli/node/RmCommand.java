package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", mixinStandardHelpOptions = true, description = "remove stopped nodes, their node.db and log")
final class RmCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @Parameters(paramLabel = "UID", arity = "1..*")
    List<String> uids;

    @Override
    public Integer call() throws IOException {
        Main main = parent.main;
        int removed = main.nodes().remove(uids);
        main.out().println("removed " + removed + " node(s)");
        main.out().flush();
        return ExitCodes.OK;
    }
}
