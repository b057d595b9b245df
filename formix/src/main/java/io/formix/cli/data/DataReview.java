package io.formix.cli.data;

import io.formix.cli.ExitCodes;
import io.formix.service.PolicyService;
import io.formix.service.ReviewView;
import io.formix.service.TerminalText;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix data review}: a local dry run of a proposal on this node — the review its owner
 * will see, with the answer computed here and the policy's verdict. Nothing is sent or recorded.
 */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = "show what a light node would do with a proposal: the query in words, what is shared and with "
                + "whom, the answer computed locally, the policy's verdict and the hash an approval binds to "
                + "(nothing is sent)")
final class DataReview implements Callable<Integer> {

    @ParentCommand
    DataCommand parent;

    @Parameters(paramLabel = "LIGHT-UID")
    String uid;

    @Option(names = "--query", required = true, paramLabel = "JSON|@FILE", description = "the query, or @FILE")
    String query;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "the question asked")
    String prompt;

    @Option(
            names = "--threshold",
            required = true,
            paramLabel = "K",
            description = "the fewest light nodes in the total")
    long threshold;

    @Option(
            names = "--heavy",
            split = ",",
            paramLabel = "UID",
            description = "the heavy nodes (default: the first three of the network)")
    List<String> heavy;

    @Option(names = "--proposer", paramLabel = "UID", description = "who proposes (for the proposers control)")
    String proposer;

    @Option(names = "--dp-epsilon", paramLabel = "E", description = "the differential privacy asked for")
    BigDecimal dpEpsilon;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        String text = DataQuery.read(query);
        ReviewView r = parent.main
                .policies()
                .review(uid, new PolicyService.DryRun(prompt, text, threshold, heavy, proposer, dpEpsilon));
        parent.main.print(json, () -> r, out -> r.lines().forEach(l -> out.println(TerminalText.safe(l))));
        return ExitCodes.OK;
    }
}
