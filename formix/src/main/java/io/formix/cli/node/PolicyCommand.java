package io.formix.cli.node;

import io.formix.cli.CliException;
import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.policy.ApprovalMode;
import io.formix.policy.Control;
import io.formix.policy.DisclosurePolicy;
import io.formix.policy.PolicyException;
import io.formix.policy.Usage;
import io.formix.service.PolicyService;
import io.formix.service.TerminalText;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix node policy}: shows or sets the local disclosure controls of a light node. Every
 * control is off until its owner sets it; with no setting option the policy is shown.
 */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = {
            "show or set the disclosure controls of a light node (every control is off until you set it; "
                    + "without a setting option the policy is shown)",
            "A decline tells the proposer only \"declined by the data owner's policy\"; the reason stays in the "
                    + "node's log."
        })
final class PolicyCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Parameters(paramLabel = "LIGHT-UID")
    String uid;

    @Option(names = "--min-threshold", paramLabel = "K", description = "decline a threshold below K light nodes")
    Long minThreshold;

    @Option(names = "--min-rows", paramLabel = "N", description = "decline when 0 < contributing rows < N")
    Long minRows;

    @Option(names = "--min-cell", paramLabel = "K", description = "decline a histogram with a cell of 1..K-1 rows")
    Long minCell;

    @Option(
            names = "--columns",
            split = ",",
            paramLabel = "COLUMN",
            description = "answer only queries reading these columns")
    List<String> columns;

    @Option(
            names = "--types",
            split = ",",
            paramLabel = "TYPE",
            description = "answer only these aggregates: count, sum, mean, histogram, vector, choice")
    List<String> types;

    @Option(names = "--proposers", split = ",", paramLabel = "UID", description = "answer only these proposers")
    List<String> proposers;

    @Option(
            names = "--max-per-day",
            paramLabel = "N",
            description = "answer at most N computations per dataset per UTC day")
    Long maxPerDay;

    @Option(
            names = "--max-epsilon",
            paramLabel = "E",
            description =
                    "answer only differentially private queries, while their epsilon adds up to at most E per dataset")
    BigDecimal maxEpsilon;

    @Option(
            names = "--recommended",
            description = "set the recommended controls: min-threshold 3, min-rows 5, min-cell 5, "
                    + "max-per-day 20 (options given beside it win)")
    boolean recommended;

    @Option(names = "--off", split = ",", paramLabel = "NAME", description = "turn these controls off (repeatable)")
    List<String> off;

    @Option(
            names = "--approval",
            paramLabel = "MODE",
            description = "how query computations are approved: manual (the default: you review and approve each "
                    + "one, formix comp inbox) or policy (automatically when every control passes)")
    String approval;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        DisclosurePolicy set;
        ApprovalMode mode;
        try {
            mode = approval == null ? null : ApprovalMode.parse(approval);
            set = DisclosurePolicy.OFF
                    .with(Control.MIN_THRESHOLD, minThreshold)
                    .with(Control.MIN_ROWS, minRows)
                    .with(Control.MIN_CELL, minCell)
                    .with(Control.COLUMNS, columns)
                    .with(Control.TYPES, types)
                    .with(Control.PROPOSERS, proposers)
                    .with(Control.MAX_PER_DAY, maxPerDay)
                    .with(Control.MAX_EPSILON, maxEpsilon);
        } catch (PolicyException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        PolicyService.Change change = new PolicyService.Change(recommended, set, off, mode);
        boolean updating = !change.empty();
        PolicyService.PolicyView view = updating
                ? parent.main.policies().update(uid, change)
                : parent.main.policies().show(uid);
        output.print(parent.main, view::toJson, out -> {
            DisclosurePolicy p = view.policy();
            out.println((updating ? "updated the disclosure policy of " : "disclosure policy of ")
                    + view.node()
                    + (p.off().size() == Control.values().length ? " — every control is off" : ""));
            for (Control c : Control.values()) {
                Object v = p.value(c);
                String shown = v == null
                        ? "off"
                        : v instanceof List<?> l
                                ? String.join(
                                        ",", l.stream().map(String::valueOf).toList())
                                : v instanceof BigDecimal b ? b.toPlainString() : v.toString();
                out.println(String.format(
                                "  %-14s %-12s %s",
                                c.label(), TerminalText.safe(shown), v == null ? "" : TerminalText.safe(p.describe(c)))
                        .stripTrailing());
            }
            if (!p.off().isEmpty()) {
                out.println("off: " + String.join(", ", view.off()) + " (set one with formix node policy " + view.node()
                        + " --NAME VALUE, or --recommended)");
            }
            out.println("approval: " + view.approval().label()
                    + (view.approval() == ApprovalMode.POLICY
                            ? " (a query computation is approved when every control passes)"
                            : " (you review and approve each query computation: formix comp inbox --node " + view.node()
                                    + ")"));
            for (Map.Entry<String, Usage> e : view.usage().entrySet()) {
                out.println("ledger: " + TerminalText.safe(e.getKey()) + ": "
                        + e.getValue().answeredToday() + " computation(s) today, ε "
                        + e.getValue().epsilonSpent().toPlainString() + " spent in all");
            }
        });
        return ExitCodes.OK;
    }
}
