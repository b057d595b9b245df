package io.formix.registry;

import io.formix.state.FormixHome;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the network's public documents live in the data folder ({@code <data-dir>/formix/}):
 * {@code network.json} and {@code roster.json} (written by the admin's home only) and
 * {@code nodes/<uid>.json} (written by the home that holds that node's keys only), so no two homes
 * ever write the same file. Written atomically, read within {@link DocumentFiles} bounds.
 */
final class SharedFiles {

    private SharedFiles() {}

    static Path network(FormixHome home) {
        return home.sharedDir().resolve("network.json");
    }

    static Path nodesDir(FormixHome home) {
        return home.sharedDir().resolve("nodes");
    }

    static Path node(FormixHome home, PartyId uid) {
        return nodesDir(home).resolve(uid.value() + ".json");
    }

    /** The document at {@code file}, or empty if there is none (yet: a sync engine may not have brought it). */
    static Optional<byte[]> read(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(DocumentFiles.read(file));
    }

    static void write(Path file, byte[] document) throws IOException {
        Files.createDirectories(file.getParent());
        DocumentFiles.write(file, document);
    }
}
