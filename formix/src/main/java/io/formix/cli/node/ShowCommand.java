package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Main;
import io.formix.cli.Table;
import io.formix.service.NodeDetail;
import io.formix.service.NodeView;
import io.formix.service.TerminalText;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "show one node; a light node's owner sees its own answers")
final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @Parameters(paramLabel = "UID")
    String uid;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Main main = parent.main;
        NodeDetail d = main.nodes().show(uid);
        output.print(main, () -> d, out -> human(main, d, out));
        return ExitCodes.OK;
    }

    private static void human(Main main, NodeDetail d, PrintWriter out) {
        // Uids, computation ids and prompts come from others (registry, heavy node 1): escaped.
        NodeView r = d.node();
        out.println("uid:       " + TerminalText.safe(r.uid()));
        out.println("role:      " + r.role());
        out.println(
                "status:    " + main.paint(r.status(), r.status()) + (r.pid() == null ? "" : " (pid " + r.pid() + ")"));
        if (!r.heavyNode()) {
            out.println("approval:  " + r.approval());
        }
        out.println("node.db:   " + d.nodeDb());
        out.println("log:       " + d.log());
        for (Map<String, Object> s : d.stalledChannels()) {
            out.println("stalled:   from " + TerminalText.safe(s.get("from")) + ": waiting for message "
                    + s.get("waitingFor") + " since " + TerminalText.safe(s.get("since")) + " while "
                    + s.get("lowestAhead") + ".." + s.get("highestAhead")
                    + " are present (the sender may have lost its state, or someone wrote ahead)");
        }
        for (Map<String, Object> m : d.rejectedMessages()) {
            out.println("refused:   " + m.get("count") + " from " + TerminalText.safe(m.get("from")) + " ("
                    + TerminalText.safe(m.get("kind")) + "), last " + TerminalText.safe(m.get("last")) + ": "
                    + TerminalText.safe(m.get("lastReason")));
        }
        if (r.heavyNode()) {
            Table t = new Table("COMPUTATION", "INDEX", "STATE", "SHARES");
            for (Object o : d.computations()) {
                NodeDetail.HeavyEntry c = (NodeDetail.HeavyEntry) o;
                t.row(TerminalText.safe(c.computation()), c.heavyIndex(), c.state(), c.shares());
            }
            out.println();
            t.print(out);
        } else {
            Table t = new Table("COMPUTATION", "STATE", "ANSWER", "PROMPT");
            for (Object o : d.computations()) {
                NodeDetail.LightEntry c = (NodeDetail.LightEntry) o;
                String value = d.answers().stream()
                        .filter(a -> a.computation().equals(c.computation()))
                        .map(ShowCommand::answer)
                        .findFirst()
                        .orElse("-");
                t.row(TerminalText.safe(c.computation()), c.state(), value, TerminalText.safe(c.prompt()));
            }
            out.println();
            t.print(out);
        }
    }

    /**
     * An answer in one short cell: a number as it is; a query's as its type and value (cut at 60
     * characters), or its type and size when it is too long to decode here. Escaped: a query's
     * categories come from the proposer.
     */
    static String answer(NodeDetail.Answer a) {
        if (a.type() == null) {
            return String.valueOf(a.value());
        }
        if (a.value() == null) {
            return TerminalText.safe(a.type()) + " (" + a.cells() + " number" + (a.cells() == 1 ? "" : "s") + ")";
        }
        String v = a.value().toString();
        return TerminalText.safe(a.type() + " " + (v.length() > 60 ? v.substring(0, 60) + "…" : v));
    }
}
