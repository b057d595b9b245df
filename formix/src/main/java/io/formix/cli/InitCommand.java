package io.formix.cli;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code formix init}: creates the home, {@code network.db} and the data folder. Idempotent. */
@Command(name = "init", mixinStandardHelpOptions = true, description = "create the Formix home (network.db, nodes/, channels/)")
final class InitCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws IOException {
        FormixHome home = init(main);
        if (json) {
            main.printJson(main.commandLine().getOut(), Map.of("home", home.home().toString(),
                    "dataDir", home.dataDir().toString()));
        } else {
            main.commandLine().getOut().println("Formix home ready at " + home.home() + " (data dir " + home.dataDir()
                    + ")");
            main.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }

    static FormixHome init(Main main) throws IOException {
        FormixHome home = main.formixHome();
        Files.createDirectories(home.home().resolve("nodes"));
        Files.createDirectories(home.dataDir());
        NetworkDb.open(home).close();
        return home;
    }
}
