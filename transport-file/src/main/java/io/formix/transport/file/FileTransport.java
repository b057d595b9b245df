package io.formix.transport.file;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.NumberedTransport;
import io.formix.transport.PartyId;
import io.formix.transport.RejectingTransport;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import io.formix.transport.spi.SendArguments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file channel transport, wire format v1 ({@code docs/wire-format.md}): message n from
 * {@code a} to {@code b} is the pair {@code <root>/a_to_b/<n %08d>.msg} (8-byte little-endian
 * length, then the payload) and the empty {@code <n %08d>.ready}, written through a
 * {@code .}-prefixed temp file and an atomic rename. Any folder sync (SyftBox, Syncthing, rsync, a
 * shared disk) can carry {@code root} between machines. With {@link Builder#layout}
 * {@link ChannelLayout#syftbox} the channels follow SyftBox's rules instead: each party writes in its
 * own datasite, markers are non-empty and the receiver acknowledges by a file instead of deleting
 * (docs/syftbox.md).
 *
 * <p>Durable in the sense of {@link Transport}: messages and numbering survive a restart of either
 * side. With {@link Builder#durable(boolean) durable(true)} files and folders are also forced to
 * disk, so they survive a power loss too.
 *
 * <p>Receivers are woken by file-system events through one {@link java.nio.file.WatchService} per
 * file system and JVM, shared by all transports on it, and rescan their channels every
 * {@link Builder#rescanInterval(Duration) rescan interval} in case an event was missed. Only one
 * open transport may speak for a party: {@link Builder#open()} takes a lock file
 * {@code party.lock} in the party's {@link Builder#stateDir(Path) state folder}, which also holds
 * the receiver's cursors, the sender's counters and the quarantine.
 *
 * <p>Whoever can write to {@code root} is not trusted with more than the messages themselves:
 * nothing under the root is followed through a symbolic link, only regular files are opened (and
 * never in a way that can block), an entry that is not a regular file is quarantined, and the
 * sender numbers from its own record, not from what it finds in the folder.
 *
 * <p>A message returned by {@code receive(from)}/{@code receiveAny} is acknowledged (cursor
 * advanced, files deleted) at the start of the next {@code receive} on its channel
 * ({@code receive(from)} with the same sender, or {@code receiveAny}) or at {@link #close()}, so a
 * thread per sender can consume without acknowledging another thread's message. Instead of
 * acknowledging, the layer above may {@link #reject} it: the file is quarantined and the channel
 * waits at the same number for another file for it (docs/wire-format.md, "Rejected messages").
 *
 * <pre>{@code
 * try (FileTransport alice = FileTransport.builder(Path.of("sandbox/channels"), PartyId.of("alice")).open()) {
 *     alice.send(PartyId.of("bob"), payload);
 *     Optional<Message> reply = alice.receive(PartyId.of("bob"), Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class FileTransport implements RejectingTransport, NumberedTransport {

    private static final Logger LOG = LoggerFactory.getLogger(FileTransport.class);
    /** Every how many rescan intervals the root and all inbound folders are listed again. */
    static final int FULL_RESCAN_EVERY = InboundChannels.FULL_RESCAN_EVERY;

    private final Path root;
    private final ChannelLayout layout;
    private final StateDir stateDir;
    private final PartyId self;
    private final int maxMessageBytes;
    private final int maxReceiveBytes;
    private final boolean durable;
    private final FileOps ops;
    private final StateFiles state;
    private final PartyLock lock;
    private final SharedWatcher watcher;
    private final RootIndex index;
    private final Doorbell doorbell = new Doorbell();
    private final InboundChannels inbound;
    private final Map<PartyId, OutboundChannel> outbound = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Read-held by every file operation, write-held by {@link #close()}. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong nextAckCollection = new AtomicLong(System.nanoTime());
    private final long rescanNanos;

    private FileTransport(Builder b, StateDir stateDir, PartyLock lock, SharedWatcher watcher, RootIndex index) {
        this.root = b.root;
        this.stateDir = stateDir;
        this.self = b.self;
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxReceiveBytes = b.maxReceiveBytes < 0 ? b.maxMessageBytes : b.maxReceiveBytes;
        this.durable = b.durable;
        this.ops = new LinkedMarkers(b.ops, stateDir.markerTemplate());
        this.state = new StateFiles(b.durable);
        this.lock = lock;
        this.watcher = watcher;
        this.index = index;
        InboundChannel.Stats stats = new InboundChannel.Stats() {
            @Override
            public void delivered() {
                delivered.incrementAndGet();
            }

            @Override
            public void quarantined() {
                quarantined.incrementAndGet();
            }

            @Override
            public void rejected() {
                rejected.incrementAndGet();
            }
        };
        this.layout = b.layout;
        this.rescanNanos = saturatedNanos(b.rescanInterval);
        this.inbound = new InboundChannels(
                root,
                b.layout,
                self,
                new InboundChannel.Settings(maxReceiveBytes, b.clock, b.stableWindow, b.corruptKeepsNumber),
                state,
                stateDir,
                stats,
                watcher,
                index,
                doorbell,
                saturatedNanos(b.rescanInterval));
    }

    /** A builder for the endpoint of {@code self} in the channel folder {@code root} (any file system). */
    public static Builder builder(Path root, PartyId self) {
        return new Builder(root, self);
    }

    /** Options of a {@link FileTransport}; {@link #open()} creates it. */
    public static final class Builder {
        private final Path root;
        private final PartyId self;
        private int maxMessageBytes = FrameCodec.DEFAULT_MAX_MESSAGE_BYTES;
        private int maxReceiveBytes = -1;
        private boolean durable;
        private Duration rescanInterval = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();
        private Duration stableWindow = Duration.ofMinutes(2);
        private boolean corruptKeepsNumber;
        private FileOps ops = FileOps.REAL;
        private boolean watchEvents = true;
        private Path stateDir;
        private ChannelLayout layout = ChannelLayout.flat();

        private Builder(Path root, PartyId self) {
            this.root = Objects.requireNonNull(root, "root");
            this.self = Objects.requireNonNull(self, "self");
        }

        /**
         * Largest payload sent, and accepted unless {@link #maxReceiveBytes} is set; default
         * {@link FrameCodec#DEFAULT_MAX_MESSAGE_BYTES}.
         */
        public Builder maxMessageBytes(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxMessageBytes must be >= 0, got " + max);
            }
            this.maxMessageBytes = max;
            return this;
        }

        /**
         * Largest payload accepted, when it differs from the largest sent (a party that sends large
         * messages but must only ever receive small ones); default: {@link #maxMessageBytes}.
         */
        public Builder maxReceiveBytes(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxReceiveBytes must be >= 0, got " + max);
            }
            this.maxReceiveBytes = max;
            return this;
        }

        /**
         * When true, every message file is forced to disk before its rename and the folder after
         * it, and cursors are forced when written: what {@code send} returned survives a power
         * loss. Default false: everything survives a process crash, not necessarily a power loss.
         */
        public Builder durable(boolean fsync) {
            this.durable = fsync;
            return this;
        }

        /** Interval of the fallback full rescan behind the file-system events; default 1 s. */
        public Builder rescanInterval(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("rescanInterval must be positive");
            }
            this.rescanInterval = d;
            return this;
        }

        /**
         * The party's own host-local folder for its bookkeeping: receiver cursors
         * ({@code <from>_to_<self>.cursor}), sender counters ({@code <self>_to_<to>.next}), the
         * quarantine ({@code quarantine/<from>_to_<self>/}) and the party lock
         * ({@code party.lock}). Default {@code <root>/.formix-local/<self>/}. When {@code root} is
         * carried by a sync engine, give each party a folder outside it (or tell the engine to
         * ignore {@code .formix-local}): the counters are this host's, not to be synced, and the
         * sender's numbering is only as safe as this folder. Created if missing; refused at
         * {@link #open()} if it, or its {@code quarantine} folder, is a symbolic link.
         */
        public Builder stateDir(Path dir) {
            this.stateDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * The clock of the stable-size rule ({@link #stableWindow(Duration)}) and of stall reports
         * ({@link FileTransport#stalls()}); default UTC system clock.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long a marked message whose {@code .msg} is shorter than its length says must keep
         * the same size before it is declared corrupt; default 2 minutes (a sync engine may still
         * be delivering it). Also how long a channel may wait for its next message while later
         * ones are present before the gap is reported ({@link FileTransport#stalls()}).
         */
        public Builder stableWindow(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("stableWindow must be >= 0");
            }
            this.stableWindow = d;
            return this;
        }

        /**
         * What a corrupt message (a regular {@code n.msg} whose length is impossible, or that stays
         * short for the stable window) does to the channel. Default false: it is quarantined and
         * the channel continues with {@code n+1}, as wire format v1 has always done. When true, only
         * the corrupt {@code n.msg} is quarantined and the receiver keeps waiting at {@code n}: a
         * sender never writes such a file, so one planted by someone who can write the folder must
         * not take the number of the sender's real message (which then arrives under it). Choose
         * true when messages are authenticated end to end (sealed networks), where every message
         * that arrives is the sender's own; a channel whose sender really lost message n then
         * waits, and is reported as a stall once later messages are present.
         */
        public Builder corruptKeepsNumber(boolean keep) {
            this.corruptKeepsNumber = keep;
            return this;
        }

        /**
         * Whether to use file-system events (default true). Turn them off where events do not see
         * every change, e.g. a folder on NFS or SMB written by other machines; the receiver then
         * finds messages by its rescan alone, so pick a shorter {@link #rescanInterval(Duration)}.
         */
        public Builder watchEvents(boolean on) {
            this.watchEvents = on;
            return this;
        }

        /**
         * Where the channel folders are and how their files are named and consumed; default
         * {@link ChannelLayout#flat()} (wire format v1, all channels under {@code root}). With
         * {@link ChannelLayout#syftbox} the channels live in the parties' datasites and
         * {@code root} only places the default state folder ({@code <root>/.formix-local/<self>}):
         * keep it outside the datasites, or give a {@link #stateDir(Path)}.
         */
        public Builder layout(ChannelLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /** Test seam: the sender's file operations. */
        Builder fileOps(FileOps ops) {
            this.ops = Objects.requireNonNull(ops, "ops");
            return this;
        }

        /**
         * Creates {@code root} and the state folder if needed, takes the party's lock, finishes
         * what a crashed predecessor left behind and starts watching the inbound channels.
         *
         * @throws ChannelLockedException if another open transport (this or another process)
         *     speaks for the party with this state folder, or in this process on this root
         * @throws IOException if the state folder or its quarantine is a symbolic link or not a folder
         */
        public FileTransport open() throws IOException {
            if (layout.isSyftbox() && !layout.partyEmails().containsKey(self)) {
                throw new IllegalArgumentException("party " + self + " is not in the SyftBox party table "
                        + layout.partyEmails().keySet());
            }
            if (layout.isSyftbox() && !layout.emailOf(self).equals(layout.selfEmail())) {
                throw new IllegalArgumentException("party " + self + " has the datasite " + layout.emailOf(self)
                        + " in the party table, not " + layout.selfEmail());
            }
            Files.createDirectories(root);
            StateDir state = StateDir.open(root, stateDir, self);
            PartyLock lock = PartyLock.acquire(root, state, self);
            SharedWatcher watcher = null;
            RootIndex index = null;
            FileTransport t = null;
            try {
                try {
                    watcher = watchEvents ? SharedWatcher.acquire(root.getFileSystem()) : null;
                } catch (IOException | UnsupportedOperationException e) {
                    LOG.warn(
                            "no file-system events on {} ({}); relying on the {} rescan",
                            root,
                            e.toString(),
                            rescanInterval);
                }
                index = RootIndex.acquire(root, watcher);
                t = new FileTransport(this, state, lock, watcher, index);
                t.start();
                return t;
            } catch (IOException | RuntimeException e) {
                if (t != null) {
                    t.close();
                } else {
                    if (index != null) {
                        index.release();
                    }
                    if (watcher != null) {
                        watcher.release();
                    }
                    lock.close();
                }
                throw e;
            }
        }
    }

    private void start() throws IOException {
        inbound.start();
        if (layout.isSyftbox()) {
            Path own = layout.appDir(layout.selfEmail());
            Files.createDirectories(own);
            for (PartyId to : layout.partyEmails().keySet()) {
                if (!to.equals(self) && SafeFiles.isRealDirectory(layout.outboundDir(root, self, to))) {
                    outboundTo(to).recoverOnce(); // markers, temp files and acknowledgements a crash left
                }
            }
            return;
        }
        for (PartyId to : index.receiversFrom(self)) {
            Path p = root.resolve(ChannelNames.channel(self, to));
            if (SafeFiles.isRealDirectory(p)) {
                outboundTo(to).recoverOnce(); // markers and temp files a crash left
            } else if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                LOG.warn(
                        "{} is a {}, not a folder: sending to {} is refused until it is removed",
                        p,
                        SafeFiles.describe(p),
                        to);
            }
        }
    }

    @Override
    public PartyId self() {
        return self;
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    @Override
    public int maxReceiveBytes() {
        return maxReceiveBytes;
    }

    /** Always true: messages and numbering survive restarts (see {@link Builder#durable} for power loss). */
    @Override
    public boolean isDurable() {
        return true;
    }

    /** A snapshot of this transport's counters. */
    public FileTransportStats stats() {
        return new FileTransportStats(
                inbound.ignoredFiles(), quarantined.get(), delivered.get(), sent.get(), rejected.get());
    }

    /** The channel folder root. */
    public Path root() {
        return root;
    }

    /** The channel layout ({@link Builder#layout}). */
    public ChannelLayout layout() {
        return layout;
    }

    /** The party's state folder ({@link Builder#stateDir(Path)}). */
    public Path stateDir() {
        return stateDir.dir;
    }

    /**
     * The inbound channels that are stuck now: each waits for a message that has not become
     * deliverable for at least the {@link Builder#stableWindow(Duration) stable window} while later
     * numbers are present in its folder (seen by the folder listings of discovery and the periodic
     * full rescan). Each such gap is also logged once as a warning. A channel leaves the list
     * when it moves on or the entries ahead are gone. Empty when nothing is stuck.
     */
    public List<ChannelStall> stalls() {
        return List.copyOf(inbound.stalls());
    }

    @Override
    public void send(PartyId to, byte[] payload) throws IOException {
        SendArguments.check(self, to, payload, maxMessageBytes);
        checkOpen();
        lifecycle.readLock().lock();
        try {
            checkOpen();
            outboundTo(to).send(payload);
            sent.incrementAndGet();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Sends the payload {@code build} makes for the number the message gets on the channel to
     * {@code to} (the sender's record), as {@link NumberedTransport#sendNumbered} says; the
     * receiver's {@link Message#sequence()} is that number. {@code build} runs while sends to
     * {@code to} are serialised; if the send fails the number is used again by the next one.
     */
    @Override
    public long sendNumbered(PartyId to, Payload build) throws IOException {
        Objects.requireNonNull(build, "build");
        SendArguments.check(self, to, new byte[0], maxMessageBytes);
        checkOpen();
        lifecycle.readLock().lock();
        try {
            checkOpen();
            long n = outboundTo(to).send(build, maxMessageBytes);
            sent.incrementAndGet();
            return n;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public Optional<Message> receive(PartyId from, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(from, "from");
        checkOpen();
        if (from.equals(self)) {
            throw new IllegalArgumentException("cannot receive from self (" + self + ")");
        }
        InboundChannel ch = inbound.channel(from);
        return receive(timeout, () -> inbound.acknowledge(ch), () -> inbound.pollIfDirty(ch));
    }

    /**
     * Refuses {@code m}, the message returned last from {@code m.from()} and not yet acknowledged,
     * as {@link RejectingTransport#reject} says: the file it was read from ({@code n.msg} or a
     * conflict copy) is moved to {@code quarantine/<from>_to_<self>/} in the state folder with a
     * {@code .reason} file beside it (unless another file has taken its name since it was read,
     * which is left in place), {@code n.ready} stays, and the cursor stays at n, also on disk. The
     * next receive on the channel looks at n again: a {@code n.msg} written later, or a sync
     * engine's conflict copy of it (docs/wire-format.md, "Rejected messages"). The refused file is
     * never offered again.
     *
     * @throws IllegalStateException if {@code m} is not the channel's last returned, unacknowledged message
     */
    @Override
    public void reject(Message m, String reason) throws IOException {
        Objects.requireNonNull(m, "m");
        Objects.requireNonNull(reason, "reason");
        checkOpen();
        lifecycle.readLock().lock();
        try {
            checkOpen();
            InboundChannel ch = inbound.channel(m.from());
            try {
                ch.reject(m.sequence(), reason);
            } finally {
                inbound.markDirty(ch); // look again at the same number at the next receive
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Calls {@code listener} each time a message may have become receivable: a file-system event in
     * an inbound channel or in the root that concerns this party, or events lost (an overflow). It
     * runs on the shared watcher's thread and must only set flags or enqueue, never block or call
     * back into this transport. Spurious calls happen; so may a missing one when no event came (a
     * channel whose watch could not be registered, a folder on a file system without events):
     * such messages are found by the periodic rescan, which runs inside {@code receive}, so a
     * caller serving the transport this way still calls {@code receiveAny(Duration.ZERO)} at least
     * once per {@link Builder#rescanInterval rescan interval}. One listener at a time (a later call
     * replaces it; null removes it); none after {@link #close()}.
     */
    public void onArrival(Runnable listener) {
        doorbell.listen(listener);
    }

    @Override
    public Optional<Message> receiveAny(Duration timeout) throws IOException, InterruptedException {
        checkOpen();
        return receive(timeout, inbound::acknowledgeAll, inbound::pollAnyDirty);
    }

    /** What a receive acknowledges before it looks: its own channel, or all of them. */
    private interface Acknowledgement {
        void run() throws IOException, InterruptedException;
    }

    /** One look at the channels, by {@code receive} or {@code receiveAny}. */
    private interface Look {
        Message next() throws IOException, InterruptedException;
    }

    /**
     * Acknowledges what was delivered, then looks until a message is found or the timeout passes,
     * waiting between looks for an event or the next rescan (never spinning).
     */
    private Optional<Message> receive(Duration timeout, Acknowledgement ack, Look look)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + saturatedNanos(timeout);
        boolean first = true;
        while (true) {
            long rings = doorbell.count();
            Message m;
            lifecycle.readLock().lock();
            try {
                checkOpen();
                if (first) {
                    ack.run();
                    first = false;
                }
                inbound.housekeeping();
                collectAcknowledgementsIfDue();
                m = look.next();
            } finally {
                lifecycle.readLock().unlock();
            }
            if (m != null) {
                return Optional.of(m);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            doorbell.await(rings, Math.min(left, inbound.nanosToRescan()));
        }
    }

    /**
     * SyftBox layout: at most once per rescan interval, lets every outbound channel delete what
     * its receiver acknowledged, so an idle sender's folder empties too (a send also does it).
     */
    private void collectAcknowledgementsIfDue() {
        if (!layout.isSyftbox()) {
            return;
        }
        long now = System.nanoTime();
        long due = nextAckCollection.get();
        if (now - due >= 0 && nextAckCollection.compareAndSet(due, now + rescanNanos)) {
            for (OutboundChannel ch : outbound.values()) {
                ch.collectAcknowledgements();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        doorbell.close();
        // Waits for sends and polls in progress: after this no file operation of ours is running,
        // so releasing the lock cannot let a successor race with us.
        lifecycle.writeLock().lock();
        try {
            release();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    private void release() throws IOException {
        IOException failure = null;
        try {
            inbound.acknowledgeAll();
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IOException("interrupted while acknowledging on close", e);
        }
        inbound.close();
        index.release();
        if (watcher != null) {
            watcher.release();
        }
        try {
            state.close();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        lock.close();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "FileTransport[" + self + " at " + root + (durable ? ", durable" : "") + "]";
    }

    private void checkOpen() throws TransportClosedException {
        if (closed.get()) {
            throw new TransportClosedException("file transport of " + self + " at " + root + " is closed");
        }
    }

    /** {@code d} in nanoseconds, 0 if negative, at most about 73 years (no overflow in nanoTime sums). */
    static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(Duration.ofDays(365L * 73)) > 0
                ? Duration.ofDays(365L * 73).toNanos()
                : d.toNanos();
    }

    private OutboundChannel outboundTo(PartyId to) {
        return outbound.computeIfAbsent(
                to, t -> new OutboundChannel(root, layout, stateDir, self, t, ops, state, durable, maxMessageBytes));
    }

    /** Channel polls so far (tests: idle channels are not looked at). */
    long polls() {
        return inbound.polls.get();
    }

    /** Resets {@link #polls()}. */
    void resetPolls() {
        inbound.polls.set(0);
    }

    /** Senders of the inbound channels known, for tests. */
    List<PartyId> inboundParties() {
        return inbound.parties();
    }
}
