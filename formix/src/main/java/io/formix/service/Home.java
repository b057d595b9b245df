package io.formix.service;

import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where the services work: the Formix home, the transport's data folder and the transport's name
 * ({@code file} or {@code tcp}; asked for only when needed, so a bad name fails only the commands
 * that use it).
 */
public final class Home {

    private final FormixHome files;
    private final Supplier<String> transport;

    public Home(Path home, Path dataDir, Supplier<String> transport) {
        this.files = new FormixHome(home, dataDir);
        this.transport = transport;
    }

    /** A home with the default data folder and the file transport. */
    public static Home of(Path home) {
        return new Home(home, null, () -> "file");
    }

    public Path home() {
        return files.home();
    }

    public Path dataDir() {
        return files.dataDir();
    }

    public Path adminDir() {
        return files.adminDir();
    }

    public String transport() {
        return transport.get();
    }

    FormixHome files() {
        return files;
    }

    /**
     * Opens network.db; fails with a hint when the home was never initialised, and with what to
     * do when its network.db is unusable (empty, foreign, corrupt, or gone while nodes/ remains).
     */
    NetworkDb openNetwork() {
        if (!Files.exists(files.networkDb(), LinkOption.NOFOLLOW_LINKS) && NetworkDb.nodeFolders(files) == 0) {
            throw new ServiceException(
                    ServiceException.Kind.NOT_FOUND,
                    "no Formix network at " + files.home()
                            + " — run 'formix init' (or 'formix network up') first, or pass --home");
        }
        return NetworkDb.open(files);
    }

    /**
     * Creates what is missing of the home and opens its network.db. network.db is checked (or
     * created) first, so an unusable one fails before anything is written.
     */
    NetworkDb initAndOpen() throws IOException {
        init();
        return NetworkDb.open(files);
    }

    /** Creates what is missing of the home: network.db, nodes/ and the data folder. */
    void init() throws IOException {
        NetworkDb.open(files).close();
        Files.createDirectories(files.home().resolve("nodes"));
        Files.createDirectories(files.dataDir());
    }
}
