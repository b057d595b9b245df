package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = {
            "let a light node answer a computation it holds pending",
            "A computation with a query is approved as you reviewed it: the approval binds to the proposal's hash "
                    + "(--hash, or the one your last formix comp review recorded); a changed proposal needs a new "
                    + "review."
        })
final class ApproveCommand extends Decision {

    @Option(names = "--hash", paramLabel = "SHA256", description = "the proposal hash formix comp review printed")
    String hash;

    @Override
    public Integer call() {
        Main main = parent.main;
        String bound = main.owners().approve(id, node, hash);
        main.out()
                .println("approved " + id + " on " + node + (bound == null ? "" : " (proposal " + bound + ")")
                        + ": the node answers within a second if it is running");
        main.out().flush();
        return ExitCodes.OK;
    }
}
