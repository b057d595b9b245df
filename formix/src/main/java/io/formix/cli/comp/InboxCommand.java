package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Main;
import io.formix.service.OwnerViews.InboxItem;
import io.formix.service.TerminalText;
import io.formix.service.TimeText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "inbox",
        mixinStandardHelpOptions = true,
        description = "the computations a light node holds for its owner to review, approve, decline or answer")
final class InboxCommand implements Callable<Integer> {
    @ParentCommand
    CompCommand parent;

    @Option(names = "--node", required = true, description = "the light node")
    String node;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Main main = parent.main;
        List<InboxItem> items = main.owners().inbox(node);
        output.print(main, () -> items, out -> {
            if (items.isEmpty()) {
                out.println("nothing waits for you on " + node);
                return;
            }
            for (InboxItem i : items) {
                String next = switch (i.needs()) {
                    case "answer" -> "formix comp review " + i.id() + " --node " + node + ", then formix comp answer";
                    case "review" ->
                        "formix comp review " + i.id() + " --node " + node
                                + (i.reviewed()
                                        ? " (reviewed), then formix comp approve"
                                        : ", then formix comp approve");
                    default -> "formix comp approve " + i.id() + " --node " + node;
                };
                out.println(TerminalText.safe(i.id()) + "  " + TimeText.human(i.leftMillis()) + " left  "
                        + (i.dataset() == null ? "(no query)" : "on " + TerminalText.safe(i.dataset())) + "  from "
                        + (i.proposer() == null ? "unknown" : TerminalText.safe(i.proposer())) + "  "
                        + TerminalText.safe(clip(i.prompt())));
                out.println("    " + next);
            }
        });
        return ExitCodes.OK;
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
