package io.formix.cli.comp;

import io.formix.cli.AtFile;
import io.formix.cli.CliException;
import io.formix.cli.Durations;
import io.formix.cli.ExitCodes;
import io.formix.cli.Main;
import io.formix.service.ComputationService;
import io.formix.service.ComputationView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "propose",
        mixinStandardHelpOptions = true,
        description = "propose a computation to the network",
        footer = {"", ExitCodes.HELP})
final class ProposeCommand implements Callable<Integer> {
    @ParentCommand
    CompCommand parent;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the question light nodes answer")
    String prompt;

    @Option(
            names = "--schema",
            paramLabel = "JSON",
            description = "JSON Schema subset of the answer, default "
                    + "{\"type\":\"integer\",\"minimum\":0,\"maximum\":100}")
    String schema;

    @Option(
            names = "--threshold",
            paramLabel = "K",
            description = "fewest light nodes whose total may be revealed (default 3)")
    Integer threshold;

    @Option(
            names = "--deadline",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "how long light nodes have, e.g. 30s, 2m " + "(default 30s)")
    Duration deadline;

    @Option(
            names = "--grace",
            paramLabel = "DURATION",
            defaultValue = "5s",
            description = "time after the deadline for the heavy nodes " + "to agree (default 5s)")
    Duration grace;

    @Option(
            names = "--heavy",
            split = ",",
            paramLabel = "UID,UID,UID",
            hideParamSyntax = true,
            description = "the three heavy nodes (default: the first three created)")
    List<String> heavy;

    @Option(
            names = "--scheme",
            paramLabel = "additive|replicated",
            defaultValue = "additive",
            description = {
                "how answers are shared among the three heavy nodes (default additive).",
                "additive: 3-of-3; needs all three heavy nodes to the end, and no two of them colluding learn an answer.",
                "replicated: 2-of-3; survives any one heavy node failing (heavy node 1 included), but any two heavy "
                        + "nodes together learn every answer: it resists only one curious heavy node."
            })
    String scheme;

    @Option(
            names = "--query",
            paramLabel = "JSON|@FILE",
            description =
                    "the query light nodes evaluate on their data (docs/queries.md), or @FILE; " + "excludes --schema")
    String query;

    @Option(
            names = "--dp-epsilon",
            paramLabel = "E",
            description = "add differential privacy of this ε to a query's total (each heavy node adds "
                    + "discrete Laplace noise to its partial sum); needs --query and --scheme additive")
    String dpEpsilon;

    @Option(
            names = "--from",
            paramLabel = "UID",
            description = "the node of this home that proposes: recorded as the proposer, carries the proposal to "
                    + "heavy node 1 on another host (it must run), and is named to the light nodes, whose "
                    + "'node policy --proposers' list may admit it (default: none named, any running node carries it)")
    String from;

    @Option(names = "--wait", description = "wait for the result, showing progress")
    boolean await;

    @Option(names = "--json", description = "print JSON (with --wait: once the computation ends)")
    boolean json;

    @Override
    public Integer call() {
        Main main = parent.main;
        if (query != null && schema != null) {
            throw new CliException(ExitCodes.USAGE, "--query and --schema exclude each other — pass one of them");
        }
        ComputationView c = main.computations()
                .propose(new ComputationService.Proposal(
                        prompt,
                        schema,
                        threshold,
                        deadline,
                        heavy,
                        grace,
                        scheme,
                        query == null ? null : AtFile.read("--query", query),
                        dpEpsilon,
                        from));
        if (!await) {
            main.print(
                    json,
                    () -> c,
                    o -> o.println("proposed " + c.id() + " to " + c.heavy().get(0)
                            + " (threshold " + c.threshold() + ", deadline in "
                            + Durations.human(c.deadlineMillis() - System.currentTimeMillis())
                            + ") — follow it: formix comp watch " + c.id()));
            return ExitCodes.OK;
        }
        if (!json) {
            PrintWriter out = main.out();
            out.println("proposed " + c.id() + " (threshold " + c.threshold() + ", deadline in "
                    + Durations.human(c.deadlineMillis() - System.currentTimeMillis()) + ")");
            out.flush();
        }
        ComputationView end = CompCommand.follow(main, c.id(), json ? null : main.err());
        return CompCommand.report(main, end, json);
    }
}
