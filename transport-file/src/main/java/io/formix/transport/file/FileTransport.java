package io.formix.transport.file;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.MessageTooLargeException;
import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.TransportClosedException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file channel transport, wire format v1 ({@code docs/wire-format.md}): message n from
 * {@code a} to {@code b} is the pair {@code <root>/a_to_b/<n %08d>.msg} (8-byte little-endian
 * length, then the payload) and the empty {@code <n %08d>.ready}, written through a
 * {@code .}-prefixed temp file and an atomic rename. Any folder sync (SyftBox, Syncthing, rsync, a
 * shared disk) can carry {@code root} between machines.
 *
 * <p>Durable in the sense of {@link Transport}: messages and numbering survive a restart of either
 * side. With {@link Builder#durable(boolean) durable(true)} files and folders are also forced to
 * disk, so they survive a power loss too.
 *
 * <p>Receivers are woken by file-system events through one {@link java.nio.file.WatchService} per
 * file system and JVM, shared by all transports on it, and rescan their channels every
 * {@link Builder#rescanInterval(Duration) rescan interval} in case an event was missed. Only one
 * open transport may speak for a party on a root: {@link Builder#open()} takes a lock file
 * {@code <root>/.<party>.lock}.
 *
 * <p>A message returned by {@code receive}/{@code receiveAny} is acknowledged (cursor advanced,
 * files deleted) at the start of the next {@code receive}/{@code receiveAny} or at {@link #close()}.
 */
public final class FileTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(FileTransport.class);

    private final Path root;
    private final PartyId self;
    private final int maxMessageBytes;
    private final boolean durable;
    private final long rescanNanos;
    private final FileOps ops;
    private final StateFiles state;
    private final InboundChannel.Settings settings;
    private final PartyLock lock;
    private final SharedWatcher watcher;

    private final Map<PartyId, OutboundChannel> outbound = new ConcurrentHashMap<>();
    private final Map<PartyId, InboundChannel> inbound = new ConcurrentHashMap<>();
    private final List<InboundChannel> inboundList = new CopyOnWriteArrayList<>();
    private final Map<PartyId, SharedWatcher.Registration> watches = new ConcurrentHashMap<>();
    private final Set<InboundChannel> unacknowledged = ConcurrentHashMap.newKeySet();
    private final Object discoverLock = new Object();
    private final AtomicBoolean rootDirty = new AtomicBoolean(true);
    private final AtomicLong nextRescan = new AtomicLong();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    /** Channel polls (each at least one stat); tests use it to prove idle channels are left alone. */
    final AtomicLong polls = new AtomicLong();
    private final InboundChannel.Stats channelStats = new InboundChannel.Stats() {
        @Override
        public void delivered() {
            delivered.incrementAndGet();
        }

        @Override
        public void quarantined() {
            quarantined.incrementAndGet();
        }
    };

    private final Object monitor = new Object();
    private volatile long eventSeq;
    private volatile boolean closed;
    private SharedWatcher.Registration rootWatch;

    private FileTransport(Builder b, PartyLock lock, SharedWatcher watcher) {
        this.root = b.root;
        this.self = b.self;
        this.maxMessageBytes = b.maxMessageBytes;
        this.durable = b.durable;
        this.rescanNanos = saturatedNanos(b.rescanInterval);
        this.ops = b.ops;
        this.state = new StateFiles(64, b.durable);
        this.settings = new InboundChannel.Settings(b.maxMessageBytes, b.clock, b.stableWindow);
        this.lock = lock;
        this.watcher = watcher;
        this.nextRescan.set(System.nanoTime() + rescanNanos);
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
        private boolean durable;
        private Duration rescanInterval = Duration.ofSeconds(1);
        private Clock clock = Clock.systemUTC();
        private Duration stableWindow = Duration.ofMinutes(2);
        private FileOps ops = FileOps.REAL;

        private Builder(Path root, PartyId self) {
            this.root = Objects.requireNonNull(root, "root");
            this.self = Objects.requireNonNull(self, "self");
        }

        /** Largest payload sent or accepted; default {@link FrameCodec#DEFAULT_MAX_MESSAGE_BYTES}. */
        public Builder maxMessageBytes(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxMessageBytes must be >= 0, got " + max);
            }
            this.maxMessageBytes = max;
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

        /** The clock of the stable-size rule ({@link #stableWindow(Duration)}); default UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How long a marked message whose {@code .msg} is shorter than its length says must keep
         * the same size before it is declared corrupt; default 2 minutes (a sync engine may still
         * be delivering it).
         */
        public Builder stableWindow(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("stableWindow must be >= 0");
            }
            this.stableWindow = d;
            return this;
        }

        /** Test seam: the sender's file operations. */
        Builder fileOps(FileOps ops) {
            this.ops = Objects.requireNonNull(ops, "ops");
            return this;
        }

        /**
         * Creates {@code root} if needed, takes the party's lock, finishes what a crashed
         * predecessor left behind and starts watching the inbound channels.
         *
         * @throws ChannelLockedException if another open transport (this or another process)
         *     speaks for the party on this root
         */
        public FileTransport open() throws IOException {
            Files.createDirectories(root);
            PartyLock lock = PartyLock.acquire(root, self);
            SharedWatcher watcher = null;
            FileTransport t = null;
            try {
                watcher = SharedWatcher.acquire(root.getFileSystem());
                t = new FileTransport(this, lock, watcher);
                t.start();
                return t;
            } catch (IOException | RuntimeException e) {
                if (t != null) {
                    t.close();
                } else {
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
        rootWatch = watcher.register(root, new SharedWatcher.Listener() {
            @Override
            public void onEvent(Path name) {
                if (ChannelNames.senderOf(name.toString(), self).isPresent()) {
                    rootDirty.set(true);
                    wake();
                }
            }

            @Override
            public void onOverflow() {
                markAllDirty();
            }

            @Override
            public void onInvalid() {
                markAllDirty();
            }
        });
        discover();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                Optional<PartyId> to = ChannelNames.receiverOf(p.getFileName().toString(), self);
                if (to.isPresent() && Files.isDirectory(p)) {
                    outboundTo(to.get()).recoverOnce();
                }
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

    /** Always true: messages and numbering survive restarts (see {@link Builder#durable} for power loss). */
    @Override
    public boolean isDurable() {
        return true;
    }

    /** A snapshot of this transport's counters. */
    public FileTransportStats stats() {
        long ignored = 0;
        for (InboundChannel ch : inboundList) {
            ignored += ch.ignoredPresent();
        }
        return new FileTransportStats(ignored, quarantined.get(), delivered.get(), sent.get());
    }

    /** The channel folder root. */
    public Path root() {
        return root;
    }

    @Override
    public void send(PartyId to, byte[] payload) throws IOException {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(payload, "payload");
        checkOpen();
        if (to.equals(self)) {
            throw new IllegalArgumentException("cannot send to self (" + self + ")");
        }
        if (payload.length > maxMessageBytes) {
            throw new MessageTooLargeException(payload.length, maxMessageBytes);
        }
        outboundTo(to).send(payload);
        sent.incrementAndGet();
    }

    @Override
    public Optional<Message> receive(PartyId from, Duration timeout) throws IOException, InterruptedException {
        Objects.requireNonNull(from, "from");
        checkOpen();
        if (from.equals(self)) {
            throw new IllegalArgumentException("cannot receive from self (" + self + ")");
        }
        acknowledgeAll();
        InboundChannel ch = inboundFrom(from);
        long deadline = deadline(timeout);
        while (true) {
            checkOpen();
            long seq = eventSeq;
            housekeeping();
            if (ch.dirty.getAndSet(false)) {
                Message m = poll(ch);
                if (m != null) {
                    return Optional.of(m);
                }
            }
            if (!await(seq, deadline)) {
                return Optional.empty();
            }
        }
    }

    @Override
    public Optional<Message> receiveAny(Duration timeout) throws IOException, InterruptedException {
        checkOpen();
        acknowledgeAll();
        long deadline = deadline(timeout);
        while (true) {
            checkOpen();
            long seq = eventSeq;
            housekeeping();
            Object[] channels = inboundList.toArray();
            int start = Math.floorMod(roundRobin.get(), Math.max(1, channels.length));
            for (int i = 0; i < channels.length; i++) {
                int idx = (start + i) % channels.length;
                InboundChannel ch = (InboundChannel) channels[idx];
                if (ch.dirty.getAndSet(false)) {
                    roundRobin.set(idx + 1);
                    Message m = poll(ch);
                    if (m != null) {
                        return Optional.of(m);
                    }
                }
            }
            if (!await(seq, deadline)) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (monitor) {
            if (closed) {
                return;
            }
            closed = true;
            monitor.notifyAll();
        }
        IOException failure = null;
        try {
            acknowledgeAll();
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new IOException("interrupted while acknowledging on close", e);
        }
        if (rootWatch != null) {
            rootWatch.cancel();
        }
        for (SharedWatcher.Registration r : watches.values()) {
            r.cancel();
        }
        watches.clear();
        watcher.release();
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

    // --- internals ---

    private void checkOpen() throws TransportClosedException {
        if (closed) {
            throw new TransportClosedException("file transport of " + self + " at " + root + " is closed");
        }
    }

    private static long deadline(Duration timeout) {
        return System.nanoTime() + saturatedNanos(timeout);
    }

    /** {@code d} in nanoseconds, 0 if negative, at most about 73 years (no overflow in nanoTime sums). */
    static long saturatedNanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(Duration.ofDays(365L * 73)) > 0 ? Duration.ofDays(365L * 73).toNanos() : d.toNanos();
    }

    private Message poll(InboundChannel ch) throws IOException, InterruptedException {
        Message m;
        polls.incrementAndGet();
        try {
            m = ch.poll();
        } catch (ClosedByInterruptException e) {
            ch.dirty.set(true);
            throw interrupted(e);
        } catch (IOException e) {
            ch.dirty.set(true); // a corrupt message was moved aside (or I/O failed): look again next time
            throw e;
        }
        if (m != null) {
            ch.dirty.set(true); // the next message may already be there; its event was consumed
            unacknowledged.add(ch);
        }
        return m;
    }

    private void acknowledgeAll() throws IOException, InterruptedException {
        for (InboundChannel ch : unacknowledged) {
            if (!unacknowledged.remove(ch)) {
                continue; // another thread is acknowledging it
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
    }

    /** An interrupt that hit file I/O is reported as what it is. */
    private static InterruptedException interrupted(IOException cause) {
        Thread.interrupted(); // as for any InterruptedException, the status is consumed
        InterruptedException e = new InterruptedException("interrupted during file I/O");
        e.initCause(cause);
        return e;
    }

    /** Waits for an event, the deadline or the next rescan; false once the deadline has passed. */
    private boolean await(long seq, long deadline) throws InterruptedException, TransportClosedException {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
            return false;
        }
        long until = Math.min(deadline - now, nextRescan.get() - now);
        synchronized (monitor) {
            if (eventSeq == seq && !closed && until > 0) {
                TimeUnit.NANOSECONDS.timedWait(monitor, until);
            }
        }
        checkOpen();
        return true;
    }

    private void wake() {
        synchronized (monitor) {
            eventSeq++;
            monitor.notifyAll();
        }
    }

    private void markAllDirty() {
        rootDirty.set(true);
        for (InboundChannel ch : inboundList) {
            ch.dirty.set(true);
        }
        wake();
    }

    /** Discovers new channels after a root event, and runs the periodic rescan when due. */
    private void housekeeping() throws IOException {
        if (rootDirty.getAndSet(false)) {
            discover();
        }
        long due = nextRescan.get();
        long now = System.nanoTime();
        if (now - due >= 0 && nextRescan.compareAndSet(due, now + rescanNanos)) {
            discover();
            for (InboundChannel ch : inboundList) {
                if (ch.scan()) {
                    ch.dirty.set(true);
                }
            }
        }
    }

    /** Lists the root for {@code <x>_to_<self>} folders; watches each one. */
    private void discover() throws IOException {
        synchronized (discoverLock) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
                for (Path p : ds) {
                    Optional<PartyId> from = ChannelNames.senderOf(p.getFileName().toString(), self);
                    if (from.isPresent()) {
                        InboundChannel ch = inboundFrom(from.get());
                        if (!watches.containsKey(from.get()) && Files.isDirectory(p)) {
                            watch(ch);
                            ch.scan();
                        }
                    }
                }
            }
        }
    }

    private InboundChannel inboundFrom(PartyId from) {
        InboundChannel ch = inbound.get(from);
        if (ch != null) {
            return ch;
        }
        synchronized (discoverLock) {
            return inbound.computeIfAbsent(from, f -> {
                InboundChannel c = new InboundChannel(root, f, self, settings, state, channelStats);
                inboundList.add(c);
                rootDirty.set(true); // its folder may exist already: discover() will watch it
                return c;
            });
        }
    }

    private void watch(InboundChannel ch) {
        try {
            SharedWatcher.Registration r = watcher.register(ch.dir, new SharedWatcher.Listener() {
                @Override
                public void onEvent(Path name) {
                    if (!name.toString().startsWith(".")) {
                        ch.dirty.set(true);
                        wake();
                    }
                }

                @Override
                public void onOverflow() {
                    ch.dirty.set(true);
                    wake();
                }

                @Override
                public void onInvalid() {
                    watches.remove(ch.from);
                    ch.dirty.set(true);
                    rootDirty.set(true);
                    wake();
                }
            });
            watches.put(ch.from, r);
        } catch (IOException e) {
            // e.g. the inotify watch limit: this channel then relies on the periodic rescan
            LOG.warn("cannot watch {} ({}); relying on the {} ms rescan", ch.dir, e.toString(),
                    rescanNanos / 1_000_000);
            watches.put(ch.from, () -> { }); // do not retry (and warn) at every rescan
        }
        ch.dirty.set(true);
    }

    private OutboundChannel outboundTo(PartyId to) {
        return outbound.computeIfAbsent(to, t -> new OutboundChannel(root, self, t, ops, state, durable));
    }

    /** Channels currently known, for tests. */
    List<PartyId> inboundParties() {
        List<PartyId> l = new ArrayList<>();
        for (InboundChannel ch : inboundList) {
            l.add(ch.from);
        }
        return l;
    }
}
