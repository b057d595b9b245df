package io.formix.cli;

import io.formix.node.ChannelHealth;
import io.formix.registry.Heartbeats;
import io.formix.registry.Membership;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistrySync;
import io.formix.state.FormixHome;
import io.formix.state.HeavyStore;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.state.NetworkPin;
import io.formix.state.NodeRecord;
import io.formix.state.NodeRecord.Approval;
import io.formix.state.NodeRecord.Role;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.commons.io.file.PathUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code formix node ...}: create, list, show, start, stop, remove nodes, read their logs, rotate their keys. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "manage nodes",
        subcommands = {NodeCommand.Create.class, NodeCommand.ListNodes.class, NodeCommand.Show.class,
                NodeCommand.Start.class, NodeCommand.Stop.class, NodeCommand.Rm.class, NodeCommand.Logs.class,
                NodeCommand.RotateKey.class})
final class NodeCommand {

    @ParentCommand
    Main main;

    static PartyId uid(String s) {
        if (!PartyId.isValid(s)) {
            throw new CliException(ExitCodes.USAGE, "'" + s + "' is not a node uid (e.g. heavy-1, light-0001)");
        }
        return PartyId.of(s);
    }

    static NodeRecord find(NetworkDb net, String s) {
        return net.node(uid(s)).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no node " + s
                + " — see formix node list"));
    }

    static Map<String, Object> json(NodeRecord r) {
        return json(r, NodeControl.status(r));
    }

    static Map<String, Object> json(NodeRecord r, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("uid", r.uid().value());
        m.put("role", r.role().label());
        m.put("status", status);
        m.put("approval", r.approval().label());
        m.put("pid", r.pid() == 0 ? null : r.pid());
        m.put("tcpPort", r.tcpPort() == 0 ? null : r.tcpPort());
        m.put("createdAt", r.createdAt() == 0 ? null : Instant.ofEpochMilli(r.createdAt()).toString());
        m.put("local", r.local());
        m.put("admitted", r.admitted());
        return m;
    }

    /**
     * Those of {@code wanted} this home can run: its own nodes that the roster admits. The others
     * are named on stderr (remote nodes run on their own hosts; pending ones wait for the admin).
     */
    static List<NodeRecord> runnable(Main main, NetworkDb net, List<NodeRecord> wanted) {
        List<NodeRecord> out = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (NodeRecord r : wanted) {
            if (r.local() && r.admitted()) {
                out.add(r);
            } else if (r.local()) {
                pending.add(r.uid().value());
            }
        }
        if (!pending.isEmpty()) {
            PrintWriter err = main.commandLine().getErr();
            err.println("formix: " + pending.size() + " node(s) not admitted yet, not started (" + pending.get(0)
                    + (pending.size() > 1 ? ", …" : "") + ") — the network admin runs: formix network admit --all");
            err.flush();
        }
        return out;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "register new nodes (heavy-N, light-NNNN)")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        NodeCommand parent;

        @Option(names = "--role", required = true, paramLabel = "heavy|light", description = "heavy or light")
        String role;

        @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "how many (default 1)")
        int count;

        @Option(names = "--approval", paramLabel = "auto|manual", defaultValue = "auto", description = "light nodes: auto or manual (default auto)")
        String approval;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            if (count < 1 || count > 100_000) {
                throw new CliException(ExitCodes.USAGE, "--count must be 1..100000");
            }
            Role wantedRole = Role.parse(role);
            Approval a = Approval.parse(approval);
            InitCommand.init(main);
            try (NetworkDb net = NetworkDb.open(main.formixHome())) {
                NetworkPin pin = Networks.ensure(main, net);
                List<NodeRecord> made = net.createNodes(wantedRole, count, a, System.currentTimeMillis(), pin.tag());
                Networks.publish(main, net, pin, made);
                output.print(main, () -> made.stream().map(r -> json(net.node(r.uid()).orElseThrow())).toList(),
                        out -> out.println("created " + made.size() + " " + role + " node(s): " + range(made)));
            }
            return ExitCodes.OK;
        }
    }

    static String range(List<NodeRecord> l) {
        if (l.isEmpty()) {
            return "none";
        }
        return l.size() == 1 ? l.get(0).uid().value() : l.get(0).uid() + " .. " + l.get(l.size() - 1).uid();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "list nodes")
    static final class ListNodes implements Callable<Integer> {
        @ParentCommand
        NodeCommand parent;

        @Option(names = "--role", paramLabel = "heavy|light", description = "only heavy or light nodes")
        String role;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                RegistrySync.Result synced = Networks.sync(main, net);
                // A heavy node of another host runs if its signed heartbeat is fresh.
                Map<PartyId, Instant> alive = Heartbeats.read(main.formixHome(), synced.network(), synced.roster());
                Instant now = Instant.now();
                Function<NodeRecord, String> status = r -> !r.local() && Heartbeats.fresh(alive.get(r.uid()), now)
                        ? "running" : NodeControl.status(r);
                List<NodeRecord> nodes = net.nodes(role == null ? null : Role.parse(role));
                output.print(main, () -> nodes.stream().map(r -> json(r, status.apply(r))).toList(), out -> {
                    Table t = new Table("UID", "ROLE", "STATUS", "APPROVAL", "PID", "CREATED");
                    for (NodeRecord r : nodes) {
                        String s = status.apply(r);
                        t.row(TerminalText.safe(r.uid()), r.role().label(), main.paint(s, s),
                                r.isHeavy() || !r.local() ? "-" : r.approval().label(), r.pid() == 0 ? "-" : r.pid(),
                                r.createdAt() == 0 ? "-" : Instant.ofEpochMilli(r.createdAt()).toString());
                    }
                    t.print(out, "no nodes — create some with: formix network up --heavy 3 --light 10");
                });
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "show one node; a light node's owner sees its own answers")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        NodeCommand parent;

        @Parameters(paramLabel = "UID")
        String uid;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Main main = parent.main;
            FormixHome home = main.formixHome();
            try (NetworkDb net = main.openNetwork()) {
                NodeRecord r = find(net, uid);
                Map<String, Object> m = json(r);
                m.put("nodeDb", home.nodeDb(r.uid()).toString());
                m.put("log", home.nodeLog(r.uid()).toString());
                m.put("stalledChannels", "running".equals(m.get("status"))
                        ? ChannelHealth.read(home.nodeDir(r.uid())) : List.of());
                List<Map<String, Object>> items = new ArrayList<>();
                boolean exists = Files.exists(home.nodeDb(r.uid()));
                if (r.isHeavy()) {
                    if (exists) {
                        try (HeavyStore s = HeavyStore.open(home, r.uid())) {
                            for (HeavyStore.Entry e : s.all()) {
                                Map<String, Object> c = new LinkedHashMap<>();
                                c.put("computation", e.id());
                                c.put("heavyIndex", e.myIndex());
                                c.put("state", e.state().label());
                                c.put("shares", s.shareHolders(e.id()).size());
                                items.add(c);
                            }
                        }
                    }
                    m.put("computations", items);
                } else {
                    List<Map<String, Object>> pending = new ArrayList<>();
                    if (exists) {
                        try (LightStore s = LightStore.open(home, r.uid())) {
                            for (LightStore.Entry e : s.all()) {
                                if (e.answer() != null) {
                                    Map<String, Object> a = new LinkedHashMap<>();
                                    a.put("computation", e.id());
                                    a.put("value", e.answer());
                                    items.add(a);
                                }
                                Map<String, Object> c = new LinkedHashMap<>();
                                c.put("computation", e.id());
                                c.put("state", e.state().label());
                                c.put("prompt", e.prompt());
                                pending.add(c);
                            }
                        }
                    }
                    m.put("answers", items);
                    m.put("computations", pending);
                }
                output.print(main, () -> m, out -> human(main, r, m, items, out));
            }
            return ExitCodes.OK;
        }

        private static void human(Main main, NodeRecord r, Map<String, Object> m, List<Map<String, Object>> items,
                                  PrintWriter out) {
            // Uids, computation ids and prompts come from others (registry, heavy node 1): escaped.
            out.println("uid:       " + TerminalText.safe(r.uid()));
            out.println("role:      " + r.role().label());
            out.println("status:    " + main.paint((String) m.get("status"), (String) m.get("status"))
                    + (r.pid() == 0 ? "" : " (pid " + r.pid() + ")"));
            if (!r.isHeavy()) {
                out.println("approval:  " + r.approval().label());
            }
            out.println("node.db:   " + m.get("nodeDb"));
            out.println("log:       " + m.get("log"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> stalls = (List<Map<String, Object>>) m.get("stalledChannels");
            for (Map<String, Object> s : stalls) {
                out.println("stalled:   from " + TerminalText.safe(s.get("from")) + ": waiting for message "
                        + s.get("waitingFor") + " since " + TerminalText.safe(s.get("since")) + " while "
                        + s.get("lowestAhead") + ".." + s.get("highestAhead")
                        + " are present (the sender may have lost its state, or someone wrote ahead)");
            }
            if (r.isHeavy()) {
                Table t = new Table("COMPUTATION", "INDEX", "STATE", "SHARES");
                items.forEach(c -> t.row(TerminalText.safe(c.get("computation")), c.get("heavyIndex"), c.get("state"),
                        c.get("shares")));
                out.println();
                t.print(out);
            } else {
                Table t = new Table("COMPUTATION", "STATE", "ANSWER", "PROMPT");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> comps = (List<Map<String, Object>>) m.get("computations");
                for (Map<String, Object> c : comps) {
                    Object value = items.stream().filter(a -> a.get("computation").equals(c.get("computation")))
                            .map(a -> a.get("value")).findFirst().orElse("-");
                    t.row(TerminalText.safe(c.get("computation")), c.get("state"), value,
                            TerminalText.safe(c.get("prompt")));
                }
                out.println();
                t.print(out);
            }
        }
    }

    /** Exactly one of: some uids, or --all. */
    static final class Targets {
        @Parameters(paramLabel = "UID", arity = "1..*", description = "node uids")
        List<String> uids;

        @Option(names = "--all", required = true, description = "every node")
        boolean all;

        /** The named nodes, or every node of this home with {@code --all}; a node of another host is refused. */
        List<NodeRecord> resolve(NetworkDb net) {
            if (all) {
                return net.localNodes(null);
            }
            List<NodeRecord> out = new ArrayList<>();
            for (String u : uids) {
                NodeRecord r = find(net, u);
                if (!r.local()) {
                    throw new CliException(ExitCodes.REFUSED, r.uid() + " runs on another host (its keys are not in "
                            + "this home) — run the command there");
                }
                out.add(r);
            }
            return out;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "start nodes in the background (one process for all of them)")
    static final class Start implements Callable<Integer> {
        @ParentCommand
        NodeCommand parent;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Targets targets;

        @Option(names = "--foreground", description = "run one node in this terminal until Ctrl-C")
        boolean foreground;

        @Override
        public Integer call() {
            Main main = parent.main;
            NetworkDb net = main.openNetwork();
            try {
                Networks.sync(main, net);
                List<NodeRecord> wanted = runnable(main, net, targets.resolve(net));
                PrintWriter out = main.commandLine().getOut();
                if (foreground) {
                    if (wanted.size() != 1) {
                        throw new CliException(ExitCodes.USAGE, "--foreground runs exactly one node — name it");
                    }
                    if (NodeControl.isRunning(wanted.get(0))) {
                        throw new CliException(ExitCodes.REFUSED, wanted.get(0).uid() + " is already running (pid "
                                + wanted.get(0).pid() + ") — stop it first: formix node stop " + wanted.get(0).uid());
                    }
                    return HostCommand.run(main, net, wanted, out, true);
                }
                int started = startMissing(main, net, wanted);
                if (started == 0) {
                    out.println("nothing to start: " + (wanted.isEmpty() ? "no nodes" : "already running"));
                }
                out.flush();
                return ExitCodes.OK;
            } finally {
                if (!foreground) {
                    net.close();
                }
            }
        }
    }

    /** Starts, in one background host, those of {@code wanted} that are not running. */
    static int startMissing(Main main, NetworkDb net, List<NodeRecord> wanted) {
        List<PartyId> toStart = new ArrayList<>();
        for (NodeRecord r : wanted) {
            if (!NodeControl.isRunning(r)) {
                toStart.add(r.uid());
            }
        }
        if (toStart.isEmpty()) {
            return 0;
        }
        long pid = NodeControl.startHost(main, net, toStart);
        PrintWriter out = main.commandLine().getOut();
        out.println("started " + toStart.size() + " node(s) in process " + pid + ": "
                + (toStart.size() == 1 ? toStart.get(0) : toStart.get(0) + " .. " + toStart.get(toStart.size() - 1)));
        out.flush();
        return toStart.size();
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "stop nodes (SIGTERM, then SIGKILL after 10 s)")
    static final class Stop implements Callable<Integer> {
        @ParentCommand
        NodeCommand parent;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Targets targets;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                List<PartyId> stopped = NodeControl.stop(net, targets.resolve(net));
                PrintWriter out = main.commandLine().getOut();
                out.println(stopped.isEmpty() ? "nothing to stop: no such node was running"
                        : "stopped " + stopped.size() + " node(s)");
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "remove stopped nodes, their node.db and log")
    static final class Rm implements Callable<Integer> {
        @ParentCommand
        NodeCommand parent;

        @Parameters(paramLabel = "UID", arity = "1..*")
        List<String> uids;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                List<NodeRecord> rs = new ArrayList<>();
                for (String u : uids) {
                    NodeRecord r = find(net, u);
                    if (NodeControl.isRunning(r)) {
                        throw new CliException(ExitCodes.REFUSED, r.uid() + " is running — stop it first: formix node "
                                + "stop " + r.uid());
                    }
                    rs.add(r);
                }
                List<PartyId> ids = new ArrayList<>();
                rs.forEach(r -> {
                    if (!r.local()) {
                        throw new CliException(ExitCodes.REFUSED, r.uid() + " runs on another host — remove it there");
                    }
                    ids.add(r.uid());
                });
                try {
                    Membership.remove(main.formixHome(), net, ids);
                } catch (RegistryException e) {
                    throw new CliException(ExitCodes.ERROR, e.getMessage());
                }
                net.removeNodes(ids);
                for (PartyId id : ids) {
                    Path dir = main.formixHome().nodeDir(id);
                    if (Files.exists(dir)) {
                        PathUtils.deleteDirectory(dir);
                    }
                }
                main.commandLine().getOut().println("removed " + ids.size() + " node(s)");
                main.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = "give a node of this home a new encryption key; the previous one keeps opening messages for --keep")
    static final class RotateKey implements Callable<Integer> {
        /** The longest --keep: a previous key is meant to fade out, not to live on beside the new one. */
        static final java.time.Duration MAX_KEEP = java.time.Duration.ofDays(365);

        @ParentCommand
        NodeCommand parent;

        @Parameters(paramLabel = "UID")
        String uid;

        @Option(names = "--keep", paramLabel = "DURATION", defaultValue = "24h",
                description = "how long the previous key still opens messages sealed to it, e.g. 24h, 30m (default 24h; "
                        + "the receiver's grace of 24 h comes on top)")
        java.time.Duration keep;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            if (keep.isNegative() || keep.compareTo(MAX_KEEP) > 0) {
                throw new CliException(ExitCodes.USAGE, "--keep must be between 0s and " + MAX_KEEP.toDays() + " days");
            }
            try (NetworkDb net = main.openNetwork()) {
                Networks.sync(main, net);
                NodeRecord r = find(net, uid);
                if (!r.local()) {
                    throw new CliException(ExitCodes.REFUSED, r.uid() + " runs on another host (its keys are not in "
                            + "this home) — rotate its key there: formix node rotate-key " + r.uid());
                }
                NetworkPin pin = net.pin().orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND,
                        "this home belongs to no network"));
                Membership.Rotation rot;
                try {
                    rot = Membership.rotate(main.formixHome(), net, pin, r.uid(), keep, Instant.now());
                } catch (RegistryException e) {
                    throw new CliException(ExitCodes.ERROR, e.getMessage());
                }
                Networks.sync(main, net);
                output.print(main, () -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("uid", r.uid().value());
                    m.put("kid", rot.added().kid());
                    m.put("seq", rot.seq());
                    List<Map<String, Object>> prev = new ArrayList<>();
                    for (var k : rot.previous()) {
                        Map<String, Object> p = new LinkedHashMap<>();
                        p.put("kid", k.kid());
                        p.put("expiresAt", k.expiresAt().toString());
                        prev.add(p);
                    }
                    m.put("previous", prev);
                    return m;
                }, out -> {
                    out.println(r.uid() + ": new encryption key " + rot.added().kid() + " (descriptor seq " + rot.seq() + ")");
                    for (var k : rot.previous()) {
                        out.println("previous key " + k.kid() + " opens messages until " + k.expiresAt()
                                + " (plus the receiver's grace)");
                    }
                });
            }
            return ExitCodes.OK;
        }
    }

    /**
     * A log's lines may quote what others control (file names in a synced folder, a peer's
     * message): printed with control characters escaped, line breaks kept.
     */
    static String safeLines(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lines[i] = TerminalText.safe(lines[i]);
        }
        return String.join("\n", lines);
    }

    @Command(name = "logs", mixinStandardHelpOptions = true, description = "print a node's log")
    static final class Logs implements Callable<Integer> {
        @ParentCommand
        NodeCommand parent;

        @Parameters(paramLabel = "UID")
        String uid;

        @Option(names = {"-f", "--follow"}, description = "keep printing new lines until Ctrl-C")
        boolean follow;

        @Override
        public Integer call() throws IOException {
            Main main = parent.main;
            Path log;
            try (NetworkDb net = main.openNetwork()) {
                log = main.formixHome().nodeLog(find(net, uid).uid());
            }
            PrintWriter out = main.commandLine().getOut();
            long pos = 0;
            do {
                if (Files.exists(log)) {
                    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
                        if (f.length() < pos) {
                            pos = 0;
                        }
                        f.seek(pos);
                        while (pos < f.length()) {
                            byte[] b = new byte[(int) Math.min(f.length() - pos, 1 << 20)];
                            f.readFully(b);
                            pos += b.length;
                            out.print(safeLines(new String(b, StandardCharsets.UTF_8)));
                        }
                        out.flush();
                    }
                }
                if (follow) {
                    NodeControl.sleep(200);
                }
            } while (follow);
            if (!Files.exists(log)) {
                main.commandLine().getErr().println("formix: " + uid + " has no log yet — it logs once started");
                main.commandLine().getErr().flush();
            }
            return ExitCodes.OK;
        }
    }
}
