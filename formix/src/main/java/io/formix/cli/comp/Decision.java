package io.formix.cli.comp;

import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The arguments of the owner's commands on one computation a light node received (approve,
 * decline, answer, review): the computation and the light node. The decision is written to the
 * node's own {@code node.db}; the running node carries it out at its next tick.
 */
abstract class Decision implements Callable<Integer> {
    @ParentCommand
    CompCommand parent;

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--node", required = true, description = "the light node")
    String node;
}
