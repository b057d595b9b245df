package io.formix.cli.node;

import io.formix.cli.ExitCodes;
import io.formix.cli.JsonOption;
import io.formix.service.NetworkViews;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "rotate-key",
        mixinStandardHelpOptions = true,
        description =
                "give a node of this home a new encryption key; the previous one keeps opening messages for --keep")
final class RotateKeyCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand parent;

    @Parameters(paramLabel = "UID")
    String uid;

    @Option(
            names = "--keep",
            paramLabel = "DURATION",
            defaultValue = "24h",
            description = "how long the previous key still opens messages sealed to it, e.g. 24h, 30m (default 24h; "
                    + "the receiver's grace of 24 h comes on top)")
    Duration keep;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() throws IOException {
        NetworkViews.Rotation rot = parent.main.nodes().rotateKey(uid, keep);
        output.print(parent.main, () -> rot, out -> {
            out.println(rot.uid() + ": new encryption key " + rot.kid() + " (descriptor seq " + rot.seq() + ")");
            for (NetworkViews.PreviousKey k : rot.previous()) {
                out.println("previous key " + k.kid() + " opens messages until " + k.expiresAt()
                        + " (plus the receiver's grace)");
            }
        });
        return ExitCodes.OK;
    }
}
