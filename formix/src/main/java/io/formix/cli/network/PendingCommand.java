package io.formix.cli.network;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Table;
import io.formix.service.NetworkViews;
import io.formix.service.TerminalText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "pending",
        mixinStandardHelpOptions = true,
        description = "node descriptors seen in the data folder but not yet admitted")
final class PendingCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        List<NetworkViews.Pending> rows = parent.main.network().pending();
        output.print(parent.main, () -> rows, out -> {
            Table t = new Table("UID", "ROLE", "IDENTITY FINGERPRINT");
            rows.forEach(m -> t.row(TerminalText.safe(m.uid()), m.role(), m.fingerprint()));
            t.print(out, "no node waits for admission");
        });
        return ExitCodes.OK;
    }
}
