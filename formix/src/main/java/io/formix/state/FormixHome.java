package io.formix.state;

import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where Formix keeps its files: {@code <home>/network.db}, {@code <home>/nodes/<uid>/node.db} and
 * {@code node.log}, {@code <home>/hosts/} (logs of background host processes) and the data dir of
 * the transport (default {@code <home>/channels}). Node uids are {@link PartyId}s, validated before
 * they become path segments.
 */
public record FormixHome(Path home, Path dataDir) {

    public FormixHome {
        Objects.requireNonNull(home, "home");
        home = home.toAbsolutePath().normalize();
        dataDir = dataDir == null
                ? home.resolve("channels")
                : dataDir.toAbsolutePath().normalize();
    }

    /** The home with the default data dir {@code <home>/channels}. */
    public static FormixHome of(Path home) {
        return new FormixHome(home, null);
    }

    public Path networkDb() {
        return home.resolve("network.db");
    }

    public Path nodeDir(PartyId uid) {
        return home.resolve("nodes").resolve(uid.value());
    }

    public Path nodeDb(PartyId uid) {
        return nodeDir(uid).resolve("node.db");
    }

    public Path nodeLog(PartyId uid) {
        return nodeDir(uid).resolve("node.log");
    }

    /** The network admin's key (only on the machine that ran {@code network create}); never in the data dir. */
    public Path adminDir() {
        return home.resolve("admin");
    }

    /** A local node's private keys ({@code NodeKeys}); never in the data dir. */
    public Path nodeKeysDir(PartyId uid) {
        return nodeDir(uid).resolve("keys");
    }

    /** The signed documents of the network in the shared data dir: network.json, roster.json, nodes/. */
    public Path sharedDir() {
        return dataDir.resolve("formix");
    }

    public Path hostsDir() {
        return home.resolve("hosts");
    }
}
