package io.formix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.node.ProposalException;
import io.formix.node.Proposer;
import io.formix.state.ComputationRecord;
import io.formix.state.FormixHome;
import io.formix.state.LightStore;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code formix comp ...}: propose computations, follow them, approve or decline as a light node's owner. */
@Command(name = "comp", mixinStandardHelpOptions = true, description = "propose and follow computations",
        subcommands = {CompCommand.Propose.class, CompCommand.ListComps.class, CompCommand.Show.class,
                CompCommand.Watch.class, CompCommand.Approve.class, CompCommand.Decline.class})
final class CompCommand {

    /** Extra time the waiting CLI gives the heavy nodes beyond their own timeouts before it fails the computation. */
    static final long CLI_WATCHDOG_MS = 5_000;

    @ParentCommand
    Main main;

    static ComputationRecord find(NetworkDb net, String id) {
        return net.computation(id).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "no computation " + id
                + " — see formix comp list"));
    }

    static Map<String, Object> json(ComputationRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("status", c.status().label());
        if (c.status() == ComputationRecord.Status.REVEALED) {
            m.put("result", c.result());
        }
        if (c.reason() != null) {
            m.put("reason", c.reason());
        }
        m.put("participants", c.participants());
        m.put("threshold", c.threshold());
        m.put("invited", c.invited());
        m.put("answers", c.answers());
        m.put("late", c.late());
        m.put("prompt", c.prompt());
        try {
            m.put("schema", Main.JSON.readValue(c.schema(), JsonNode.class));
        } catch (Exception e) {
            m.put("schema", c.schema());
        }
        List<String> heavy = new ArrayList<>();
        c.heavy().forEach(h -> heavy.add(h.value()));
        m.put("heavy", heavy);
        m.put("deadline", Instant.ofEpochMilli(c.deadline()).toString());
        m.put("createdAt", Instant.ofEpochMilli(c.createdAt()).toString());
        m.put("endedAt", c.endedAt() == 0 ? null : Instant.ofEpochMilli(c.endedAt()).toString());
        return m;
    }

    static String outcome(ComputationRecord c) {
        if (c.status() == ComputationRecord.Status.REVEALED) {
            return "revealed: total " + c.result() + " from " + c.participants() + " light nodes (threshold "
                    + c.threshold() + (c.late() > 0 ? ", " + c.late() + " late shares ignored" : "") + ")";
        }
        if (c.status() == ComputationRecord.Status.FAILED) {
            return "failed: " + TerminalText.safe(c.reason());
        }
        return c.status().label();
    }

    /**
     * Follows a computation until it ends, printing progress to {@code progress} (null: silent). If
     * no heavy node ends it long after every heavy-side timeout, the CLI fails it so nobody hangs.
     */
    static ComputationRecord follow(Main main, NetworkDb net, String id, PrintWriter progress) {
        boolean tty = System.console() != null;
        String last = "";
        while (true) {
            ComputationRecord c = find(net, id);
            long now = System.currentTimeMillis();
            if (c.status().isFinal()) {
                if (progress != null && tty && !last.isEmpty()) {
                    progress.print("\r\u001B[2K");
                    progress.flush();
                }
                return c;
            }
            if (now > c.deadline() + 3 * c.graceMs() + CLI_WATCHDOG_MS) {
                net.fail(id, "no heavy node ended the computation by " + Durations.human(3 * c.graceMs() + CLI_WATCHDOG_MS)
                        + " after the deadline — check the heavy nodes run: formix node list --role heavy", -1, 0, now);
                continue;
            }
            if (progress != null) {
                String line = c.status().label() + "  " + c.answers() + "/" + c.invited() + " light nodes answered  "
                        + (now < c.deadline() ? Durations.human(c.deadline() - now) + " left" : "closing");
                if (!line.equals(last)) {
                    if (tty) {
                        progress.print("\r\u001B[2K" + line);
                    } else {
                        progress.println(line);
                    }
                    progress.flush();
                    last = line;
                }
            }
            NodeControl.sleep(100);
        }
    }

    @Command(name = "propose", mixinStandardHelpOptions = true, description = "propose a computation to the network",
            footer = {"", ExitCodes.HELP})
    static final class Propose implements Callable<Integer> {
        @ParentCommand
        CompCommand parent;

        @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the question light nodes answer")
        String prompt;

        @Option(names = "--schema", paramLabel = "JSON", description = "JSON Schema subset of the answer, default "
                + "{\"type\":\"integer\",\"minimum\":0,\"maximum\":100}")
        String schema;

        @Option(names = "--threshold", paramLabel = "K", description = "fewest light nodes whose total may be revealed (default 3)")
        Integer threshold;

        @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "30s", description = "how long light nodes have, e.g. 30s, 2m "
                + "(default 30s)")
        Duration deadline;

        @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s", description = "time after the deadline for the heavy nodes "
                + "to agree (default 5s)")
        Duration grace;

        @Option(names = "--heavy", split = ",", paramLabel = "UID,UID,UID", hideParamSyntax = true,
                description = "the three heavy nodes (default: the first three created)")
        List<String> heavy;

        @Option(names = "--wait", description = "wait for the result, showing progress")
        boolean await;

        @Option(names = "--json", description = "print JSON (with --wait: once the computation ends)")
        boolean json;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                Networks.sync(main, net);
                List<PartyId> heavies = null;
                if (heavy != null) {
                    heavies = new ArrayList<>();
                    for (String h : heavy) {
                        heavies.add(NodeCommand.uid(h.strip()));
                    }
                }
                ComputationRecord c;
                try {
                    c = Proposer.propose(net, Clock.systemUTC(),
                            new Proposer.Request(prompt, schema, threshold, deadline, heavies, grace),
                            // A heavy node of another host cannot be seen from here: it is taken as up,
                            // and heavy node 1 fails the computation with the reason if it is not.
                            r -> !r.local() || NodeControl.isRunning(r));
                } catch (ProposalException e) {
                    throw new CliException(ExitCodes.REFUSED, e.getMessage());
                }
                checkCarrier(net, c);
                PrintWriter out = main.commandLine().getOut();
                PrintWriter err = main.commandLine().getErr();
                if (!await) {
                    main.print(json, () -> json(c), o -> o.println("proposed " + c.id() + " to " + c.heavy().get(0)
                            + " (threshold " + c.threshold() + ", deadline in "
                            + Durations.human(c.deadline() - System.currentTimeMillis())
                            + ") — follow it: formix comp watch " + c.id()));
                    return ExitCodes.OK;
                }
                if (!json) {
                    out.println("proposed " + c.id() + " (threshold " + c.threshold() + ", deadline in "
                            + Durations.human(c.deadline() - System.currentTimeMillis()) + ")");
                    out.flush();
                }
                ComputationRecord end = follow(main, net, c.id(), json ? null : err);
                return report(main, end, json);
            }
        }
    }

    /**
     * A proposal whose heavy node 1 runs on another host travels there as a message from a node
     * running in this home; without one it would wait in vain, so it fails at once with what to do.
     */
    static void checkCarrier(NetworkDb net, ComputationRecord c) {
        boolean remote = net.node(c.heavy1()).map(r -> !r.local()).orElse(false);
        if (!remote) {
            return;
        }
        for (NodeRecord r : net.localNodes(null)) {
            if (r.admitted() && NodeControl.isRunning(r)) {
                return;
            }
        }
        String reason = "heavy node 1 (" + c.heavy1() + ") runs on another host, and no node of this home runs to "
                + "carry the proposal there — start one: formix node start --all";
        net.fail(c.id(), reason, 0, 0, System.currentTimeMillis());
        throw new CliException(ExitCodes.REFUSED, reason);
    }

    static int report(Main main, ComputationRecord end, boolean json) {
        main.print(json, () -> json(end), out -> out.println(main.paint(outcome(end), end.status().label())));
        return end.status() == ComputationRecord.Status.REVEALED ? ExitCodes.OK : ExitCodes.COMPUTATION_FAILED;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "list computations, newest first")
    static final class ListComps implements Callable<Integer> {
        @ParentCommand
        CompCommand parent;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                List<ComputationRecord> all = net.computations();
                output.print(main, () -> all.stream().map(CompCommand::json).toList(), out -> {
                    Table t = new Table("ID", "STATUS", "RESULT", "ANSWERS", "THRESHOLD", "CREATED", "PROMPT");
                    for (ComputationRecord c : all) {
                        t.row(TerminalText.safe(c.id()), main.paint(c.status().label(), c.status().label()),
                                c.result() >= 0 ? c.result() : "-", c.answers() + "/" + c.invited(), c.threshold(),
                                Instant.ofEpochMilli(c.createdAt()).toString(), clip(TerminalText.safe(c.prompt())));
                    }
                    t.print(out, "no computations — propose one: formix comp propose --prompt \"...\" --wait");
                });
            }
            return ExitCodes.OK;
        }
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "show one computation")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        CompCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                ComputationRecord c = find(net, id);
                Map<String, Object> m = json(c);
                output.print(main, () -> m, out -> human(main, c, m, out));
            }
            return ExitCodes.OK;
        }

        private static void human(Main main, ComputationRecord c, Map<String, Object> m, PrintWriter out) {
            // Prompt, reason, schema and ids come from the registry, which others write: escaped.
            out.println("id:           " + TerminalText.safe(c.id()));
            out.println("status:       " + main.paint(c.status().label(), c.status().label()));
            if (m.containsKey("result")) {
                out.println("result:       " + c.result());
            }
            if (c.reason() != null) {
                out.println("reason:       " + TerminalText.safe(c.reason()));
            }
            out.println("prompt:       " + TerminalText.safe(c.prompt()));
            out.println("schema:       " + TerminalText.safe(c.schema()));
            out.println("heavy nodes:  " + TerminalText.safe(m.get("heavy")));
            out.println("threshold:    " + c.threshold());
            out.println("answers:      " + c.answers() + "/" + c.invited() + " light nodes");
            out.println("participants: " + c.participants());
            out.println("late shares:  " + c.late());
            out.println("deadline:     " + m.get("deadline"));
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true, description = "follow a computation until it ends",
            footer = {"", ExitCodes.HELP})
    static final class Watch implements Callable<Integer> {
        @ParentCommand
        CompCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--json", description = "print JSON when it ends")
        boolean json;

        @Override
        public Integer call() {
            Main main = parent.main;
            try (NetworkDb net = main.openNetwork()) {
                find(net, id);
                ComputationRecord end = follow(main, net, id, json ? null : main.commandLine().getErr());
                return report(main, end, json);
            }
        }
    }

    /** Shared by approve and decline: the owner of a light node decides on a pending computation. */
    static int decide(Main main, String id, String node, boolean approve) {
        FormixHome home = main.formixHome();
        try (NetworkDb net = main.openNetwork()) {
            NodeRecord r = NodeCommand.find(net, node);
            if (r.isHeavy()) {
                throw new CliException(ExitCodes.USAGE, node + " is a heavy node; only light nodes answer");
            }
            if (!Files.exists(home.nodeDb(r.uid()))) {
                throw new CliException(ExitCodes.NOT_FOUND, node + " has not received " + id + " — is it running?");
            }
            try (LightStore s = LightStore.open(home, r.uid())) {
                LightStore.Entry e = s.entry(id).orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, node
                        + " has not received " + id + " — is it running? (formix node start " + node + ")"));
                if (!s.decide(id, approve, approve ? null : "declined by the owner")) {
                    throw new CliException(ExitCodes.REFUSED, id + " is already " + e.state().label() + " on " + node);
                }
            }
        }
        main.commandLine().getOut().println((approve ? "approved " : "declined ") + id + " on " + node
                + (approve ? ": the node answers within a second if it is running" : ""));
        main.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    /** The arguments of approve and decline; a subclass says which it is. */
    abstract static class Decision implements Callable<Integer> {
        @ParentCommand
        CompCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--node", required = true, description = "the light node")
        String node;

        abstract boolean approve();

        @Override
        public Integer call() {
            return decide(parent.main, id, node, approve());
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "let a manual-approval light node answer a computation")
    static final class Approve extends Decision {
        @Override
        boolean approve() {
            return true;
        }
    }

    @Command(name = "decline", mixinStandardHelpOptions = true, description = "make a manual-approval light node decline a computation")
    static final class Decline extends Decision {
        @Override
        boolean approve() {
            return false;
        }
    }
}
