package io.formix.cli;

import io.formix.registry.Membership;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistrySync;
import io.formix.registry.RosterPages;
import io.formix.state.ComputationRecord;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix network ...}: create or join a network across machines, admit nodes, and bring
 * this home's nodes up or down at once.
 */
@Command(name = "network", mixinStandardHelpOptions = true,
        description = "create or join a network, admit nodes, bring this home's nodes up or down",
        subcommands = {NetworkCommand.Create.class, NetworkCommand.Join.class, NetworkCommand.Pending.class,
                NetworkCommand.Admit.class, NetworkCommand.Up.class, NetworkCommand.Status.class,
                NetworkCommand.Down.class})
final class NetworkCommand {

    @ParentCommand
    Main main;

    static Map<String, Object> pinJson(NetworkPin pin) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", pin.adminFingerprint());
        m.put("network", pin.networkId());
        m.put("tag", pin.tag());
        return m;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "create a network administered from this home; prints the admin fingerprint to give to other hosts")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            InitCommand.init(main);
            try (NetworkDb net = NetworkDb.open(main.formixHome())) {
                NetworkPin pin;
                try {
                    pin = Membership.create(main.formixHome(), net, true);
                } catch (RegistryException e) {
                    throw new CliException(ExitCodes.REFUSED, e.getMessage());
                }
                output.print(main, () -> pinJson(pin), out -> {
                    out.println("created network " + pin.networkId() + " (admin key in " + main.formixHome().adminDir() + ")");
                    out.println("admin fingerprint: " + pin.adminFingerprint());
                    out.println("on every other host: formix network join --fingerprint " + pin.adminFingerprint());
                });
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "join", mixinStandardHelpOptions = true,
            description = "join the network found in the data folder, after checking it is signed by the admin key of FP")
    static final class Join implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Option(names = "--fingerprint", required = true, paramLabel = "FP", description = "the admin fingerprint, received out of band")
        String fingerprint;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            InitCommand.init(main);
            try (NetworkDb net = NetworkDb.open(main.formixHome())) {
                NetworkPin pin;
                try {
                    pin = Membership.join(main.formixHome(), net, fingerprint.strip());
                } catch (RegistryException e) {
                    throw new CliException(e.getMessage().startsWith("no network descriptor") ? ExitCodes.NOT_FOUND
                            : ExitCodes.REFUSED, e.getMessage());
                }
                Networks.sync(main, net);
                output.print(main, () -> pinJson(pin), out -> out.println("joined network " + pin.networkId()
                        + "; nodes created here are named *-" + pin.tag() + "-*"));
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "pending", mixinStandardHelpOptions = true, description = "node descriptors seen in the data folder but not yet admitted")
    static final class Pending implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                RegistrySync.Result r = Networks.sync(main, net);
                List<Map<String, Object>> rows = new ArrayList<>();
                for (RegistrySync.Candidate c : r.pending()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("uid", c.uid().value());
                    m.put("role", c.role().wireName());
                    m.put("fingerprint", c.fingerprint());
                    rows.add(m);
                }
                output.print(main, () -> rows, out -> {
                    Table t = new Table("UID", "ROLE", "IDENTITY FINGERPRINT");
                    rows.forEach(m -> t.row(TerminalText.safe(m.get("uid")), m.get("role"), m.get("fingerprint")));
                    t.print(out, "no node waits for admission");
                });
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "admit", mixinStandardHelpOptions = true, description = "admit pending nodes: the admin signs a new roster version")
    static final class Admit implements Callable<Integer> {
        @ParentCommand
        NetworkCommand parent;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        static final class Which {
            @Parameters(paramLabel = "UID", arity = "1..*", description = "node uids")
            List<String> uids;

            @Option(names = "--all", required = true, description = "every pending node")
            boolean all;
        }

        @Mixin
        JsonOption output;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                List<PartyId> uids = null;
                if (!which.all) {
                    uids = new ArrayList<>();
                    for (String u : which.uids) {
                        uids.add(NodeCommand.uid(u));
                    }
                }
                List<PartyId> done = Networks.admit(main, net, uids);
                long version = RosterPages.versionOf(net.pin().map(NetworkPin::rosterVersion).orElse(-1L));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("admitted", done.stream().map(PartyId::value).toList());
                m.put("rosterVersion", version);
                output.print(main, () -> m, out -> out.println(done.isEmpty() ? "nothing to admit"
                        : "admitted " + done.size() + " node(s); roster version " + version));
            }
            return ExitCodes.OK;
        }
    }

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
                NetworkPin pin = Networks.ensure(main, net);
                Networks.sync(main, net);
                int haveHeavy = net.localNodes(Role.HEAVY).size();
                int haveLight = net.localNodes(Role.LIGHT).size();
                long now = System.currentTimeMillis();
                Approval lightApproval = Approval.parse(approval);
                List<NodeRecord> made = new ArrayList<>();
                if (heavy > haveHeavy) {
                    made.addAll(net.createNodes(Role.HEAVY, heavy - haveHeavy, Approval.AUTO, now, pin.tag()));
                }
                if (light > haveLight) {
                    made.addAll(net.createNodes(Role.LIGHT, light - haveLight, lightApproval, now, pin.tag()));
                }
                // Nodes made before this home had a network (an older version) get keys too.
                for (NodeRecord r : net.localNodes(null)) {
                    if (!r.admitted() && net.identity(r.uid()).isEmpty()
                            && made.stream().noneMatch(m -> m.uid().equals(r.uid()))) {
                        made.add(r);
                    }
                }
                Networks.publish(main, net, pin, made);
                if (Membership.adminKey(main.formixHome()).isPresent()) {
                    // Up means everything of this home runs: local nodes still pending are admitted too.
                    List<PartyId> pending = new ArrayList<>();
                    net.localNodes(null).forEach(r -> {
                        if (!r.admitted()) {
                            pending.add(r.uid());
                        }
                    });
                    if (!pending.isEmpty()) {
                        Networks.admit(main, net, pending);
                    }
                }
                List<NodeRecord> all = NodeCommand.runnable(main, net, net.localNodes(null));
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
                Networks.sync(main, net);
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
                net.pin().ifPresent(pin -> {
                    Map<String, Object> n = pinJson(pin);
                    n.put("rosterVersion", RosterPages.versionOf(pin.rosterVersion()));
                    m.put("network", n);
                });
                output.print(main, () -> m, out -> human(m, nodes, comps, out));
            }
            return ExitCodes.OK;
        }

        private static void human(Map<String, Object> m, Map<String, Map<String, Integer>> nodes,
                                  Map<String, Integer> comps, PrintWriter out) {
            out.println("home:       " + m.get("home"));
            out.println("data dir:   " + m.get("dataDir"));
            out.println("transport:  " + m.get("transport"));
            if (m.get("network") instanceof Map<?, ?> n) {
                out.println("network:    " + n.get("network") + " (admin " + n.get("fingerprint") + ", roster version "
                        + n.get("rosterVersion") + (n.get("tag") == null ? "" : ", node tag " + n.get("tag")) + ")");
            }
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
