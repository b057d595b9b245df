package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import io.formix.service.NodeService;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = "start nodes in the background (one process for all of them)")
public final class StartCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Targets targets;

    @Option(names = "--foreground", description = "run one node in this terminal until Ctrl-C")
    boolean foreground;

    @Override
    public Integer call() {
        Main main = parent.main;
        PrintWriter out = main.out();
        if (foreground) {
            main.nodes().runInForeground(targets.uids(), out);
            return ExitCodes.OK;
        }
        NodeService.Started s = main.nodes().start(targets.uids());
        printStarted(out, s);
        if (s.uids().isEmpty()) {
            out.println("nothing to start: " + (s.wanted() == 0 ? "no nodes" : "already running"));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code started N node(s) in process P: a .. b}, if any were started. */
    public static void printStarted(PrintWriter out, NodeService.Started s) {
        List<String> u = s.uids();
        if (u.isEmpty()) {
            return;
        }
        out.println("started " + u.size() + " node(s) in process " + s.pid() + ": "
                + (u.size() == 1 ? u.get(0) : u.get(0) + " .. " + u.get(u.size() - 1)));
        out.flush();
    }
}
