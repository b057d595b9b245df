package io.formix.cli.network;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Main;
import io.formix.service.NetworkViews;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description =
                "create a network administered from this home; prints the admin fingerprint to give to other hosts")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws IOException {
        Main main = parent.main;
        NetworkViews.Pin pin = main.network().create();
        output.print(main, () -> pin, out -> {
            out.println("created network " + pin.network() + " (admin key in "
                    + main.home().adminDir() + ")");
            out.println("admin fingerprint: " + pin.fingerprint());
            out.println("on every other host: formix network join --fingerprint " + pin.fingerprint());
        });
        return ExitCodes.OK;
    }
}
