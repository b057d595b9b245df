package io.formix.cli.comp;

import picocli.CommandLine.Command;

@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = "let a manual-approval light node answer a computation")
final class ApproveCommand extends Decision {
    @Override
    boolean approve() {
        return true;
    }
}
