package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The channel folders {@code <x>_to_<y>} of one root, listed once for every {@link FileTransport}
 * of this JVM on that root and reference-counted ({@link #acquire}/{@link #release}): a process
 * hosting a thousand parties on a root with thousands of folders lists it once, not once per party.
 *
 * <p>Contract:
 * <ul>
 * <li>Only names that parse as {@code <from>_to_<to>} with two different valid party ids and that
 *     are directories are indexed.
 * <li>Transports that watch the root report every event naming a folder ({@link #changed}); the
 *     index re-reads just those names (one {@code stat} each) at the next query. While at least one
 *     transport has watched the root continuously since the last listing, the index is
 *     <em>covered</em>: it is as current as the events, and no query lists the root again except
 *     the periodic one ({@link #refresh} with its {@code maxAgeNanos}).
 * <li>An overflow or a lost root watch ({@link #stale}), or no watching transport at all, make it
 *     uncovered: the next query lists the root if the listing is older than its
 *     {@code uncoveredMaxAgeNanos}. One listing serves every transport that asks after it.
 * <li>Thread-safe: queries and listings hold the index's monitor; {@link #changed},
 *     {@link #stale}, {@link #watchStarted} and {@link #watchEnded} never block and never do I/O
 *     (they are called from the watcher's dispatch thread).
 * </ul>
 */
final class RootIndex {

    private record Key(FileSystem fileSystem, Path root) {
    }

    private static final Map<Key, RootIndex> BY_ROOT = new HashMap<>();

    private final Key key;
    private final Path root;
    private int references;

    /** Names reported by events since the last query, re-read one by one. */
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    /** Receiver → senders of the existing channel folders; guarded by {@code this}. */
    private final Map<PartyId, Set<PartyId>> sendersByReceiver = new HashMap<>();
    /** Sender → receivers of the existing channel folders; guarded by {@code this}. */
    private final Map<PartyId, Set<PartyId>> receiversBySender = new HashMap<>();
    /** Transports whose root watch is live. */
    private final AtomicInteger watching = new AtomicInteger();
    /** Moments events may have been missed: overflows, lost watches, no watch left. */
    private final AtomicLong gaps = new AtomicLong();
    /** {@link #gaps} when the last listing began with a live watch, else -1: covered while equal. */
    private long coveredSinceGap = -1;
    private long listedAt;
    private boolean listed;
    /** Root listings done so far; tests use it to prove they are shared. */
    private long listings;

    private RootIndex(Key key, Path root) {
        this.key = key;
        this.root = root;
    }

    /** The index of {@code root}, created (not yet listed) on first use; pair with {@link #release()}. */
    static RootIndex acquire(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        Key k = new Key(abs.getFileSystem(), abs);
        synchronized (BY_ROOT) {
            RootIndex index = BY_ROOT.computeIfAbsent(k, kk -> new RootIndex(kk, root));
            index.references++;
            return index;
        }
    }

    /** Drops one reference; the last one forgets the index. */
    void release() {
        synchronized (BY_ROOT) {
            if (--references == 0) {
                BY_ROOT.remove(key);
            }
        }
    }

    /** Root listings done by the live index of {@code root}, or -1 if none is live; for tests. */
    static long listings(Path root) {
        Path abs = root.toAbsolutePath().normalize();
        RootIndex index;
        synchronized (BY_ROOT) {
            index = BY_ROOT.get(new Key(abs.getFileSystem(), abs));
        }
        if (index == null) {
            return -1;
        }
        synchronized (index) {
            return index.listings;
        }
    }

    /** A transport's root watch is live (call after registering it, before querying). Never blocks. */
    void watchStarted() {
        watching.incrementAndGet();
    }

    /** A transport's root watch ended (closed or invalid): with none left the index is uncovered. Never blocks. */
    void watchEnded() {
        if (watching.decrementAndGet() <= 0) {
            gaps.incrementAndGet();
        }
    }

    /** An event named {@code name} in the root: re-read it at the next query. Never blocks. */
    void changed(String name) {
        if (parse(name) != null) {
            changed.add(name);
        }
    }

    /** Events were lost: the next query lists the root again (if older than its uncovered age). Never blocks. */
    void stale() {
        gaps.incrementAndGet();
    }

    /**
     * Brings the index up to date: lists the root if it never was, if the listing is older than
     * {@code maxAgeNanos}, or if the index is uncovered and the listing is older than
     * {@code uncoveredMaxAgeNanos}; then re-reads the names events reported.
     */
    synchronized void refresh(long maxAgeNanos, long uncoveredMaxAgeNanos) throws IOException {
        long age = System.nanoTime() - listedAt;
        boolean covered = coveredSinceGap == gaps.get();
        if (!listed || age > maxAgeNanos || (!covered && age > uncoveredMaxAgeNanos)) {
            list();
        }
        for (String name : changed) {
            changed.remove(name);
            String[] p = parse(name);
            if (Files.isDirectory(root.resolve(name))) {
                put(p[0], p[1]);
            } else {
                remove(p[0], p[1]);
            }
        }
    }

    /** The senders {@code x} of the folders {@code <x>_to_<to>} as of the last {@link #refresh}. */
    synchronized Set<PartyId> sendersTo(PartyId to) {
        return Set.copyOf(sendersByReceiver.getOrDefault(to, Set.of()));
    }

    /** The receivers {@code y} of the folders {@code <from>_to_<y>} as of the last {@link #refresh}. */
    synchronized Set<PartyId> receiversFrom(PartyId from) {
        return Set.copyOf(receiversBySender.getOrDefault(from, Set.of()));
    }

    private void list() throws IOException {
        long started = System.nanoTime();
        long gap = gaps.get();
        boolean watched = watching.get() > 0; // a watch live now reports everything after this point
        changed.clear(); // the listing reads them all anew
        Map<PartyId, Set<PartyId>> senders = new HashMap<>();
        Map<PartyId, Set<PartyId>> receivers = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String[] names = parse(p.getFileName().toString());
                if (names != null && Files.isDirectory(p)) {
                    PartyId from = PartyId.of(names[0]);
                    PartyId to = PartyId.of(names[1]);
                    senders.computeIfAbsent(to, t -> new HashSet<>()).add(from);
                    receivers.computeIfAbsent(from, f -> new HashSet<>()).add(to);
                }
            }
        }
        sendersByReceiver.clear();
        sendersByReceiver.putAll(senders);
        receiversBySender.clear();
        receiversBySender.putAll(receivers);
        listings++;
        listed = true;
        listedAt = started;
        coveredSinceGap = watched ? gap : -1;
    }

    private void put(String from, String to) {
        PartyId f = PartyId.of(from);
        PartyId t = PartyId.of(to);
        sendersByReceiver.computeIfAbsent(t, k -> new HashSet<>()).add(f);
        receiversBySender.computeIfAbsent(f, k -> new HashSet<>()).add(t);
    }

    private void remove(String from, String to) {
        PartyId f = PartyId.of(from);
        PartyId t = PartyId.of(to);
        Set<PartyId> s = sendersByReceiver.get(t);
        if (s != null && s.remove(f) && s.isEmpty()) {
            sendersByReceiver.remove(t);
        }
        Set<PartyId> r = receiversBySender.get(f);
        if (r != null && r.remove(t) && r.isEmpty()) {
            receiversBySender.remove(f);
        }
    }

    /** {@code {from, to}} if {@code name} is {@code <from>_to_<to>} with two different valid ids, else null. */
    private static String[] parse(String name) {
        int i = name.indexOf(ChannelNames.TO); // ids never contain '_': the first match is the only one
        if (i <= 0) {
            return null;
        }
        String from = name.substring(0, i);
        String to = name.substring(i + ChannelNames.TO.length());
        return PartyId.isValid(from) && PartyId.isValid(to) && !from.equals(to) ? new String[] {from, to} : null;
    }
}
