package io.formix.transport.file;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound channels {@code <x>_to_<self>} of one transport: discovering them (including folders
 * created later), watching them, deciding which to look at, and acknowledging what was delivered.
 *
 * <p>A channel is looked at only when its {@code dirty} flag is set: by an event in its folder, by
 * a delivery (the next message may be there already), or by the periodic rescan, which sets every
 * flag (one {@code stat} per channel) and every {@link #FULL_RESCAN_EVERY}-th time also lists each
 * folder and refreshes the root's {@link RootIndex}, which all transports of the JVM on the root
 * share (so the root is listed once for all of them, not once per party). An idle receiver thus
 * does no per-channel work between rescans.
 */
final class InboundChannels {

    /** Every how many rescans the root and all inbound folders are listed again. */
    static final int FULL_RESCAN_EVERY = 30;

    private static final Logger LOG = LoggerFactory.getLogger(InboundChannels.class);

    private final Path root;
    private final ChannelLayout layout;
    private final PartyId self;
    private final InboundChannel.Settings settings;
    private final StateFiles state;
    private final StateDir stateDir;
    private final InboundChannel.Stats stats;
    private final SharedWatcher watcher;
    private final RootIndex index;
    private final Doorbell doorbell;
    private final long rescanNanos;

    private final Map<PartyId, InboundChannel> byParty = new ConcurrentHashMap<>();
    private final List<InboundChannel> all = new CopyOnWriteArrayList<>();
    private final Map<PartyId, SharedWatcher.Registration> watches = new ConcurrentHashMap<>();
    private final Set<InboundChannel> unacknowledged = ConcurrentHashMap.newKeySet();
    /** Channels whose folder an event says holds a new ignored name: re-listed to count it. */
    private final Set<InboundChannel> toScan = ConcurrentHashMap.newKeySet();

    private final Object discoverLock = new Object();
    private final AtomicBoolean rootDirty = new AtomicBoolean(true);
    private final AtomicLong nextRescan = new AtomicLong();
    private final AtomicLong rescans = new AtomicLong();
    /**
     * The channels marked dirty, each at most once ({@link InboundChannel#queued}), oldest first: a
     * receive takes the next from here instead of walking every channel (a heavy node of a
     * 10,000-node host has 10,000), and a channel that delivered goes to the back, so no sender
     * starves.
     */
    private final java.util.Queue<InboundChannel> marked = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Channel polls (each at least one stat); tests use it to prove idle channels are left alone. */
    final AtomicLong polls = new AtomicLong();

    private final RootIndex.Subscriber rootSubscriber = new RootIndex.Subscriber() {
        @Override
        public void channelsChanged() {
            rootDirty.set(true);
            doorbell.ring();
        }

        @Override
        public void everythingChanged() {
            markAllDirty();
        }
    };

    InboundChannels(
            Path root,
            ChannelLayout layout,
            PartyId self,
            InboundChannel.Settings settings,
            StateFiles state,
            StateDir stateDir,
            InboundChannel.Stats stats,
            SharedWatcher watcher,
            RootIndex index,
            Doorbell doorbell,
            long rescanNanos) {
        this.root = root;
        this.layout = layout;
        this.self = self;
        this.settings = settings;
        this.state = state;
        this.stateDir = stateDir;
        this.stats = stats;
        this.watcher = watcher;
        this.index = index;
        this.doorbell = doorbell;
        this.rescanNanos = rescanNanos;
        this.nextRescan.set(System.nanoTime() + rescanNanos);
    }

    /** Hears of root changes through the shared index and discovers the existing channels. */
    void start() throws IOException {
        if (!layout.isSyftbox()) { // SyftBox: the party table says who the senders are
            index.subscribe(self, rootSubscriber);
        }
        discover(Long.MAX_VALUE, 0); // current: kept so by the root watch, else listed now
    }

    /** The channel from {@code from}, created (and its folder watched once it exists) on first use. */
    InboundChannel channel(PartyId from) {
        InboundChannel ch = byParty.get(from);
        if (ch != null) {
            return ch;
        }
        synchronized (discoverLock) {
            return byParty.computeIfAbsent(from, f -> {
                InboundChannel c = new InboundChannel(root, layout, f, self, settings, state, stateDir, stats);
                all.add(c);
                markDirty(c); // a new channel is dirty: looked at by the next receive
                rootDirty.set(true); // its folder may exist already: discover() will watch it
                return c;
            });
        }
    }

    /** Nanoseconds until the next rescan is due (may be negative). */
    long nanosToRescan() {
        return nextRescan.get() - System.nanoTime();
    }

    /** Looks at {@code ch} if it is marked; the message, or null. */
    Message pollIfDirty(InboundChannel ch) throws IOException, InterruptedException {
        return ch.dirty.getAndSet(false) ? poll(ch) : null;
    }

    /** One pass over the marked channels, oldest mark first; the first message found, or null. */
    Message pollAnyDirty() throws IOException, InterruptedException {
        for (InboundChannel ch = marked.poll(); ch != null; ch = marked.poll()) {
            ch.queued.set(false); // a mark from now on queues it again; one before is seen below
            if (ch.dirty.getAndSet(false)) {
                Message m = poll(ch); // a message found marks it again: to the back of the queue
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    /** Marks {@code ch} to be looked at and queues it unless it is queued already. */
    void markDirty(InboundChannel ch) {
        ch.dirty.set(true);
        if (ch.queued.compareAndSet(false, true)) {
            marked.add(ch);
        }
    }

    /** Acknowledges every delivered message: cursors forward, files deleted. */
    void acknowledgeAll() throws IOException, InterruptedException {
        for (InboundChannel ch : unacknowledged) {
            acknowledge(ch);
        }
    }

    /** Acknowledges the messages delivered from one channel only. */
    void acknowledge(InboundChannel ch) throws IOException, InterruptedException {
        if (!unacknowledged.remove(ch)) {
            return; // nothing delivered, or another thread is acknowledging it
        }
        try {
            ch.acknowledge();
        } catch (IOException e) {
            unacknowledged.add(ch); // retried at the next call
            if (e instanceof ClosedByInterruptException) {
                throw interrupted(e);
            }
            throw e;
        }
    }

    /** Discovers new channels after a root event, counts new ignored names, runs the rescan when due. */
    void housekeeping() throws IOException {
        if (rootDirty.getAndSet(false)) {
            discover(Long.MAX_VALUE, rescanNanos);
        }
        if (!toScan.isEmpty()) {
            for (InboundChannel ch : toScan) {
                toScan.remove(ch);
                ch.scan();
            }
        }
        long due = nextRescan.get();
        long now = System.nanoTime();
        if (now - due >= 0 && nextRescan.compareAndSet(due, now + rescanNanos)) {
            boolean full = rescans.incrementAndGet() % FULL_RESCAN_EVERY == 0;
            if (full || layout.isSyftbox() || !index.watched()) {
                discover(full ? saturatedTimes(rescanNanos, FULL_RESCAN_EVERY) : Long.MAX_VALUE, rescanNanos);
            }
            for (InboundChannel ch : all) {
                if (full) {
                    ch.scan();
                }
                markDirty(ch);
            }
        }
    }

    /** Sum of the ignored names of all channels at their latest listing. */
    long ignoredFiles() {
        long n = 0;
        for (InboundChannel ch : all) {
            n += ch.ignoredPresent();
        }
        return n;
    }

    /** The stalls reported by the channels now. */
    List<ChannelStall> stalls() {
        List<ChannelStall> l = new ArrayList<>();
        for (InboundChannel ch : all) {
            ChannelStall s = ch.stall();
            if (s != null) {
                l.add(s);
            }
        }
        return l;
    }

    /** Senders of the channels known, for tests. */
    List<PartyId> parties() {
        List<PartyId> l = new ArrayList<>();
        for (InboundChannel ch : all) {
            l.add(ch.from);
        }
        return l;
    }

    /** Stops watching. */
    void close() {
        index.unsubscribe(self, rootSubscriber);
        for (SharedWatcher.Registration r : watches.values()) {
            r.cancel();
        }
        watches.clear();
    }

    /** An interrupt that hit file I/O is reported as what it is. */
    static InterruptedException interrupted(IOException cause) {
        Thread.interrupted(); // as for any InterruptedException, the status is consumed
        InterruptedException e = new InterruptedException("interrupted during file I/O");
        e.initCause(cause);
        return e;
    }

    private Message poll(InboundChannel ch) throws IOException, InterruptedException {
        Message m;
        polls.incrementAndGet();
        try {
            m = ch.poll();
        } catch (ClosedByInterruptException e) {
            markDirty(ch);
            throw interrupted(e);
        } catch (IOException e) {
            markDirty(ch); // a corrupt message was moved aside (or I/O failed): look again next time
            throw e;
        }
        if (m != null) {
            markDirty(ch); // the next message may already be there; its event was consumed
            unacknowledged.add(ch);
        }
        return m;
    }

    private void markAllDirty() {
        rootDirty.set(true);
        for (InboundChannel ch : all) {
            markDirty(ch);
        }
        doorbell.ring();
    }

    /**
     * Asks the shared {@link RootIndex} for the {@code <x>_to_<self>} entries (it lists the root only
     * when {@link RootIndex#refresh} says so) and takes up each new one: a real folder is watched
     * and scanned; a link or anything else in a channel's place is neither watched nor listed (its
     * channel logs it once when polled).
     */
    private void discover(long maxAgeNanos, long unwatchedMaxAgeNanos) throws IOException {
        if (layout.isSyftbox()) {
            discoverFromTable();
            return;
        }
        synchronized (discoverLock) {
            index.refresh(maxAgeNanos, unwatchedMaxAgeNanos);
            for (PartyId from : index.sendersTo(self)) {
                if (watches.containsKey(from)) {
                    continue;
                }
                InboundChannel ch = channel(from);
                if (SafeFiles.isRealDirectory(root.resolve(ChannelNames.channel(from, self)))) {
                    watch(ch);
                    ch.scan();
                } else {
                    markDirty(ch); // its poll logs once what is there instead of a folder
                }
            }
        }
    }

    private static long saturatedTimes(long nanos, int times) {
        return nanos > Long.MAX_VALUE / times ? Long.MAX_VALUE : nanos * times;
    }

    /**
     * SyftBox layout: the senders are the other parties of the table; each channel folder (in the
     * sender's datasite) is watched once it exists. Until then the rescan looks for it.
     */
    private void discoverFromTable() throws IOException {
        synchronized (discoverLock) {
            for (PartyId from : layout.partyEmails().keySet()) {
                if (from.equals(self) || watches.containsKey(from)) {
                    continue;
                }
                InboundChannel ch = channel(from);
                boolean real;
                try {
                    real = SafeFiles.isRealDirectory(ch.dir);
                } catch (java.nio.file.AccessDeniedException e) {
                    real = false; // its poll logs it once
                }
                if (real) {
                    watch(ch);
                    ch.scan();
                } else {
                    markDirty(ch);
                }
            }
        }
    }

    private void watch(InboundChannel ch) {
        try {
            watchEvents(ch);
        } finally {
            markDirty(ch); // after registering: what arrived before the first event gets a look
        }
    }

    private void watchEvents(InboundChannel ch) {
        if (watcher == null) {
            watches.put(ch.from, () -> {});
            return;
        }
        try {
            watches.put(ch.from, watcher.register(ch.dir, new SharedWatcher.Listener() {
                @Override
                public void onEvent(Path name) {
                    String n = name.toString();
                    if (n.startsWith(".")) {
                        return; // temp files and counters: the rename and the marker bring their own events
                    }
                    ChannelNames.Names names = layout.names;
                    ChannelNames.Kind kind = names.kind(n);
                    if (kind == ChannelNames.Kind.IGNORED
                            || kind == ChannelNames.Kind.READY
                                    && ch.wantsListingFor(ChannelNames.sequenceOf(n, names.readyExt()))) {
                        toScan.add(ch);
                    }
                    markDirty(ch);
                    doorbell.ring();
                }

                @Override
                public void onOverflow() {
                    markDirty(ch);
                    doorbell.ring();
                }

                @Override
                public void onInvalid() {
                    watches.remove(ch.from);
                    markDirty(ch);
                    rootDirty.set(true);
                    doorbell.ring();
                }
            }));
        } catch (IOException | UnsupportedOperationException e) {
            // e.g. the inotify watch limit: this channel then relies on the periodic rescan
            LOG.warn(
                    "cannot watch {} ({}); relying on the {} ms rescan", ch.dir, e.toString(), rescanNanos / 1_000_000);
            watches.put(ch.from, () -> {}); // do not retry (and warn) at every rescan
        }
    }
}
