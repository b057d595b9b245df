package io.formix.service;

import io.formix.service.ServiceException.Kind;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import io.formix.state.NodeRecord;
import io.formix.state.StateErrors;
import io.formix.state.StateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The home itself ({@code formix init}): creates it, never destroys data. On a home whose
 * {@code network.db} holds nodes or computations it changes nothing and says so; on an unusable
 * one (empty, foreign, corrupt, missing beside node folders) it reports that. {@code force}
 * starts over by moving {@code network.db} (with its {@code -wal}), {@code admin/} and
 * {@code nodes/} aside to {@code *.bak-<UTC time>}, never deleting them, and refuses while nodes
 * run. It never touches the data folder, which other hosts share.
 */
public final class HomeService {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Home home;
    private final Clock clock;

    public HomeService(Home home, Clock clock) {
        this.home = home;
        this.clock = clock;
    }

    /** Creates what is missing of the home; with {@code force}, moves an existing network aside first. */
    public NetworkViews.Init init(boolean force) throws IOException {
        FormixHome files = home.files();
        List<Path> moved = force ? moveAside(files) : List.of();
        if (!force && Files.exists(files.networkDb(), LinkOption.NOFOLLOW_LINKS)) {
            try (NetworkDb net = NetworkDb.open(files)) {
                int nodes = net.nodes(null).size();
                int comps = net.computations().size();
                if (nodes + comps > 0) {
                    throw new ServiceException(
                            Kind.REFUSED,
                            files.networkDb() + " already holds a network (" + nodes
                                    + " node(s), " + comps
                                    + " computation(s)) — nothing changed; to start over: formix init "
                                    + "--force (moves network.db and nodes/ aside)");
                }
            }
        }
        home.init();
        return new NetworkViews.Init(
                files.home().toString(),
                files.dataDir().toString(),
                moved.stream().map(Path::toString).toList());
    }

    /**
     * Sets the channel layout of this home's nodes: the SyftBox one in {@code datasites} as
     * {@code email}, or (both null) the default one under the data dir (docs/syftbox.md).
     */
    public void layout(Path datasites, String email) throws IOException {
        SyftBoxConfig.write(home.files(), datasites, email);
    }

    /** Moves network.db (and its -wal/-shm) and nodes/ aside; refuses while nodes run on them. */
    private List<Path> moveAside(FormixHome files) {
        Path db = files.networkDb();
        List<String> running = new ArrayList<>();
        if (Files.exists(db, LinkOption.NOFOLLOW_LINKS)) {
            try (NetworkDb net = NetworkDb.open(files)) {
                for (NodeRecord r : net.nodes(null)) {
                    if (HostProcesses.isRunning(r)) {
                        running.add(r.uid().value());
                    }
                }
            } catch (StateException unreadable) {
                // nobody can be running on a file that cannot be read
            }
        }
        if (!running.isEmpty()) {
            throw new ServiceException(
                    Kind.REFUSED,
                    running.size() + " node(s) still run on " + db + " (" + running.get(0)
                            + (running.size() > 1 ? ", …" : "") + ") — stop them first: formix network down");
        }
        String stamp = STAMP.format(clock.instant());
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
            if (Files.exists(files.adminDir(), LinkOption.NOFOLLOW_LINKS)) {
                Path adminBak = files.adminDir().resolveSibling("admin.bak-" + stamp);
                Files.move(files.adminDir(), adminBak);
                moved.add(adminBak);
            }
            Path nodes = files.home().resolve("nodes");
            if (NetworkDb.nodeFolders(files) > 0) {
                Path nodesBak = nodes.resolveSibling("nodes.bak-" + stamp);
                Files.move(nodes, nodesBak);
                moved.add(nodesBak);
            }
        } catch (IOException e) {
            throw new ServiceException(Kind.ERROR, "could not move the old network aside: " + StateErrors.describe(e));
        }
        return moved;
    }
}
