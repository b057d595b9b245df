package io.formix.transport.file;

import io.formix.transport.FrameCodec;
import io.formix.transport.MessageTooLargeException;
import io.formix.transport.NumberedTransport;
import io.formix.transport.PartyId;
import io.formix.transport.TransportException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of one channel {@code <self>_to_<to>}. Write order per message n:
 * temp file {@code .tmp-n.msg} (created exclusively, forced when durable), atomic rename to
 * {@code n.msg} (the commit point; folder forced when durable), the next number n+1 persisted in
 * the party's state folder, then the empty {@code n.ready}.
 *
 * <p>The next number comes from that record only, never from what others put in the channel
 * folder. Recovery on first use publishes the marker a crash left out (of the message at the
 * record, or just below it), deletes leftover temp files and ignores higher-numbered entries.
 * Before every send the channel folder is checked to be a real folder, not a link.
 */
final class OutboundChannel {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundChannel.class);

    private final PartyId to;
    private final Path dir;
    private final Path record;
    private final Path legacyRecord;
    private final FileOps ops;
    private final StateFiles state;
    private final boolean durable;
    private boolean recovered;
    private long next;

    OutboundChannel(Path root, StateDir stateDir, PartyId self, PartyId to, FileOps ops, StateFiles state,
            boolean durable) {
        this.to = to;
        this.dir = root.resolve(ChannelNames.channel(self, to));
        this.record = stateDir.next(self, to);
        this.legacyRecord = dir.resolve(ChannelNames.NEXT_FILE);
        this.ops = ops;
        this.state = state;
        this.durable = durable;
    }

    /** Writes one message and returns its sequence number. Serialised per channel. */
    long send(byte[] payload) throws IOException {
        return send(n -> payload, Integer.MAX_VALUE);
    }

    /**
     * Writes the message {@code build} makes for the next number (at most {@code max} bytes) and
     * returns that number. Serialised per channel; if anything fails the number stays free.
     */
    synchronized long send(NumberedTransport.Payload build, int max) throws IOException {
        try {
            requireFolder();
            recoverOnce();
        } catch (TransportException e) {
            throw e;
        } catch (IOException e) {
            throw failure(next, "preparing the channel", e);
        }
        long n = next;
        byte[] payload = build.forNumber(n);
        if (payload.length > max) {
            throw new MessageTooLargeException(payload.length, max);
        }
        Path temp = dir.resolve(ChannelNames.temp(n));
        Path msg = dir.resolve(ChannelNames.msg(n));
        try {
            ops.write(temp, FrameCodec.header(payload.length), payload, durable);
            try {
                ops.moveAtomic(temp, msg);
            } catch (IOException e) {
                if (!clearForeignEntry(msg)) {
                    throw e;
                }
                ops.moveAtomic(temp, msg);
            }
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure(n, "writing", e);
        }
        try {
            if (durable) {
                ops.forceDirectory(dir);
            }
            state.write(record, n + 1);
            Path ready = dir.resolve(ChannelNames.ready(n));
            try {
                ops.createEmpty(ready);
            } catch (FileAlreadyExistsException e) {
                // A regular marker for n already exists: the message is published either way. Anything
                // else there (a folder, FIFO or link someone put) is no marker: replace it with one.
                if (clearForeignEntry(ready)) {
                    ops.createEmpty(ready);
                }
            }
        } catch (FileAlreadyExistsException e) {
            // The marker appeared between clearing and creating: published either way.
        } catch (IOException e) {
            // Not yet published (no marker): withdraw it so the number is used again, without a gap.
            deleteQuietly(msg);
            try {
                state.write(record, n);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw failure(n, "publishing", e);
        }
        next = n + 1;
        return n;
    }

    /**
     * Removes an entry at one of this sender's own names that it did not write and that is not a
     * regular file (a folder, FIFO, link, socket or device someone put there): the sender owns its
     * numbers, so such an entry must not block the channel for good. Never follows a link.
     *
     * @return true if something was removed (retry the write), false if the name holds a regular
     *     file or nothing (the failure had another cause)
     */
    private boolean clearForeignEntry(Path entry) throws IOException {
        BasicFileAttributes a = SafeFiles.lstat(entry);
        if (a == null || a.isRegularFile()) {
            return false;
        }
        String kind = RegularFiles.kind(a, entry);
        SafeFiles.removeEntry(entry);
        LOG.warn("channel {}: removed a {} at {} that this sender did not write, not followed",
                dir.getFileName(), kind, entry.getFileName());
        return true;
    }

    /**
     * Checks (one {@code lstat}) that the channel folder is a real folder, creating it if it is
     * missing; refuses a link or anything else in its place.
     */
    private void requireFolder() throws IOException {
        BasicFileAttributes a = SafeFiles.lstat(dir);
        if (a == null) {
            Files.createDirectories(dir);
            a = SafeFiles.lstat(dir);
        }
        if (a != null && a.isDirectory() && !a.isSymbolicLink()) {
            return;
        }
        String what = a == null ? "missing" : RegularFiles.kind(a, dir);
        throw new TransportException("cannot send to " + to + ": the channel folder " + dir + " is a " + what
                + ", not a folder; refusing to write through it (remove it so a real folder can be created)");
    }

    /** Finishes what a crashed predecessor left; runs once, on the first send or at open. */
    synchronized void recoverOnce() throws IOException {
        if (recovered) {
            return;
        }
        requireFolder();
        StateFiles.Loaded loaded = state.load(record, legacyRecord);
        OptionalLong own = loaded.value();
        long from = own.orElse(Long.MAX_VALUE);
        long highest = -1;
        int atOrAbove = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                long n = ChannelNames.sequenceOf(name);
                if (n >= 0) {
                    highest = Math.max(highest, n);
                    if (n >= from) {
                        atOrAbove++;
                    }
                } else if (ChannelNames.isTemp(name)) {
                    deleteQuietly(p); // never renamed: never visible, the number is free
                }
            }
        }
        long p;
        if (own.isPresent()) {
            p = own.getAsLong();
            if (committedWithoutMarker(p)) {
                publish(p); // crash between rename and persisting p + 1
                p++;
                atOrAbove--; // p.msg was this sender's own
            } else if (p > 0 && committedWithoutMarker(p - 1)) {
                publish(p - 1); // crash between persisting p and the marker of p - 1
            }
            if (atOrAbove > 0) {
                LOG.warn("channel {}: ignoring {} entries numbered {} or above (up to {}) that this sender did not "
                        + "write; its record says {}", dir.getFileName(), atOrAbove, own.getAsLong(), highest, p);
            }
        } else if (highest >= 0) {
            p = highest + 1;
            LOG.warn("channel {}: the sender's record {} was missing{}; continuing after the highest "
                    + "message present, at {}", dir.getFileName(), record,
                    loaded.found() ? " (unreadable)" : "", p);
        } else {
            p = 0;
        }
        next = p;
        if (!own.isPresent() || own.getAsLong() != p) {
            state.write(record, p);
        }
        recovered = true;
    }

    /** Whether {@code n.msg} is a regular file and {@code n.ready} is absent. */
    private boolean committedWithoutMarker(long n) throws IOException {
        return SafeFiles.isRegularFile(dir.resolve(ChannelNames.msg(n)))
                && SafeFiles.lstat(dir.resolve(ChannelNames.ready(n))) == null;
    }

    private void publish(long n) throws IOException {
        try {
            ops.createEmpty(dir.resolve(ChannelNames.ready(n)));
        } catch (FileAlreadyExistsException e) {
            // raced with nobody: fine
        }
        LOG.info("channel {}: published message {} whose marker a crash had left out", dir.getFileName(), n);
    }

    private TransportException failure(long n, String what, IOException e) {
        String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getMessage() != null && e.getMessage().contains("No space") ? "disk full" : e.toString();
        return new TransportException("cannot send message " + n + " to " + to + " (" + what + " in "
                + dir + "): " + reason + "; nothing was published", e);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", p, e.toString());
        }
    }
}
