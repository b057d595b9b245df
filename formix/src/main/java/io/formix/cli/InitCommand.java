package io.formix.cli;

import io.formix.service.NetworkViews;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix init}: creates the home, {@code network.db} and the data folder; never destroys
 * data ({@link io.formix.service.HomeService#init}).
 */
@Command(name = "init", mixinStandardHelpOptions = true, description = "create the Formix home (network.db, nodes/, channels/)")
final class InitCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--force", description = "start over: move network.db, admin/ and nodes/ aside to *.bak-<time> "
            + "(nothing is deleted; the shared data folder is left alone), then create new ones")
    boolean force;

    @Override
    public Integer call() throws IOException {
        NetworkViews.Init done = main.homes().init(force);
        main.print(json, () -> done, out -> {
            for (String p : done.movedAside()) {
                out.println("moved aside: " + p);
            }
            out.println("Formix home ready at " + done.home() + " (data dir " + done.dataDir() + ")");
        });
        return ExitCodes.OK;
    }
}
