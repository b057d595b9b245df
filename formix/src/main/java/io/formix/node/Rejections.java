package io.formix.node;

import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages a node refused since it started, counted by sender and kind, so an operator (and a
 * test) sees forgeries and bad messages in {@code formix node show} instead of reading the log. Kinds:
 * {@code seal} (the sealing layer refused it: not for us, unknown sender, bad signature, replay…),
 * {@code protocol} (a valid envelope the protocol refused) and {@code error} (handling it failed).
 *
 * <p>Published by the host's tick into {@code nodes/<uid>/rejections.json} when something changed,
 * not per message, so a flood of forgeries costs at most one file write per tick; the host is told
 * when there is something new, so its tick looks at no node's counts otherwise. At most
 * {@link #MAX_ENTRIES} sender/kind pairs are kept; later pairs are folded into one {@code others}
 * entry. Reasons are cut to {@link #MAX_REASON} characters; they come from our own checks, but name
 * what the sender sent, so readers still pass them through {@code TerminalText}.
 */
public final class Rejections {

    static final String FILE = "rejections.json";
    static final int MAX_ENTRIES = 256;
    static final int MAX_REASON = 200;
    private static final String OTHERS = "others";

    /** One sender and kind: how many, and the latest reason and moment. */
    private static final class Entry {
        final String from;
        final String kind;
        long count;
        String lastReason;
        Instant last;

        Entry(String from, String kind) {
            this.from = from;
            this.kind = kind;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    /** Written under this object's lock; read without it by {@link #changed()}. */
    private volatile boolean changed;
    /** Told after {@link #changed} became true: the host then looks for what to publish. */
    private final Runnable onChange;

    /** Counts that no one is told of (a node's before its host sets its own). */
    public Rejections() {
        this(() -> {});
    }

    /** Counts that run {@code onChange} whenever they have something new to publish. */
    Rejections(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Counts one refused message; never blocks on I/O. */
    synchronized void record(PartyId from, String kind, String reason, Instant at) {
        String key = from.value() + "\n" + kind;
        Entry e = entries.get(key);
        if (e == null) {
            if (entries.size() >= MAX_ENTRIES) {
                key = OTHERS + "\n" + OTHERS;
                e = entries.computeIfAbsent(key, k -> new Entry(OTHERS, OTHERS));
            } else {
                e = new Entry(from.value(), kind);
                entries.put(key, e);
            }
        }
        e.count++;
        String r = String.valueOf(reason);
        e.lastReason = r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "…" : r;
        e.last = at;
        changed = true;
        onChange.run();
    }

    /** Total refused since start. */
    synchronized long total() {
        long n = 0;
        for (Entry e : entries.values()) {
            n += e.count;
        }
        return n;
    }

    /**
     * The events a node's transport reports to: lines go to {@code log}, refused messages are
     * counted here as kind {@code seal}.
     */
    TransportFactory.Events events(NodeLog log, Clock clock) {
        return new TransportFactory.Events() {
            @Override
            public void warn(String line) {
                log.warn(line);
            }

            @Override
            public void refused(PartyId from, String reason) {
                record(from, "seal", reason, clock.instant());
            }
        };
    }

    /** Whether something was refused since the last publication: the host's tick asks every node. */
    boolean changed() {
        return changed;
    }

    /** {@link #publish}, telling {@code log} if it cannot (the counts stay, the next pass retries). */
    void publish(Path nodeDir, NodeLog log) {
        try {
            publish(nodeDir);
        } catch (IOException e) {
            synchronized (this) {
                changed = true;
            }
            onChange.run();
            log.warn("cannot publish the refused messages to " + nodeDir.resolve(FILE) + ": " + e.getMessage());
        }
    }

    /** Writes the file if anything changed since the last publication. */
    void publish(Path nodeDir) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        synchronized (this) {
            if (!changed) {
                return;
            }
            changed = false;
            for (Entry e : entries.values()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("from", e.from);
                m.put("kind", e.kind);
                m.put("count", e.count);
                m.put("lastReason", e.lastReason);
                m.put("last", e.last.toString());
                out.add(m);
            }
        }
        NodeReportFiles.write(nodeDir, FILE, out);
    }

    /** Removes the file of a node that starts: it reports what was refused since then. */
    static void clear(Path nodeDir) {
        NodeReportFiles.delete(nodeDir, FILE);
    }

    /** The refusals recorded for a node, as JSON-ready maps; empty if none or unreadable. */
    public static List<Map<String, Object>> read(Path nodeDir) {
        return NodeReportFiles.read(nodeDir, FILE);
    }
}
