package io.formix.cli.network;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "down", mixinStandardHelpOptions = true, description = "stop every node")
final class DownCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Override
    public Integer call() {
        Main main = parent.main;
        int n = main.nodes().stopAll();
        main.out().println(n == 0 ? "no node was running" : "stopped " + n + " node(s)");
        main.out().flush();
        return ExitCodes.OK;
    }
}
