package io.formix.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.formix.transport.Transport;
import io.formix.transport.file.ChannelStall;
import io.formix.transport.file.FileTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes the inbound channels of a node that are stuck on a gap its file transport cannot fill
 * ({@link FileTransport#stalls()}): once in the node's log when the set changes, and in
 * {@code nodes/<uid>/stalls.json}, which {@code formix node show} reads. The file exists only while
 * some channel is stalled. Other transports have no stalls.
 */
public final class ChannelHealth {

    /** The file beside {@code node.db} that lists the stalled channels of a running node. */
    public static final String FILE = "stalls.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private List<ChannelStall> published = List.of();

    ChannelHealth() {}

    /** Compares the node's stalls with what was published last and publishes a change. */
    void check(Transport transport, NodeLog log, Path nodeDir) {
        if (!(transport instanceof FileTransport file)) {
            return;
        }
        List<ChannelStall> now = file.stalls();
        if (now.equals(published)) {
            return;
        }
        for (ChannelStall s : now) {
            if (!published.contains(s)) {
                log.warn("channel from " + s.from() + " is stuck: waiting for message " + s.waitingFor()
                        + " since " + s.since() + " while messages " + s.lowestAhead() + ".." + s.highestAhead()
                        + " are present (the sender may have lost its state, or someone wrote ahead)");
            }
        }
        if (now.isEmpty()) {
            log.info("every inbound channel moves again");
        }
        try {
            write(nodeDir.resolve(FILE), now);
            published = List.copyOf(now);
        } catch (IOException e) {
            log.warn("cannot record the stalled channels in " + nodeDir.resolve(FILE) + ": " + e.getMessage());
        }
    }

    /** Removes the file of a node that stops: a stopped node reports nothing. */
    static void clear(Path nodeDir) {
        try {
            Files.deleteIfExists(nodeDir.resolve(FILE));
        } catch (IOException ignored) {
            // stale at worst; node show reads it only for running nodes
        }
    }

    /** The stalls recorded for a node, as JSON-ready maps; empty if none or unreadable. */
    public static List<Map<String, Object>> read(Path nodeDir) {
        Path f = nodeDir.resolve(FILE);
        try {
            if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(f) > 1 << 20) {
                return List.of();
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> list = JSON.readValue(f.toFile(), List.class);
            return list;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static void write(Path file, List<ChannelStall> stalls) throws IOException {
        if (stalls.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChannelStall s : stalls) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", s.from().value());
            m.put("waitingFor", s.waitingFor());
            m.put("lowestAhead", s.lowestAhead());
            m.put("highestAhead", s.highestAhead());
            m.put("since", s.since().toString());
            out.add(m);
        }
        Path temp = file.resolveSibling("." + FILE + ".tmp");
        Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
