package io.formix.cli;

import io.formix.state.ComputationRecord;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code formix network up|status|down}: the whole local network at once. */
@Command(name = "network", mixinStandardHelpOptions = true, description = "bring the whole network up or down, or see its status",
        subcommands = {NetworkCommand.Up.class, NetworkCommand.Status.class, NetworkCommand.Down.class})
final class NetworkCommand {

    @ParentCommand
    Main main;

    @Command(name = "up", mixinStandardHelpOptions = true, description = "create the nodes missing to reach H heavy and L light, start them all")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Option(names = "--heavy", paramLabel = "H", defaultValue = "3", description = "heavy nodes wanted (default 3)")
        int heavy;

        @Option(names = "--light", paramLabel = "L", required = true, description = "light nodes wanted")
        int light;

        @Option(names = "--approval", paramLabel = "auto|manual", defaultValue = "auto", description = "approval of new light nodes (auto|manual)")
        String approval;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            if (heavy < 0 || light < 0 || heavy > 1000 || light > 100_000) {
                throw new CliException(ExitCodes.USAGE, "--heavy must be 0..1000 and --light 0..100000");
            }
            InitCommand.init(main);
            PrintWriter out = main.commandLine().getOut();
            try (NetworkDb net = NetworkDb.open(main.formixHome())) {
                int haveHeavy = net.nodes(Role.HEAVY).size();
                int haveLight = net.nodes(Role.LIGHT).size();
                long now = System.currentTimeMillis();
                if (heavy > haveHeavy) {
                    net.createNodes(Role.HEAVY, heavy - haveHeavy, Approval.AUTO, now);
                }
                if (light > haveLight) {
                    net.createNodes(Role.LIGHT, light - haveLight, Approval.parse(approval), now);
                }
                List<NodeRecord> all = net.nodes(null);
                out.println("network at " + main.formixHome().home() + ": " + Math.max(heavy, haveHeavy) + " heavy, "
                        + Math.max(light, haveLight) + " light (transport " + main.transportName() + ")");
                out.flush();
                int started = NodeCommand.startMissing(main, net, all);
                if (started == 0) {
                    out.println("all nodes already running");
                }
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "nodes and computations at a glance")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                Map<String, Map<String, Integer>> nodes = new TreeMap<>();
                for (NodeRecord r : net.nodes(null)) {
                    nodes.computeIfAbsent(r.role().label(), k -> new TreeMap<>())
                            .merge(NodeControl.status(r), 1, Integer::sum);
                }
                Map<String, Integer> comps = new TreeMap<>();
                for (ComputationRecord c : net.computations()) {
                    comps.merge(c.status().label(), 1, Integer::sum);
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("home", main.formixHome().home().toString());
                m.put("dataDir", main.formixHome().dataDir().toString());
                m.put("transport", main.transportName());
                m.put("nodes", nodes);
                m.put("computations", comps);
                output.print(main, () -> m, out -> human(m, nodes, comps, out));
            }
            return ExitCodes.OK;
        }

        private static void human(Map<String, Object> m, Map<String, Map<String, Integer>> nodes,
                                  Map<String, Integer> comps, PrintWriter out) {
            out.println("home:       " + m.get("home"));
            out.println("data dir:   " + m.get("dataDir"));
            out.println("transport:  " + m.get("transport"));
            Table t = new Table("ROLE", "RUNNING", "STOPPED", "DEAD");
            for (String role : List.of("heavy", "light")) {
                Map<String, Integer> s = nodes.getOrDefault(role, Map.of());
                t.row(role, s.getOrDefault("running", 0), s.getOrDefault("stopped", 0), s.getOrDefault("dead", 0));
            }
            out.println();
            t.print(out);
            out.println();
            out.println("computations: " + (comps.isEmpty() ? "none" : comps.toString().replaceAll("[{}]", "")));
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "stop every node")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                int n = NodeControl.stop(net, net.nodes(null)).size();
                main.commandLine().getOut().println(n == 0 ? "no node was running" : "stopped " + n + " node(s)");
                main.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }
}
