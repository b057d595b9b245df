package io.formix.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.formix.state.FormixHome;
import io.formix.state.NodeRecord;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What only the home of a node knows about it ({@code nodes/<uid>/node.json}: its approval mode and
 * creation time), kept beside its keys so its row can be rebuilt. Every registry sync asks for the
 * settings of every local node (a host holds 10,000); a file is parsed again only when its size,
 * modification time or file key changed since it was last read, and not while its modification
 * time is within {@value #RACY_MS} ms of the read (a rewrite in the same clock tick would keep all
 * three). Formix writes the file once, by a rename, when it makes the node. At most one entry per
 * local node; thread-safe.
 */
final class NodeSettings {

    /** A modification time this close to the read may be followed by a change the time does not show. */
    static final long RACY_MS = 2_000;

    private static final int MAX_ENTRIES = VerifiedDocuments.MAX_MEMBERS;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The settings; {@code approval} is never null. */
    record LocalSettings(NodeRecord.Approval approval, long createdAt) {}

    private record Read(long size, long modified, Object fileKey, LocalSettings settings) {}

    private static final Map<Path, Read> READ = new ConcurrentHashMap<>();

    private NodeSettings() {}

    static Path file(FormixHome home, PartyId uid) {
        return home.nodeDir(uid).resolve("node.json");
    }

    /** The settings written when the node was made; null if there are none (an older home). */
    static LocalSettings of(FormixHome home, PartyId uid) {
        return of(home, uid, System.currentTimeMillis());
    }

    /** {@link #of(FormixHome, PartyId)} at wall-clock time {@code now} (ms), the time compared with the file's. */
    static LocalSettings of(FormixHome home, PartyId uid, long now) {
        Path f = file(home, uid);
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long modified = a.lastModifiedTime().toMillis();
            Read r = READ.get(f);
            if (r != null
                    && r.size() == a.size()
                    && r.modified() == modified
                    && Objects.equals(r.fileKey(), a.fileKey())) {
                return r.settings();
            }
            byte[] doc = SharedFiles.read(f).orElse(null);
            if (doc == null) {
                return null;
            }
            var n = JSON.readTree(doc);
            LocalSettings s = new LocalSettings(
                    NodeRecord.Approval.parse(n.path("approval").asText("auto")),
                    n.path("createdAt").asLong(0));
            if (a.fileKey() != null && modified < now - RACY_MS) {
                if (READ.size() >= MAX_ENTRIES) {
                    READ.clear();
                }
                READ.put(f, new Read(a.size(), modified, a.fileKey(), s));
            }
            return s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
