package io.formix.cli.comp;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.cli.Main;
import io.formix.service.OwnerViews.ComputationReview;
import io.formix.service.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = {
            "review a computation a light node received: the question, the query in plain words, what is shared and"
                    + " with whom, the answer this node would send (computed here, nothing is sent), the policy",
            "Records the proposal hash it prints: formix comp approve binds to it."
        })
final class ReviewCommand extends Decision {

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
        Main main = parent.main;
        ComputationReview r = main.owners().review(id, node);
        output.print(main, () -> r, out -> r.lines().forEach(l -> out.println(TerminalText.safe(l))));
        return ExitCodes.OK;
    }
}
