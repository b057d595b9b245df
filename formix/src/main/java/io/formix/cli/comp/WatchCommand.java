package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import io.formix.service.ComputationView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "follow a computation until it ends",
        footer = {"", ExitCodes.HELP})
final class WatchCommand implements Callable<Integer> {
    @ParentCommand
    CompCommand parent;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--json", description = "print JSON when it ends")
    boolean json;

    @Override
    public Integer call() {
        Main main = parent.main;
        ComputationView end = CompCommand.follow(main, id, json ? null : main.err());
        return CompCommand.report(main, end, json);
    }
}
