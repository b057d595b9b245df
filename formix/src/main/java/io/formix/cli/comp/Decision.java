package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The arguments of approve and decline: the owner of a light node decides on a pending computation. */
abstract class Decision implements Callable<Integer> {
    @ParentCommand
    CompCommand parent;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--node", required = true, description = "the light node")
    String node;

    abstract boolean approve();

    @Override
    public Integer call() {
        Main main = parent.main;
        main.computations().decide(id, node, approve());
        main.out()
                .println((approve() ? "approved " : "declined ") + id + " on " + node
                        + (approve() ? ": the node answers within a second if it is running" : ""));
        main.out().flush();
        return ExitCodes.OK;
    }
}
