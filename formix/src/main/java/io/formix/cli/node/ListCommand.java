package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Main;
import io.formix.cli.Table;
import io.formix.service.NodeView;
import io.formix.service.TerminalText;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", mixinStandardHelpOptions = true, description = "list nodes")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @Option(names = "--role", paramLabel = "heavy|light", description = "only heavy or light nodes")
    String role;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Main main = parent.main;
        List<NodeView> nodes = main.nodes().list(role);
        output.print(main, () -> nodes, out -> {
            Table t = new Table("UID", "ROLE", "STATUS", "APPROVAL", "PID", "CREATED");
            for (NodeView r : nodes) {
                t.row(
                        TerminalText.safe(r.uid()),
                        r.role(),
                        main.paint(r.status(), r.status()),
                        r.heavyNode() || !r.local() ? "-" : r.approval(),
                        r.pid() == null ? "-" : r.pid(),
                        r.createdAt() == null ? "-" : r.createdAt());
            }
            t.print(out, "no nodes — create some with: formix network up --heavy 3 --light 10");
        });
        return ExitCodes.OK;
    }
}
