package io.formix.cli;

import io.formix.service.NetworkViews;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix init}: creates the home, {@code network.db} and the data folder; never destroys
 * data ({@link io.formix.service.HomeService#init}).
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = "create the Formix home (network.db, nodes/, channels/)")
final class InitCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(
            names = "--force",
            description = "start over: move network.db, admin/ and nodes/ aside to *.bak-<time> "
                    + "(nothing is deleted; the shared data folder is left alone), then create new ones")
    boolean force;

    @Option(
            names = "--layout",
            paramLabel = "default|syftbox",
            description = "channel layout of this home's nodes: default (channels under the data dir) or syftbox "
                    + "(channels in SyftBox datasites; needs --datasites and --email; docs/syftbox.md)")
    String layout;

    @Option(
            names = "--datasites",
            paramLabel = "<dir>",
            description = "with --layout syftbox: the SyftBox datasites folder")
    Path datasites;

    @Option(names = "--email", description = "with --layout syftbox: this home's datasite (its SyftBox email)")
    String email;

    @Override
    public Integer call() throws IOException {
        checkLayout();
        NetworkViews.Init done = main.homes().init(force);
        if (layout != null) {
            main.homes().layout("syftbox".equals(layout) ? datasites : null, email);
        }
        main.print(json, () -> done, out -> {
            for (String p : done.movedAside()) {
                out.println("moved aside: " + p);
            }
            out.println("Formix home ready at " + done.home() + " (data dir " + done.dataDir() + ")");
        });
        return ExitCodes.OK;
    }

    /** The layout options, checked before anything is written (one line each). */
    private void checkLayout() {
        if (layout == null) {
            if (datasites != null || email != null) {
                throw new CliException(ExitCodes.USAGE, "--datasites and --email need --layout syftbox");
            }
            return;
        }
        switch (layout) {
            case "default" -> {
                if (datasites != null || email != null) {
                    throw new CliException(ExitCodes.USAGE, "--datasites and --email need --layout syftbox");
                }
            }
            case "syftbox" -> {
                if (datasites == null || email == null) {
                    throw new CliException(ExitCodes.USAGE, "--layout syftbox needs --datasites and --email");
                }
                try {
                    io.formix.transport.file.ChannelLayout.requireEmail(email);
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.USAGE, "--email: " + e.getMessage());
                }
            }
            default ->
                throw new CliException(
                        ExitCodes.USAGE,
                        "--layout must be default or syftbox, not \"" + layout.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
    }
}
