package io.formix.cli.node;

import io.formix.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code formix node ...}: create, list, show, start, stop, remove nodes, read their logs, rotate their keys, set a light node's disclosure policy. */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "manage nodes",
        subcommands = {
            CreateCommand.class,
            ListCommand.class,
            ShowCommand.class,
            StartCommand.class,
            StopCommand.class,
            RmCommand.class,
            LogsCommand.class,
            RotateKeyCommand.class,
            PolicyCommand.class
        })
public final class NodeCommand {

    @ParentCommand
    Main main;
}
