package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "stop", mixinStandardHelpOptions = true, description = "stop nodes (SIGTERM, then SIGKILL after 10 s)")
final class StopCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Targets targets;

    @Override
    public Integer call() {
        Main main = parent.main;
        int stopped = main.nodes().stop(targets.uids());
        PrintWriter out = main.out();
        out.println(stopped == 0 ? "nothing to stop: no such node was running" : "stopped " + stopped + " node(s)");
        out.flush();
        return ExitCodes.OK;
    }
}
