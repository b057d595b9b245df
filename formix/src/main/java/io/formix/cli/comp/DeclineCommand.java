package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "decline",
        mixinStandardHelpOptions = true,
        description = {
            "make a light node decline a computation it has not answered",
            "The heavy nodes and the proposer see only a generic reason; yours stays in the node's own database."
        })
final class DeclineCommand extends Decision {

    @Option(names = "--reason", paramLabel = "TEXT", description = "your reason, kept on this node only")
    String reason;

    @Override
    public Integer call() {
        Main main = parent.main;
        main.owners().decline(id, node, reason);
        main.out().println("declined " + id + " on " + node + ": the node tells the heavy nodes within a second");
        main.out().flush();
        return ExitCodes.OK;
    }
}
