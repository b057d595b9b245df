package io.formix.cli.network;

import io.formix.cli.Main;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix network ...}: create or join a network across machines, admit nodes, and bring
 * this home's nodes up or down at once.
 */
@Command(
        name = "network",
        mixinStandardHelpOptions = true,
        description = "create or join a network, admit nodes, bring this home's nodes up or down",
        subcommands = {
            CreateCommand.class,
            JoinCommand.class,
            PendingCommand.class,
            AdmitCommand.class,
            UpCommand.class,
            StatusCommand.class,
            DownCommand.class
        })
public final class NetworkCommand {

    @ParentCommand
    Main main;
}
