package io.formix.cli.network;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.service.NetworkViews;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "join",
        mixinStandardHelpOptions = true,
        description = "join the network found in the data folder, after checking it is signed by the admin key of FP")
final class JoinCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Option(
            names = "--fingerprint",
            required = true,
            paramLabel = "FP",
            description = "the admin fingerprint, received out of band")
    String fingerprint;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws IOException {
        NetworkViews.Pin pin = parent.main.network().join(fingerprint);
        output.print(
                parent.main,
                () -> pin,
                out -> out.println(
                        "joined network " + pin.network() + "; nodes created here are named *-" + pin.tag() + "-*"));
        return ExitCodes.OK;
    }
}
