package io.formix.cli.network;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.service.NetworkViews;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "admit",
        mixinStandardHelpOptions = true,
        description = "admit pending nodes: the admin signs a new roster version")
final class AdmitCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
        @Parameters(paramLabel = "UID", arity = "1..*", description = "node uids")
        List<String> uids;

        @Option(names = "--all", required = true, description = "every pending node")
        boolean all;
    }

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws IOException {
        NetworkViews.Admitted done = parent.main.network().admit(which.all ? null : which.uids);
        output.print(
                parent.main,
                () -> done,
                out -> out.println(
                        done.admitted().isEmpty()
                                ? "nothing to admit"
                                : "admitted " + done.admitted().size() + " node(s); roster version "
                                        + done.rosterVersion()));
        return ExitCodes.OK;
    }
}
