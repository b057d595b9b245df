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
    private final ChannelNames.Names names;
    private final int maxMessageBytes;
    /** SyftBox layout: the receiver's acknowledgement file (in its datasite), else null. */
    private final Path ackFile;
    /** SyftBox layout: the receiver's email, granted read in the channel's permission file; else null. */
    private final String readerEmail;

    private boolean recovered;
    private long next;
    /** SyftBox layout: the highest acknowledgement acted on (everything below it deleted here). */
    private long acked = -1;
    /** What was last logged about the acknowledgement file, so each problem is logged once. */
    private String ackProblem;

    OutboundChannel(
            Path root,
            ChannelLayout layout,
            StateDir stateDir,
            PartyId self,
            PartyId to,
            FileOps ops,
            StateFiles state,
            boolean durable,
            int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
        this.to = to;
        this.dir = layout.outboundDir(root, self, to);
        this.names = layout.names;
        this.ackFile = layout.isSyftbox() ? layout.ackFile(self, to) : null;
        this.readerEmail = layout.isSyftbox() ? layout.emailOf(to) : null;
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
        collectAcknowledgements();
        long n = next;
        byte[] payload = build.forNumber(n);
        if (payload.length > max) {
            throw new MessageTooLargeException(payload.length, max);
        }
        Path temp = dir.resolve(names.temp(n));
        Path msg = dir.resolve(names.msg(n));
        byte[] header = FrameCodec.header(payload.length);
        byte[] marker = ackFile == null ? new byte[0] : Markers.of(header, payload);
        try {
            ops.write(temp, header, payload, durable);
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
            Path ready = dir.resolve(names.ready(n));
            try {
                ops.createMarker(ready, marker);
            } catch (FileAlreadyExistsException e) {
                // A regular marker for n already exists: the message is published either way. Anything
                // else there (a folder, FIFO or link someone put) is no marker: replace it with one.
                if (clearForeignEntry(ready)) {
                    ops.createMarker(ready, marker);
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
        LOG.warn(
                "channel {}: removed a {} at {} that this sender did not write, not followed",
                dir.getFileName(),
                kind,
                entry.getFileName());
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
        if (readerEmail != null) {
            writePermission();
        }
        StateFiles.Loaded loaded = state.load(record, legacyRecord);
        OptionalLong own = loaded.value();
        long from = own.orElse(Long.MAX_VALUE);
        long highest = -1;
        int atOrAbove = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                long n = names.sequenceOf(name);
                if (n >= 0) {
                    highest = Math.max(highest, n);
                    if (n >= from) {
                        atOrAbove++;
                    }
                } else if (names.isTemp(name)) {
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
                LOG.warn(
                        "channel {}: ignoring {} entries numbered {} or above (up to {}) that this sender did not "
                                + "write; its record says {}",
                        dir.getFileName(),
                        atOrAbove,
                        own.getAsLong(),
                        highest,
                        p);
            }
        } else if (highest >= 0) {
            p = highest + 1;
            LOG.warn(
                    "channel {}: the sender's record {} was missing{}; continuing after the highest "
                            + "message present, at {}",
                    dir.getFileName(),
                    record,
                    loaded.found() ? " (unreadable)" : "",
                    p);
        } else {
            p = 0;
        }
        if (ackFile != null && !own.isPresent()) {
            // Without a record the receiver's acknowledgement still says how far numbering went.
            long ack = readAck();
            if (ack > p) {
                LOG.warn(
                        "channel {}: continuing at {}, the receiver's acknowledgement, above the {} found here",
                        dir.getFileName(),
                        ack,
                        p);
                p = ack;
            }
        }
        next = p;
        if (!own.isPresent() || own.getAsLong() != p) {
            state.write(record, p);
        }
        recovered = true;
        collectAcknowledgements();
    }

    /**
     * SyftBox layout: reads the receiver's acknowledgement and deletes the messages and markers it
     * covers from this sender's folder (message first). An acknowledgement beyond what was sent, or
     * below one already acted on, is ignored and logged once; a missing or unreadable file changes
     * nothing. Cheap: one small read.
     */
    synchronized void collectAcknowledgements() {
        if (ackFile == null || !recovered) {
            return;
        }
        long ack = readAck();
        if (ack < 0) {
            return;
        }
        if (ack > next) {
            problem("acknowledges " + ack + " messages, beyond the " + next + " sent; ignored");
            return;
        }
        if (ack < acked) {
            problem("went back from " + acked + " to " + ack + "; ignored");
            return;
        }
        long from = acked < 0 ? lowestPresent(ack) : acked;
        for (long k = from; k < ack; k++) {
            deleteQuietly(dir.resolve(names.msg(k)));
            deleteQuietly(dir.resolve(names.ready(k)));
        }
        acked = ack;
    }

    /** The lowest message number present below {@code bound} (where deleting starts after a restart). */
    private long lowestPresent(long bound) {
        long low = bound;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long n = names.sequenceOf(p.getFileName().toString());
                if (n >= 0 && n < low) {
                    low = n;
                }
            }
        } catch (IOException e) {
            LOG.warn("channel {}: cannot list {}: {}", dir.getFileName(), dir, e.toString());
        }
        return low;
    }

    /** The number in the receiver's acknowledgement file, or -1 if it is missing or unreadable (logged once). */
    private long readAck() {
        try {
            long v = Acks.read(ackFile);
            if (v == Acks.MISSING) {
                return -1;
            }
            if (v < 0) {
                problem("is not an acknowledgement (" + Acks.describe(v) + ")");
                return -1;
            }
            ackProblem = null;
            return v;
        } catch (RegularFiles.NotRegularFileException e) {
            problem("is a " + e.kind() + ", not a regular file; not followed");
        } catch (IOException e) {
            problem("cannot be read: " + e);
        }
        return -1;
    }

    private void problem(String what) {
        if (!what.equals(ackProblem)) {
            ackProblem = what;
            LOG.warn("channel {}: the receiver's acknowledgement {} {}", dir.getFileName(), ackFile, what);
        }
    }

    /**
     * SyftBox layout: makes the channel's {@code syft.pub.yaml} grant read to its receiver only.
     * One found with other content (someone else wrote it) or of another kind is replaced, with
     * one log line saying so.
     */
    private void writePermission() throws IOException {
        Permissions.ensure(dir, readerEmail, "channel " + dir.getFileName());
    }

    /** Whether {@code n.msg} is a regular file and {@code n.ready} is absent. */
    private boolean committedWithoutMarker(long n) throws IOException {
        return SafeFiles.isRegularFile(dir.resolve(names.msg(n)))
                && SafeFiles.lstat(dir.resolve(names.ready(n))) == null;
    }

    private void publish(long n) throws IOException {
        byte[] marker = new byte[0];
        if (ackFile != null) {
            byte[] whole = readMessage(dir.resolve(names.msg(n)));
            if (whole == null) {
                return;
            }
            marker = Markers.of(
                    java.util.Arrays.copyOf(whole, FrameCodec.HEADER_BYTES),
                    java.util.Arrays.copyOfRange(whole, FrameCodec.HEADER_BYTES, whole.length));
        }
        try {
            ops.createMarker(dir.resolve(names.ready(n)), marker);
        } catch (FileAlreadyExistsException e) {
            // raced with nobody: fine
        }
        LOG.info("channel {}: published message {} whose marker a crash had left out", dir.getFileName(), n);
    }

    /** The whole message file {@code msg} (this sender's own, written before a crash), or null if unusable. */
    private byte[] readMessage(Path msg) throws IOException {
        try (RegularFiles.Handle h = RegularFiles.open(msg)) {
            if (h.size() < FrameCodec.HEADER_BYTES || h.size() > FrameCodec.HEADER_BYTES + (long) maxMessageBytes) {
                LOG.warn("channel {}: {} is not a whole message; not published", dir.getFileName(), msg.getFileName());
                return null;
            }
            byte[] b = new byte[(int) h.size()];
            h.readFully(b, 0, b.length, 0);
            return b;
        } catch (java.io.EOFException | java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private TransportException failure(long n, String what, IOException e) {
        String reason = e instanceof java.nio.file.AccessDeniedException
                ? "permission denied"
                : e.getMessage() != null && e.getMessage().contains("No space") ? "disk full" : e.toString();
        return new TransportException(
                "cannot send message " + n + " to " + to + " (" + what + " in " + dir + "): " + reason
                        + "; nothing was published",
                e);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", p, e.toString());
        }
    }
}
