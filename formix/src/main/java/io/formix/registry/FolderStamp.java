package io.formix.registry;

import io.formix.state.FormixHome;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A cheap summary of the registry's documents in the data folder, so that a host can skip a sync
 * while nothing changed. It proves nothing: {@link RegistrySync#sync} still verifies what it reads,
 * and the host syncs in full at least every 30 s whatever the stamp says.
 *
 * <ul>
 *   <li>{@code network.json} and the roster pages (a few files): each one's name, size,
 *       modification time and file key.
 *   <li>{@code nodes/} (one descriptor per member: 10,000 and more): the folder's own modification
 *       time and file key, not one {@code lstat} per file every 2 s. Publishing a descriptor adds or
 *       replaces an entry of the folder (Formix writes a temp file and renames it, and so do sync
 *       engines such as Syncthing and rsync), which sets the folder's modification time. A rewrite
 *       <em>in place</em> (bytes written into the existing file) does not change the folder: such
 *       a change is seen at the next full sync, at most 30 s later. No security property rests on
 *       the stamp (a replayed or forged descriptor is refused by the sync whenever it runs), only
 *       how soon a new descriptor, such as a rotated key, is taken.
 *   <li>A modification time less than {@value #RACY_MS} ms before the stamp is taken makes the
 *       stamp unique, so the host syncs again at its next tick until the folder has been still
 *       that long: a second change within the same tick of the file system's clock would
 *       otherwise leave the same time behind.
 * </ul>
 */
public final class FolderStamp {

    static final long RACY_MS = 2_000;

    private FolderStamp() {}

    /** The stamp of {@code home}'s data folder now. */
    public static String of(FormixHome home) {
        long now = System.currentTimeMillis();
        StringBuilder b = new StringBuilder();
        List<Path> files = new ArrayList<>(List.of(SharedFiles.network(home)));
        try (DirectoryStream<Path> s = Files.newDirectoryStream(home.sharedDir(), "roster*.json")) {
            for (Path f : s) {
                files.add(f);
            }
        } catch (IOException e) {
            b.append("unlisted;");
        }
        files.sort(null);
        files.add(SharedFiles.nodesDir(home));
        boolean racy = false;
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                long modified = a.lastModifiedTime().toMillis();
                racy |= modified > now - RACY_MS;
                b.append(f.getFileName())
                        .append(':')
                        .append(a.isDirectory() ? "d" : a.size())
                        .append(':')
                        .append(a.lastModifiedTime())
                        .append(':')
                        .append(a.fileKey())
                        .append(';');
            } catch (IOException e) {
                b.append(f.getFileName()).append(":-;");
            }
        }
        if (racy) {
            b.append("recent:").append(now).append(':').append(System.nanoTime());
        }
        return b.toString();
    }
}
