package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channel names {@code <x>_to_<y>} of one root, shared by every {@link FileTransport} of this
 * JVM on that root and reference-counted ({@link #acquire}/{@link #release}): a process hosting ten
 * thousand parties on a root lists it once, not once per party, and holds one root watch, not one
 * listener per party.
 *
 * <p>Contract:
 * <ul>
 * <li>Every entry whose name parses as {@code <from>_to_<to>} (two different valid ids) is indexed,
 *     whatever its type: whether it is a real folder is the channel's business (it is looked at
 *     without following links when a transport takes it up).
 * <li>With the root watched, events keep the index current: each event re-reads that one name at
 *     the next {@link #refresh}, and the receiver it names is told at once ({@link Subscriber}).
 * <li><b>Lost events are never trusted away.</b> An overflow or the end of the root watch is a
 *     <em>gap</em>; the first {@link #refresh} after a gap lists the root again whatever the age of
 *     the last listing, and one listing serves every transport that asks after it began. (Rate
 *     limiting this listing by age made a burst of thousands of folder creations, which overflows
 *     the event queue, hide channels until the next full rescan.)
 * <li>Without a root watch, {@link #refresh} lists the root when the listing is older than its
 *     {@code unwatchedMaxAgeNanos}; with one, when it is older than {@code maxAgeNanos} (the
 *     periodic safety net).
 * <li>Thread-safe: refreshes and queries hold the index's monitor; the watch listener only adds
 *     names, counts gaps and wakes subscribers, never blocking and never doing I/O.
 * </ul>
 */
final class RootIndex {

    /** Tells one receiver about its root: both calls must only set flags and wake waiters. */
    interface Subscriber {
        /** A folder (or other entry) named {@code <x>_to_<receiver>} appeared, changed or went. */
        void channelsChanged();

        /** Root events were lost or the root watch ended: look at everything. */
        void everythingChanged();
    }

    private record Key(FileSystem fileSystem, Path root) {}

    private static final Logger LOG = LoggerFactory.getLogger(RootIndex.class);
    private static final Map<Key, RootIndex> BY_ROOT = new HashMap<>();

    private final Key key;
    private final Path root;
    private int references;

    /** Receiver → its subscribers (normally one transport per party per JVM). */
    private final Map<PartyId, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    /**
     * Names reported by events since the last refresh, re-read one by one (a queue, drained by each
     * refresh: a set that once held a burst of thousands kept its capacity, and every refresh of
     * every transport walked it).
     */
    private final java.util.Queue<String> changed = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Overflows and ends of the root watch so far. */
    private final AtomicLong gaps = new AtomicLong();

    private SharedWatcher watcher;
    private SharedWatcher.Registration rootWatch;
    private volatile boolean watched;

    /** Receiver → senders of the existing channel entries; guarded by {@code this}. */
    private final Map<PartyId, Set<PartyId>> sendersByReceiver = new HashMap<>();
    /** Sender → receivers of the existing channel entries; guarded by {@code this}. */
    private final Map<PartyId, Set<PartyId>> receiversBySender = new HashMap<>();

    private boolean listed;
    private long listedAt;
    /** {@link #gaps} when the last listing began. */
    private long gapsAtListing;

    private boolean watchedAtListing;
    /** Root listings done so far; tests use it to prove they are shared. */
    private long listings;

    private RootIndex(Key key, Path root) {
        this.key = key;
        this.root = root;
    }

    /**
     * The index of {@code root}, created (not yet listed) on first use; pair with {@link #release()}.
     * With a {@code watcher} (may be null) the index watches the root if it does not yet.
     */
    static RootIndex acquire(Path root, SharedWatcher watcher) {
        Path abs = root.toAbsolutePath().normalize();
        Key k = new Key(abs.getFileSystem(), abs);
        RootIndex index;
        synchronized (BY_ROOT) {
            index = BY_ROOT.computeIfAbsent(k, kk -> new RootIndex(kk, root));
            index.references++;
        }
        if (watcher != null) {
            index.watchWith(watcher);
        }
        return index;
    }

    /** Drops one reference; the last one ends the root watch and forgets the index. */
    void release() {
        synchronized (BY_ROOT) {
            if (--references > 0) {
                return;
            }
            BY_ROOT.remove(key);
        }
        synchronized (this) {
            if (rootWatch != null) {
                rootWatch.cancel();
                rootWatch = null;
                watcher.release();
                watcher = null;
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

    /** Overflows and ends of the root watch seen so far; for tests. */
    long gaps() {
        return gaps.get();
    }

    /** Tells {@code subscriber} about root changes that concern {@code receiver}; until {@link #unsubscribe}. */
    void subscribe(PartyId receiver, Subscriber subscriber) {
        subscribers
                .computeIfAbsent(receiver, r -> ConcurrentHashMap.newKeySet())
                .add(subscriber);
    }

    /** Ends a {@link #subscribe}. */
    void unsubscribe(PartyId receiver, Subscriber subscriber) {
        subscribers.computeIfPresent(receiver, (r, s) -> {
            s.remove(subscriber);
            return s.isEmpty() ? null : s;
        });
    }

    /** Whether events report new entries of the root now; if not, transports refresh on every rescan. */
    boolean watched() {
        return watched;
    }

    /**
     * Brings the index up to date: lists the root if it never was, if events may have been lost
     * since the last listing began, if the listing is older than {@code maxAgeNanos}, or, with no
     * root watch, older than {@code unwatchedMaxAgeNanos}; then re-reads the names events reported.
     */
    synchronized void refresh(long maxAgeNanos, long unwatchedMaxAgeNanos) throws IOException {
        long age = System.nanoTime() - listedAt;
        boolean gap = gaps.get() != gapsAtListing;
        boolean unwatched = !watchedAtListing || !watched;
        if (!listed || gap || age > maxAgeNanos || (unwatched && age > unwatchedMaxAgeNanos)) {
            list();
        }
        Set<String> names = new java.util.LinkedHashSet<>();
        for (String name = changed.poll(); name != null; name = changed.poll()) {
            names.add(name);
        }
        for (String name : names) {
            String[] p = parse(name);
            if (Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                put(p[0], p[1]);
            } else {
                remove(p[0], p[1]);
            }
        }
    }

    /** The senders {@code x} of the entries {@code <x>_to_<to>} as of the last {@link #refresh}. */
    synchronized Set<PartyId> sendersTo(PartyId to) {
        return Set.copyOf(sendersByReceiver.getOrDefault(to, Set.of()));
    }

    /** The receivers {@code y} of the entries {@code <from>_to_<y>} as of the last {@link #refresh}. */
    synchronized Set<PartyId> receiversFrom(PartyId from) {
        return Set.copyOf(receiversBySender.getOrDefault(from, Set.of()));
    }

    private synchronized void watchWith(SharedWatcher w) {
        if (rootWatch != null) {
            return;
        }
        SharedWatcher.Listener listener = new SharedWatcher.Listener() {
            @Override
            public void onEvent(Path name) {
                entryChanged(name.toString());
            }

            @Override
            public void onOverflow() {
                eventsLost();
            }

            @Override
            public void onInvalid() {
                watchLost();
            }
        };
        try {
            SharedWatcher.Registration r = w.register(root, listener);
            w.retain();
            watcher = w;
            rootWatch = r;
            watched = true;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("cannot watch {} ({}); new channels are found by the rescan", root, e.toString());
        }
    }

    /** An event named {@code name} in the root: re-read it at the next refresh. Never blocks. */
    void entryChanged(String name) {
        String[] p = parse(name);
        if (p != null) {
            changed.add(name);
            tell(PartyId.of(p[1]));
        }
    }

    /** Root events were lost (an overflow): the next refresh lists the root. Never blocks. */
    void eventsLost() {
        gaps.incrementAndGet();
        tellEveryone();
    }

    /** The root watch ended (the root was deleted or renamed): from now on refreshes list by age. Never blocks. */
    void watchLost() {
        watched = false; // before the gap: a refresh that sees the gap sees this too
        gaps.incrementAndGet();
        tellEveryone();
    }

    private void tell(PartyId receiver) {
        Set<Subscriber> s = subscribers.get(receiver);
        if (s != null) {
            for (Subscriber sub : s) {
                sub.channelsChanged();
            }
        }
    }

    private void tellEveryone() {
        for (Set<Subscriber> s : subscribers.values()) {
            for (Subscriber sub : s) {
                sub.everythingChanged();
            }
        }
    }

    private void list() throws IOException {
        long started = System.nanoTime();
        long gapsNow = gaps.get();
        boolean watchedNow = watched; // a watch live now reports everything after this point
        changed.clear(); // the listing reads them all anew
        Map<PartyId, Set<PartyId>> senders = new HashMap<>();
        Map<PartyId, Set<PartyId>> receivers = new HashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String[] names = parse(p.getFileName().toString());
                if (names != null) {
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
        gapsAtListing = gapsNow;
        watchedAtListing = watchedNow;
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
