package io.formix.cli;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.StateErrors;
import io.formix.state.StateException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix init}: creates the home, {@code network.db} and the data folder. Never destroys
 * data: on a home whose {@code network.db} holds nodes or computations it changes nothing and
 * says so; on an unusable one (empty, foreign, corrupt, missing beside node folders) it reports
 * that. {@code --force} starts over by moving {@code network.db} (with its {@code -wal}),
 * {@code admin/} and {@code nodes/} aside to {@code *.bak-<UTC time>}, never deleting them, and
 * refuses while nodes run. It never touches the data folder, which other hosts share: a later
 * {@code network create} refuses while the folder holds another network.
 */
@Command(name = "init", mixinStandardHelpOptions = true, description = "create the Formix home (network.db, nodes/, channels/)")
final class InitCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @ParentCommand
    Main main;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--force", description = "start over: move network.db, admin/ and nodes/ aside to *.bak-<time> "
            + "(nothing is deleted; the shared data folder is left alone), then create new ones")
    boolean force;

    @Option(names = "--layout", paramLabel = "default|syftbox",
            description = "channel layout of this home's nodes: default (channels under the data dir) or syftbox "
                    + "(channels in SyftBox datasites; needs --datasites and --email; docs/syftbox.md)")
    String layout;

    @Option(names = "--datasites", paramLabel = "<dir>", description = "with --layout syftbox: the SyftBox datasites folder")
    Path datasites;

    @Option(names = "--email", description = "with --layout syftbox: this home's datasite (its SyftBox email)")
    String email;

    @Override
    public Integer call() throws IOException {
        checkLayout();
        FormixHome home = main.formixHome();
        List<Path> moved = force ? moveAside(home) : List.of();
        if (!force && Files.exists(home.networkDb(), LinkOption.NOFOLLOW_LINKS)) {
            try (NetworkDb net = NetworkDb.open(home)) {
                int nodes = net.nodes(null).size();
                int comps = net.computations().size();
                if (nodes + comps > 0) {
                    throw new CliException(ExitCodes.REFUSED, home.networkDb() + " already holds a network (" + nodes
                            + " node(s), " + comps + " computation(s)) — nothing changed; to start over: formix init "
                            + "--force (moves network.db and nodes/ aside)");
                }
            }
        }
        init(main);
        if (layout != null) {
            SyftBoxConfig.write(home, "syftbox".equals(layout) ? datasites : null, email);
        }
        PrintWriter out = main.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("home", home.home().toString());
            m.put("dataDir", home.dataDir().toString());
            m.put("movedAside", moved.stream().map(Path::toString).toList());
            main.printJson(out, m);
        } else {
            for (Path p : moved) {
                out.println("moved aside: " + p);
            }
            out.println("Formix home ready at " + home.home() + " (data dir " + home.dataDir() + ")");
            out.flush();
        }
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
            default -> throw new CliException(ExitCodes.USAGE, "--layout must be default or syftbox, not \""
                    + layout.replaceAll("\\p{Cntrl}", "?") + "\"");
        }
    }

    /**
     * Creates what is missing of the home. {@code network.db} is checked (or created) first, so
     * an unusable one fails before anything is written.
     */
    static FormixHome init(Main main) throws IOException {
        FormixHome home = main.formixHome();
        NetworkDb.open(home).close();
        Files.createDirectories(home.home().resolve("nodes"));
        Files.createDirectories(home.dataDir());
        return home;
    }

    /** Moves network.db (and its -wal/-shm) and nodes/ aside; refuses while nodes run on them. */
    private static List<Path> moveAside(FormixHome home) throws IOException {
        Path db = home.networkDb();
        List<String> running = new ArrayList<>();
        if (Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
            try (NetworkDb net = NetworkDb.open(home)) {
                for (NodeRecord r : net.nodes(null)) {
                    if (NodeControl.isRunning(r)) {
                        running.add(r.uid().value());
                    }
                }
            } catch (StateException unreadable) {
                // nobody can be running on a file that cannot be read
            }
        }
        if (!running.isEmpty()) {
            throw new CliException(ExitCodes.REFUSED, running.size() + " node(s) still run on " + db + " (" + running.get(0)
                    + (running.size() > 1 ? ", …" : "") + ") — stop them first: formix network down");
        }
        String stamp = STAMP.format(java.time.Instant.now());
        List<Path> moved = new ArrayList<>();
        try {
            Path bak = db.resolveSibling(db.getFileName() + ".bak-" + stamp);
            if (Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
                // The -wal goes along under the backup's name, so opening the backup sees its last commits.
                for (String suffix : new String[] {"-wal", "-shm"}) {
                    Path side = Path.of(db + suffix);
                    if (Files.exists(side, LinkOption.NOFOLLOW_LINKS)) {
                        Files.move(side, Path.of(bak + suffix));
                    }
                }
                Files.move(db, bak);
                moved.add(bak);
            }
            // The admin key of the network this home administered goes too. The data folder is
            // never touched (neither its channels nor formix/): it is shared, and a sync engine
            // would carry a folder moved aside here to every other host as a deletion. Node keys
            // move with nodes/.
            if (Files.exists(home.adminDir(), LinkOption.NOFOLLOW_LINKS)) {
                Path adminBak = home.adminDir().resolveSibling("admin.bak-" + stamp);
                Files.move(home.adminDir(), adminBak);
                moved.add(adminBak);
            }
            Path nodes = home.home().resolve("nodes");
            if (NetworkDb.nodeFolders(home) > 0) {
                Path nodesBak = nodes.resolveSibling("nodes.bak-" + stamp);
                Files.move(nodes, nodesBak);
                moved.add(nodesBak);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.ERROR, "could not move the old network aside: " + StateErrors.describe(e));
        }
        return moved;
    }
}
