package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.service.NodeView;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "create", mixinStandardHelpOptions = true, description = "register new nodes (heavy-N, light-NNNN)")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @Option(names = "--role", required = true, paramLabel = "heavy|light", description = "heavy or light")
    String role;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "how many (default 1)")
    int count;

    @Option(
            names = "--approval",
            paramLabel = "auto|manual",
            defaultValue = "auto",
            description = "light nodes: auto or manual (default auto)")
    String approval;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws IOException {
        List<NodeView> made = parent.main.nodes().create(role, count, approval);
        output.print(
                parent.main,
                () -> made,
                out -> out.println("created " + made.size() + " " + role + " node(s): " + range(made)));
        return ExitCodes.OK;
    }

    static String range(List<NodeView> l) {
        if (l.isEmpty()) {
            return "none";
        }
        return l.size() == 1
                ? l.get(0).uid()
                : l.get(0).uid() + " .. " + l.get(l.size() - 1).uid();
    }
}
