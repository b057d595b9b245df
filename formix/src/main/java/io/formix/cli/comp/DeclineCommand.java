package io.formix.cli.comp;

import picocli.CommandLine.Command;

@Command(
        name = "decline",
        mixinStandardHelpOptions = true,
        description = "make a manual-approval light node decline a computation")
final class DeclineCommand extends Decision {
    @Override
    boolean approve() {
        return false;
    }
}
