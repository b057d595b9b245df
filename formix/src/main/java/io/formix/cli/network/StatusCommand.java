package io.formix.cli.network;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Table;
import io.formix.service.NetworkViews;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", mixinStandardHelpOptions = true, description = "nodes and computations at a glance")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    NetworkCommand parent;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        NetworkViews.Status s = parent.main.network().status();
        output.print(parent.main, () -> s, out -> human(s, out));
        return ExitCodes.OK;
    }

    private static void human(NetworkViews.Status s, PrintWriter out) {
        out.println("home:       " + s.home());
        out.println("data dir:   " + s.dataDir());
        out.println("transport:  " + s.transport());
        NetworkViews.Network n = s.network();
        if (n != null) {
            out.println("network:    " + n.network() + " (admin " + n.fingerprint() + ", roster version "
                    + n.rosterVersion() + (n.tag() == null ? "" : ", node tag " + n.tag()) + ")");
        }
        Table t = new Table("ROLE", "RUNNING", "STOPPED", "DEAD");
        for (String role : List.of("heavy", "light")) {
            Map<String, Integer> c = s.nodes().getOrDefault(role, Map.of());
            t.row(role, c.getOrDefault("running", 0), c.getOrDefault("stopped", 0), c.getOrDefault("dead", 0));
        }
        out.println();
        t.print(out);
        out.println();
        out.println("computations: "
                + (s.computations().isEmpty()
                        ? "none"
                        : s.computations().toString().replaceAll("[{}]", "")));
    }
}
