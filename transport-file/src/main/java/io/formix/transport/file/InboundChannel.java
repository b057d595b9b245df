package io.formix.transport.file;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one channel {@code <from>_to_<self>}. Delivers message n when
 * {@code n.ready} exists and {@code n.msg} holds exactly 8 + L bytes, strictly in order.
 * {@link #next} counts what was handed out, {@link #acked} what the persisted cursor says; an
 * acknowledgement writes the cursor first and then deletes the files, so a crash in between leaves
 * stale files below the cursor, which are deleted on the next start.
 */
final class InboundChannel {

    private static final Logger LOG = LoggerFactory.getLogger(InboundChannel.class);

    /** Set by watch events and rescans; cleared before a poll so no event is lost. */
    final AtomicBoolean dirty = new AtomicBoolean(true);
    final PartyId from;
    final Path dir;
    private final Path quarantineDir;
    private final Settings settings;
    private final StateFiles state;
    private final Stats stats;

    private boolean initialized;
    private long next;
    private long acked;
    private volatile int ignoredPresent;
    /** Tracks an incomplete message n to apply the stable-size rule. */
    private long incompleteSeq = -1;
    private long incompleteSize = -1;
    private Instant incompleteSince;

    /** Receiver settings shared by the channels of one transport. */
    record Settings(int maxMessageBytes, Clock clock, Duration stableWindow) {
    }

    /** Counters shared by the channels of one transport. */
    interface Stats {
        void delivered();

        void quarantined();
    }

    InboundChannel(Path root, PartyId from, PartyId self, Settings settings, StateFiles state, Stats stats) {
        this.from = from;
        String name = ChannelNames.channel(from, self);
        this.dir = root.resolve(name);
        this.quarantineDir = root.resolve(ChannelNames.QUARANTINE_DIR).resolve(name);
        this.settings = settings;
        this.state = state;
        this.stats = stats;
    }

    /** Ignored names seen in the last listing of this folder. */
    int ignoredPresent() {
        return ignoredPresent;
    }

    /**
     * Returns the next message if it is complete, or null.
     *
     * @throws CorruptMessageException after moving a corrupt message aside; the channel moves on
     */
    synchronized Message poll() throws IOException {
        if (!initialized && !initialize()) {
            return null;
        }
        long n = next;
        if (!Files.exists(dir.resolve(ChannelNames.ready(n)))) {
            return null;
        }
        Path msg = dir.resolve(ChannelNames.msg(n));
        byte[] payload;
        try (FileChannel ch = FileChannel.open(msg, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < FrameCodec.HEADER_BYTES) {
                return incomplete(n, size, "file of " + size + " bytes, shorter than the 8-byte length");
            }
            ByteBuffer header = ByteBuffer.allocate(FrameCodec.HEADER_BYTES);
            readFully(ch, header, 0);
            long length = FrameCodec.getLength(header.array(), 0);
            if (length < 0) {
                throw quarantine(n, "negative length " + length);
            }
            if (length > settings.maxMessageBytes()) {
                throw quarantine(n, "length " + length + " exceeds the maximum of " + settings.maxMessageBytes());
            }
            long expected = FrameCodec.HEADER_BYTES + length;
            if (size > expected) {
                throw quarantine(n, "file of " + size + " bytes is longer than 8 + " + length);
            }
            if (size < expected) {
                return incomplete(n, size, "file of " + size + " bytes, length says 8 + " + length);
            }
            payload = new byte[(int) length];
            readFully(ch, ByteBuffer.wrap(payload), FrameCodec.HEADER_BYTES);
        } catch (NoSuchFileException | EOFException e) {
            return null; // marker first (a sync engine) or truncated under us: wait
        }
        next = n + 1;
        incompleteSeq = -1;
        stats.delivered();
        return new Message(from, n, payload);
    }

    /** Persists the cursor past everything handed out, then deletes those files. */
    synchronized void acknowledge() throws IOException {
        if (next <= acked) {
            return;
        }
        state.write(dir.resolve(ChannelNames.CURSOR_FILE), next);
        long firstDelivered = acked;
        acked = next;
        for (long k = firstDelivered; k < acked; k++) {
            Files.deleteIfExists(dir.resolve(ChannelNames.msg(k)));
            Files.deleteIfExists(dir.resolve(ChannelNames.ready(k)));
        }
    }

    /** Lists the folder to count the ignored names in it. */
    void scan() throws IOException {
        int ignored = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (ChannelNames.kind(p.getFileName().toString()) == ChannelNames.Kind.IGNORED) {
                    ignored++;
                }
            }
        } catch (NoSuchFileException e) {
            ignored = 0;
        }
        ignoredPresent = ignored;
    }

    private boolean initialize() throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        Path cursorFile = dir.resolve(ChannelNames.CURSOR_FILE);
        OptionalLong cursor = StateFiles.read(cursorFile);
        long lowest = Long.MAX_VALUE;
        int ignored = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                long n = ChannelNames.sequenceOf(name);
                if (n >= 0) {
                    lowest = Math.min(lowest, n);
                } else if (ChannelNames.kind(name) == ChannelNames.Kind.IGNORED) {
                    ignored++;
                }
            }
        }
        ignoredPresent = ignored;
        if (cursor.isPresent()) {
            next = cursor.getAsLong();
        } else {
            if (Files.exists(cursorFile)) {
                next = lowest == Long.MAX_VALUE ? 0 : lowest;
                LOG.warn("channel {}: unreadable cursor file, starting at the lowest message present ({})",
                        dir.getFileName(), next);
            } else {
                next = 0;
            }
        }
        acked = next;
        // Files below the cursor were delivered and acknowledged; a crash interrupted their deletion.
        if (lowest < next) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    long n = ChannelNames.sequenceOf(p.getFileName().toString());
                    if (n >= 0 && n < next) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        initialized = true;
        return true;
    }

    private Message incomplete(long n, long size, String what) throws CorruptMessageException, IOException {
        Instant now = settings.clock().instant();
        if (incompleteSeq != n || incompleteSize != size) {
            incompleteSeq = n;
            incompleteSize = size;
            incompleteSince = now;
            return null;
        }
        if (Duration.between(incompleteSince, now).compareTo(settings.stableWindow()) >= 0) {
            throw quarantine(n, what + ", unchanged for " + settings.stableWindow());
        }
        return null;
    }

    private CorruptMessageException quarantine(long n, String reason) throws IOException {
        Files.createDirectories(quarantineDir);
        moveAside(dir.resolve(ChannelNames.msg(n)));
        moveAside(dir.resolve(ChannelNames.ready(n)));
        next = n + 1;
        incompleteSeq = -1;
        acknowledge(); // the cursor must pass n now: its files are gone, a restart must not wait for them
        stats.quarantined();
        LOG.warn("channel {}: message {} is corrupt ({}); moved to {}", dir.getFileName(), n, reason, quarantineDir);
        return new CorruptMessageException(from, n, reason + "; files moved to " + quarantineDir);
    }

    private void moveAside(Path file) throws IOException {
        Path target = quarantineDir.resolve(file.getFileName().toString());
        for (int i = 1; Files.exists(target); i++) {
            target = quarantineDir.resolve(file.getFileName() + "." + i);
        }
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // nothing to move
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new EOFException();
            }
            pos += r;
        }
    }
}
