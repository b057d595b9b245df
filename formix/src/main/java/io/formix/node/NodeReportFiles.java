package io.formix.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The small JSON reports a host writes beside a node's {@code node.db} for {@code formix node show}
 * ({@code stalls.json}, {@code rejections.json}): a list of flat objects, replaced atomically, read
 * without following links and bounded in size.
 */
final class NodeReportFiles {

    /** Reports larger than this are not read: a host never writes one. */
    static final long MAX_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeReportFiles() {}

    /** Replaces {@code nodeDir/name} with {@code entries} (temp file and rename: readers see all or nothing). */
    static void write(Path nodeDir, String name, List<Map<String, Object>> entries) throws IOException {
        Path temp = nodeDir.resolve("." + name + ".tmp");
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entries));
        Files.move(temp, nodeDir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The entries of {@code nodeDir/name}; empty if it is missing, not a regular file, too large or unreadable. */
    static List<Map<String, Object>> read(Path nodeDir, String name) {
        Path f = nodeDir.resolve(name);
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > MAX_BYTES) {
                return List.of();
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = JSON.readValue(f.toFile(), List.class);
            return list;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Removes {@code nodeDir/name} if present; a failure leaves a stale report at worst. */
    static void delete(Path nodeDir, String name) {
        try {
            Files.deleteIfExists(nodeDir.resolve(name));
        } catch (IOException ignored) {
            // stale at worst: the next report replaces it
        }
    }
}
