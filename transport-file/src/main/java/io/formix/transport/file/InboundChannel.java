package io.formix.transport.file;

import io.formix.transport.CorruptMessageException;
import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of one channel {@code <from>_to_<self>}. Delivers message n when
 * {@code n.ready} exists and {@code n.msg} holds exactly 8 + L bytes, strictly in order.
 * {@link #next} counts what was handed out, {@link #acked} what the persisted cursor (in the
 * party's state folder) says; an acknowledgement writes the cursor first and then deletes the
 * files, so a crash in between leaves stale files below the cursor, which are deleted on the next
 * start.
 *
 * <p>Nothing is followed through a symbolic link: a channel folder that is a link is not used, and
 * a {@code .msg}/{@code .ready} entry that is not a regular file (link, FIFO, folder …) is
 * quarantined once, like a corrupt message. Message files are opened without blocking
 * ({@link RegularFiles}).
 *
 * <p>The layer above may {@link #reject} the message handed out last: its file is moved to the
 * quarantine and the channel stays at its number, waiting for another file for it (a later
 * {@code n.msg}, or a sync engine's conflict copy of it). Each file refused stays refused: it is
 * recognised by its identity (file key, size, modification time) and never offered again.
 */
final class InboundChannel {

    private static final Logger LOG = LoggerFactory.getLogger(InboundChannel.class);

    /** Set by watch events and rescans; cleared before a poll so no event is lost. */
    final AtomicBoolean dirty = new AtomicBoolean(true);

    /** Whether the channel is on its transport's queue of channels to look at ({@code InboundChannels}). */
    final AtomicBoolean queued = new AtomicBoolean();

    final PartyId from;
    final Path dir;
    private final String name;
    private final Path cursorFile;
    private final Path legacyCursorFile;
    private final StateDir stateDir;
    private final Settings settings;
    private final StateFiles state;
    private final Stats stats;
    private final ChannelNames.Names names;
    /**
     * SyftBox layout: the channel's files belong to the sender's datasite and are never moved or
     * deleted here; what was consumed is written to this acknowledgement file in the receiver's own
     * datasite instead. Null in the flat layout.
     */
    private final Path ackFile;
    /** SyftBox layout: the sender's email, granted read in the acknowledgement folder's permission file. */
    private final String senderEmail;
    /** Whether the missing folder (a peer's datasite not synced yet) was logged. */
    private boolean missingLogged;

    private boolean initialized;
    private long next;
    private long acked;
    private volatile int ignoredPresent;
    /** Tracks an incomplete message n to apply the stable-size rule. */
    private long incompleteSeq = -1;

    private long incompleteSize = -1;
    private Instant incompleteSince;
    /** Whether the folder's being a link (or not a folder) was logged; reset once it is a real folder. */
    private boolean notAFolderLogged;
    /** A gap seen by a listing: nothing at {@link #gapAt} while gapLow..gapHigh are present. */
    private long gapAt = -1;

    private long gapLow;
    private long gapHigh;
    private Instant gapSince;
    private ChannelStall stall;
    /** {@link #next} for threads that do not hold the lock (watch events); may lag behind. */
    private volatile long cursorHint;
    /** When this folder was last listed ({@link #scan} or the first look), by the settings' clock. */
    private volatile long listedAtMillis = Long.MIN_VALUE / 2;

    /** A listing for gaps at most this often per channel, when markers arrive out of order. */
    static final long GAP_LISTING_EVERY_MS = 1_000;
    /** The file of the message handed out last and not yet acknowledged; null if none. */
    private Candidate handedOut;
    /** Files refused for number {@link #refusedAt} (rejected above, or unusable conflict copies). */
    private final Set<Candidate> refused = new HashSet<>();

    private long refusedAt = -1;

    /** One file read as message n: where, and which file it was (to recognise it again). */
    record Candidate(Path path, Object fileKey, long size, long modifiedNanos) {
        static Candidate of(Path path, BasicFileAttributes a) {
            return new Candidate(
                    path, a.fileKey(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        }

        /** Whether {@code a} (of the entry at {@link #path} now) describes this same file. */
        boolean matches(BasicFileAttributes a) {
            return a != null && a.isRegularFile() && equals(of(path, a));
        }
    }

    /** Receiver settings shared by the channels of one transport. */
    record Settings(int maxMessageBytes, Clock clock, Duration stableWindow, boolean corruptKeepsNumber) {}

    /** Counters shared by the channels of one transport. */
    interface Stats {
        void delivered();

        void quarantined();

        void rejected();
    }

    InboundChannel(
            Path root,
            ChannelLayout layout,
            PartyId from,
            PartyId self,
            Settings settings,
            StateFiles state,
            StateDir stateDir,
            Stats stats) {
        this.from = from;
        this.name = ChannelNames.channel(from, self);
        this.dir = layout.inboundDir(root, from, self);
        this.names = layout.names;
        this.ackFile = layout.isSyftbox() ? layout.ackFile(from, self) : null;
        this.senderEmail = layout.isSyftbox() ? layout.emailOf(from) : null;
        this.cursorFile = stateDir.cursor(from, self);
        this.legacyCursorFile = dir.resolve(ChannelNames.CURSOR_FILE);
        this.stateDir = stateDir;
        this.settings = settings;
        this.state = state;
        this.stats = stats;
    }

    /**
     * Whether an event for marker {@code seq} should make this folder be listed again: a marker
     * beyond the cursor may open a gap that only a listing can measure. At most one such listing
     * per {@link #GAP_LISTING_EVERY_MS}, so a sender running ahead of its receiver costs nothing.
     */
    boolean wantsListingFor(long seq) {
        return seq > cursorHint && settings.clock().millis() - listedAtMillis >= GAP_LISTING_EVERY_MS;
    }

    /** Ignored names seen in the last listing of this folder. */
    int ignoredPresent() {
        return ignoredPresent;
    }

    /**
     * The stall of this channel, or null. Judged now against the clock, not only at the next poll:
     * a receiver that waits with {@code receiveAny} polls a channel only when something changes in it.
     */
    synchronized ChannelStall stall() {
        if (initialized) {
            checkStall();
        }
        return stall;
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
        Message m;
        try {
            m = look(n);
        } catch (FileSystemException e) {
            if (e instanceof NoSuchFileException || usableFolder()) {
                throw e;
            }
            return null; // the folder was replaced by a file, FIFO or link: ignored (logged once), not retried
        }
        if (m == null && next == n) {
            checkStall();
        }
        return m;
    }

    private Message look(long n) throws IOException {
        Path ready = dir.resolve(names.ready(n));
        long markerSize = RegularFiles.probeSize(ready);
        if (markerSize == RegularFiles.ABSENT) {
            return null;
        }
        RegularFiles.Probe marker = markerSize >= 0 ? RegularFiles.Probe.REGULAR : RegularFiles.Probe.OTHER;
        if (!usableFolder()) {
            return null; // replaced by a link since the last look: nothing is read through it
        }
        if (refusedAt != n) {
            refused.clear();
            refusedAt = n;
        }
        if (marker != RegularFiles.Probe.REGULAR) {
            BasicFileAttributes a = SafeFiles.lstat(ready);
            if (a == null) {
                return null; // gone since: the next look sees what is there
            }
            if (!a.isRegularFile()) {
                if (ackFile != null && refused.contains(Candidate.of(ready, a))) {
                    return null; // set aside once already: the peer's entry stays, ignored
                }
                throw setAside(
                        n, ready, "not a regular file: " + RegularFiles.kind(a, ready) + " (" + names.ready(n) + ")");
            }
        }
        Markers.Marker marked = null; // an empty marker (wire format v1) is not opened
        if (markerSize != 0) {
            try {
                marked = readMarker(ready);
            } catch (RegularFiles.NotRegularFileException e) {
                return null; // swapped since the probe: the next look sets it aside
            }
        }
        if (marked == INCOMPLETE_MARKER) {
            return incomplete(n, -2, "marker " + names.ready(n) + " is not an empty file nor one marker line");
        }
        Path msg = dir.resolve(names.msg(n));
        BasicFileAttributes before = SafeFiles.lstat(msg);
        if (before == null || refused.contains(Candidate.of(msg, before))) {
            return lookAtCopies(n, marked); // missing or refused: a sync engine's conflict copy may be the message
        }
        byte[] payload;
        try (RegularFiles.Handle h = RegularFiles.open(msg)) {
            long size = h.size();
            if (size < FrameCodec.HEADER_BYTES) {
                return incomplete(n, size, "file of " + size + " bytes, shorter than the 8-byte length");
            }
            if (marked != null && size < marked.size()) {
                return incomplete(n, size, "file of " + size + " bytes, its marker says " + marked.size());
            }
            if (marked != null && size > marked.size()) {
                throw mismatch(
                        n, Candidate.of(msg, before), "file of " + size + " bytes, its marker says " + marked.size());
            }
            byte[] header = new byte[FrameCodec.HEADER_BYTES];
            h.readFully(header, 0, header.length, 0);
            long length = FrameCodec.getLength(header, 0);
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
            payload = new byte[(int) length]; // only now: 0 <= length <= max, and the file holds it
            h.readFully(payload, 0, payload.length, FrameCodec.HEADER_BYTES);
            if (marked != null
                    && !java.security.MessageDigest.isEqual(marked.sha256(), Markers.digest(header, payload))) {
                throw mismatch(n, Candidate.of(msg, before), "its SHA-256 does not match its marker");
            }
        } catch (RegularFiles.NotRegularFileException e) {
            if (ackFile != null && refused.contains(Candidate.of(msg, before))) {
                return null;
            }
            throw setAside(n, msg, "not a regular file: " + e.kind() + " (" + names.msg(n) + ")");
        } catch (NoSuchFileException | EOFException e) {
            return null; // marker first (a sync engine) or truncated under us: wait
        }
        Candidate read = Candidate.of(msg, before);
        if (!read.matches(SafeFiles.lstat(msg))) {
            return null; // replaced while being read (its rename marks the channel again): look again
        }
        return handOut(n, read, payload);
    }

    /** {@link #readMarker}: the marker has bytes but is not (yet) one marker line. */
    private static final Markers.Marker INCOMPLETE_MARKER = new Markers.Marker(-1, new byte[0]);

    /**
     * What the regular marker file {@code ready} says: null if it is empty (wire format v1: complete,
     * nothing to check), the parsed line, or {@link #INCOMPLETE_MARKER} if it is not one marker line
     * (being written, or not a marker): waited for under the stable-size rule.
     */
    private static Markers.Marker readMarker(Path ready) throws IOException {
        byte[] b = new byte[Markers.MAX_BYTES];
        try (RegularFiles.Handle h = RegularFiles.open(ready)) {
            long size = h.size();
            if (size == 0) {
                return null;
            }
            if (size > Markers.MAX_BYTES) {
                return INCOMPLETE_MARKER;
            }
            h.readFully(b, 0, (int) size, 0);
            Markers.Marker m = Markers.parse(b, (int) size);
            return m == null ? INCOMPLETE_MARKER : m;
        } catch (NoSuchFileException | EOFException e) {
            return INCOMPLETE_MARKER;
        }
    }

    /**
     * A message file that does not match its non-empty marker (size or SHA-256). In the flat layout
     * it is a corrupt message (quarantined as such); in the SyftBox layout, whose files belong to the
     * sender, it is copied to the quarantine, refused by its identity and the channel keeps waiting
     * for another file for n (a stale copy the sync engine has not replaced yet, or a forgery).
     */
    private CorruptMessageException mismatch(long n, Candidate c, String reason) throws IOException {
        if (ackFile == null) {
            return quarantine(n, reason);
        }
        return refuseInPlace(n, c, reason);
    }

    /** SyftBox layout: refuses the peer's file {@code c} for number n without moving or deleting it. */
    private CorruptMessageException refuseInPlace(long n, Candidate c, String reason) throws IOException {
        if (refusedAt != n) {
            refused.clear();
            refusedAt = n;
        }
        refused.add(c);
        incompleteSeq = -1;
        Path quarantineDir = stateDir.quarantine(name);
        String what = SafeFiles.copyAside(
                c.path(), quarantineDir, FrameCodec.HEADER_BYTES + (long) settings.maxMessageBytes());
        stats.quarantined();
        LOG.warn(
                "channel {}: message {} ({}) refused: {}; {}; still waiting for message {}",
                name,
                n,
                c.path().getFileName(),
                reason,
                what,
                n);
        return new CorruptMessageException(from, n, reason + "; still waiting for message " + n);
    }

    private Message handOut(long n, Candidate read, byte[] payload) {
        handedOut = read;
        moveTo(n + 1);
        stats.delivered();
        return new Message(from, n, payload);
    }

    /**
     * Looks for a conflict copy of {@code n.msg} ({@link ChannelNames#conflictCopyOf}) when
     * {@code n.msg} is missing or was refused. A copy is opened under the same rules as a message
     * file (regular files only, never following a link or blocking, length checked before
     * allocating); one that is not a whole message is left in place and not offered.
     */
    private Message lookAtCopies(long n, Markers.Marker marked) throws IOException {
        List<Path> copies = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (names.conflictCopyOf(p.getFileName().toString()) == n) {
                    copies.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        }
        copies.sort(null);
        for (Path p : copies) {
            BasicFileAttributes a = SafeFiles.lstat(p);
            if (a == null) {
                continue;
            }
            Candidate c = Candidate.of(p, a);
            if (refused.contains(c)) {
                continue;
            }
            String refusal = null;
            byte[] payload = null;
            try (RegularFiles.Handle h = RegularFiles.open(p)) {
                long size = h.size();
                long length = -1;
                if (size >= FrameCodec.HEADER_BYTES) {
                    byte[] header = new byte[FrameCodec.HEADER_BYTES];
                    h.readFully(header, 0, header.length, 0);
                    length = FrameCodec.getLength(header, 0);
                }
                if (length < 0 || length > settings.maxMessageBytes() || size != FrameCodec.HEADER_BYTES + length) {
                    refusal = "not a whole message: " + size + " bytes"
                            + (length < 0 ? "" : ", length says 8 + " + length);
                } else {
                    payload = new byte[(int) length];
                    h.readFully(payload, 0, payload.length, FrameCodec.HEADER_BYTES);
                    byte[] header = FrameCodec.header(payload.length);
                    if (marked != null
                            && (size != marked.size()
                                    || !java.security.MessageDigest.isEqual(
                                            marked.sha256(), Markers.digest(header, payload)))) {
                        refusal = "it does not match the marker of message " + n;
                        payload = null;
                    }
                }
            } catch (RegularFiles.NotRegularFileException e) {
                refusal = "not a regular file: " + e.kind();
            } catch (NoSuchFileException | EOFException e) {
                continue; // gone or changed under us: the next look sees what is there
            }
            if (refusal != null) {
                refused.add(c);
                LOG.warn(
                        "channel {}: conflict copy {} of message {} not used ({}); left in place",
                        name,
                        p.getFileName(),
                        n,
                        refusal);
                continue;
            }
            if (!c.matches(SafeFiles.lstat(p))) {
                continue;
            }
            LOG.info("channel {}: message {} read from the conflict copy {}", name, n, p.getFileName());
            return handOut(n, c, payload);
        }
        return null;
    }

    /**
     * Refuses message {@code n}, the one handed out last and not acknowledged: its file is moved
     * to the quarantine (with a {@code .reason} file beside it) if it is still the file that was
     * read, and the channel stays at {@code n}, its persisted cursor untouched.
     *
     * @throws IllegalStateException if {@code n} is not the message handed out last and unacknowledged
     */
    synchronized void reject(long n, String reason) throws IOException {
        if (handedOut == null || next != n + 1 || acked != n) {
            throw new IllegalStateException(
                    "message " + n + " on channel " + name + " is not the last one returned and not yet acknowledged");
        }
        Candidate c = handedOut;
        handedOut = null;
        next = n;
        incompleteSeq = -1;
        if (refusedAt != n) {
            refused.clear();
            refusedAt = n;
        }
        refused.add(c);
        stats.rejected();
        String line = oneLine(reason);
        String what;
        try {
            what = setAside(c, line);
        } catch (IOException e) {
            // The channel already stays at n and skips this file; only the evidence is not kept.
            what = "could not move it to the quarantine (" + e + "); left in place, not offered again";
        }
        LOG.warn(
                "channel {}: message {} ({}) refused by the receiver: {}; {}; waiting for another file for {}",
                name,
                n,
                c.path().getFileName(),
                line,
                what,
                n);
    }

    /**
     * Moves a refused file to the quarantine, unless another file has taken its name since it was
     * read (the genuine sender's rename): that one is left, or put back if it was moved by mistake.
     */
    private String setAside(Candidate c, String reason) throws IOException {
        if (!c.matches(SafeFiles.lstat(c.path()))) {
            return "its file is gone or was replaced since it was read; nothing moved";
        }
        Path q = stateDir.quarantine(name);
        String fileName = c.path().getFileName().toString();
        Path target = q.resolve(fileName);
        for (int i = 1; SafeFiles.lstat(target) != null || SafeFiles.lstat(reasonFile(target)) != null; i++) {
            target = q.resolve(fileName + "." + i);
        }
        try {
            Files.move(c.path(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return "its file is already gone";
        } catch (AtomicMoveNotSupportedException e) {
            return "left in place (the quarantine is on another file system); not offered again";
        }
        if (!c.matches(SafeFiles.lstat(target))) {
            // The name was replaced between the check and the move: that file is not the one refused.
            try {
                Files.move(target, c.path());
                return "a new file took its name during the move and was put back";
            } catch (FileAlreadyExistsException e) {
                LOG.warn(
                        "channel {}: moved {} to {}, but it is not the file that was refused and its name is "
                                + "taken again; it may be genuine",
                        name,
                        fileName,
                        target);
            }
        }
        try {
            Files.writeString(
                    reasonFile(target),
                    reason + System.lineSeparator(),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            LOG.warn("channel {}: could not write {}: {}", name, reasonFile(target), e.toString());
        }
        return "moved to " + target;
    }

    private static Path reasonFile(Path quarantined) {
        return quarantined.resolveSibling(quarantined.getFileName() + ".reason");
    }

    /** {@code reason} on one line, control characters replaced, at most 300 characters. */
    static String oneLine(String reason) {
        String r = Objects.requireNonNull(reason, "reason").replaceAll("\\p{Cntrl}", "?");
        return r.length() > 300 ? r.substring(0, 300) + "…" : r;
    }

    /** Persists the cursor past everything handed out, then deletes those files. */
    synchronized void acknowledge() throws IOException {
        if (next <= acked) {
            return;
        }
        state.write(cursorFile, next);
        long firstDelivered = acked;
        acked = next;
        if (ackFile != null) {
            handedOut = null;
            writeAck(next); // the sender deletes its files; nothing here is ours to delete
            return;
        }
        if (!usableFolder()) {
            return; // never delete through a link; a real folder's leftovers go at the next start
        }
        for (long k = firstDelivered; k < acked; k++) {
            deleteEntry(dir.resolve(names.msg(k)));
            deleteEntry(dir.resolve(names.ready(k)));
        }
        Candidate copy = handedOut;
        handedOut = null;
        // The name is checked first: n.msg was just deleted, and an lstat of a missing entry costs an exception.
        if (copy != null
                && names.conflictCopyOf(copy.path().getFileName().toString()) >= 0
                && copy.matches(SafeFiles.lstat(copy.path()))) {
            deleteEntry(copy.path()); // delivered from a conflict copy: it is consumed like n.msg
        }
    }

    /**
     * SyftBox layout: records in the receiver's own datasite that every message below {@code c} was
     * consumed (folder and its permission file created on first use, granting read to the sender).
     */
    private void writeAck(long c) throws IOException {
        Path folder = ackFile.getParent();
        if (!SafeFiles.isRealDirectory(folder)) {
            Files.createDirectories(folder.getParent());
            SafeFiles.requireRealDirectory(folder, "acknowledgement folder");
        }
        if (!ackPermissionChecked) {
            Permissions.ensure(folder, senderEmail, "acknowledgements of channel " + name);
            ackPermissionChecked = true;
        }
        Acks.write(ackFile, c, false);
    }

    private boolean ackPermissionChecked;

    /**
     * Lists the folder: counts the ignored names in it and notes numbered entries above the
     * cursor (a gap, reported by {@link #poll} if it lasts the stable window).
     */
    synchronized void scan() throws IOException {
        listedAtMillis = settings.clock().millis();
        if (!usableFolder()) {
            ignoredPresent = 0;
            return;
        }
        int ignored = 0;
        long low = Long.MAX_VALUE;
        long high = -1;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                long seq = names.sequenceOf(n);
                if (seq > next) {
                    low = Math.min(low, seq);
                    high = Math.max(high, seq);
                } else if (seq < 0 && names.kind(n) == ChannelNames.Kind.IGNORED) {
                    ignored++;
                }
            }
        } catch (NoSuchFileException e) {
            ignored = 0;
        }
        ignoredPresent = ignored;
        if (initialized) {
            noteAhead(low, high);
        }
    }

    private boolean initialize() throws IOException {
        if (!usableFolder()) {
            return false;
        }
        StateFiles.Loaded cursor = state.load(cursorFile, legacyCursorFile);
        long known = cursor.value().orElse(cursor.found() ? -1 : 0); // -1: decided by the listing
        if (ackFile != null) {
            // The receiver's own acknowledgement is a floor: a lost or older state folder must not
            // make it deliver again what it already told the sender it consumed.
            long own = ownAck();
            if (own > 0 && own > known) {
                if (cursor.found()) {
                    LOG.warn(
                            "channel {}: the cursor ({}) is behind this receiver's acknowledgement {}; continuing at {}",
                            name,
                            known < 0 ? "unreadable" : Long.toString(known),
                            own,
                            own);
                }
                known = own;
            }
        }
        long lowest = Long.MAX_VALUE;
        long secondLowest = Long.MAX_VALUE;
        long aboveKnown = Long.MAX_VALUE;
        long highest = -1;
        int ignored = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                long seq = names.sequenceOf(n);
                if (seq >= 0) {
                    if (seq < lowest) {
                        secondLowest = lowest;
                        lowest = seq;
                    } else if (seq > lowest && seq < secondLowest) {
                        secondLowest = seq;
                    }
                    if (known >= 0 && seq > known) {
                        aboveKnown = Math.min(aboveKnown, seq);
                    }
                    highest = Math.max(highest, seq);
                } else if (names.kind(n) == ChannelNames.Kind.IGNORED) {
                    ignored++;
                }
            }
        }
        ignoredPresent = ignored;
        long low;
        if (known >= 0) {
            next = known;
            low = aboveKnown;
        } else {
            next = lowest == Long.MAX_VALUE ? 0 : lowest;
            low = secondLowest;
            LOG.warn("channel {}: unreadable cursor file, starting at the lowest message present ({})", name, next);
        }
        if (cursor.found() && cursor.value().isEmpty()) {
            state.write(cursorFile, next); // repaired: a restart must not fall back to 0
        }
        acked = next;
        long high = highest > next ? highest : -1;
        // Files below the cursor were delivered and acknowledged; a crash interrupted their deletion.
        // (In the SyftBox layout they are the sender's, deleted by it once it reads the acknowledgement.)
        if (ackFile != null && known >= 0 && ownAck() < next) {
            writeAck(next); // the acknowledgement lags behind the cursor (a crash between the two)
        }
        if (lowest < next && ackFile == null) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    long n = names.sequenceOf(p.getFileName().toString());
                    if (n >= 0 && n < next) {
                        deleteEntry(p);
                    }
                }
            }
        }
        initialized = true;
        cursorHint = next;
        listedAtMillis = settings.clock().millis();
        noteAhead(low, high);
        return true;
    }

    /**
     * Whether the channel folder is a real folder (one {@code lstat}). A link or a file in its
     * place is logged once and not used.
     */
    private boolean usableFolder() throws IOException {
        BasicFileAttributes a;
        try {
            a = SafeFiles.lstat(dir);
        } catch (java.nio.file.AccessDeniedException e) {
            if (!missingLogged) {
                missingLogged = true;
                LOG.warn("channel {}: {} cannot be read ({}); waiting", name, dir, e.toString());
            }
            return false;
        }
        if (a != null && a.isDirectory() && !a.isSymbolicLink()) {
            notAFolderLogged = false;
            if (missingLogged) {
                missingLogged = false;
                LOG.info("channel {}: {} is there now", name, dir);
            }
            return true;
        }
        if (a == null && ackFile != null && !missingLogged) {
            missingLogged = true;
            LOG.info(
                    "channel {}: {} is not there yet (the sender's datasite is not synced, or it has not sent); "
                            + "waiting",
                    name,
                    dir);
        }
        if (a != null && !notAFolderLogged) {
            notAFolderLogged = true;
            LOG.warn(
                    "channel {}: {} is a {}, not a folder; ignored (nothing is read or deleted through it)",
                    name,
                    dir,
                    RegularFiles.kind(a, dir));
        }
        return false;
    }

    /** Deletes a delivered or stale entry itself; a folder in its place is left and logged. */
    private void deleteEntry(Path p) throws IOException {
        try {
            Files.deleteIfExists(p);
        } catch (DirectoryNotEmptyException e) {
            LOG.warn("channel {}: {} is a non-empty folder; left in place", name, p.getFileName());
        }
    }

    private void moveTo(long n) {
        next = n;
        cursorHint = n;
        incompleteSeq = -1;
        if (gapAt != n) {
            gapAt = -1;
            gapSince = null;
            stall = null;
        }
    }

    /** Records what a listing saw above the cursor: a gap starts, changes or ends. */
    private void noteAhead(long low, long high) {
        if (high < 0) {
            gapAt = -1;
            gapSince = null;
            stall = null;
            return;
        }
        if (gapAt != next || gapSince == null) {
            gapAt = next;
            gapSince = settings.clock().instant();
            stall = null;
        }
        gapLow = low;
        gapHigh = high;
        if (stall != null) {
            stall = new ChannelStall(from, gapAt, gapLow, gapHigh, gapSince);
        }
    }

    /** Nothing deliverable at the cursor: reports the gap once it has lasted the stable window. */
    private void checkStall() {
        if (gapAt != next || gapSince == null || stall != null) {
            return;
        }
        if (Duration.between(gapSince, settings.clock().instant()).compareTo(settings.stableWindow()) >= 0) {
            stall = new ChannelStall(from, gapAt, gapLow, gapHigh, gapSince);
            LOG.warn(
                    "channel {}: waiting for message {} since {} while messages {}..{} are present; "
                            + "the sender may have lost its state or someone wrote ahead",
                    name,
                    gapAt,
                    gapSince,
                    gapLow,
                    gapHigh);
        }
    }

    /** SyftBox layout: this receiver's own acknowledgement (a floor for its cursor), 0 if none or unreadable. */
    private long ownAck() {
        try {
            long v = Acks.read(ackFile);
            return Math.max(0, v);
        } catch (IOException e) {
            LOG.warn("channel {}: cannot read this receiver's acknowledgement {}: {}", name, ackFile, e.toString());
            return 0;
        }
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

    /**
     * Moves one entry at number {@code n} that no sender ever writes (a link, FIFO, folder, socket or
     * device in place of {@code n.msg} or {@code n.ready}) into the quarantine, without moving the
     * cursor: the sender's own message n may still come, and must not land below the cursor. If it
     * never does, later messages make the gap a reported stall.
     */
    private CorruptMessageException setAside(long n, Path entry, String reason) throws IOException {
        if (ackFile != null) {
            BasicFileAttributes a = SafeFiles.lstat(entry);
            if (a != null) {
                return refuseInPlace(n, Candidate.of(entry, a), reason);
            }
        }
        Path quarantineDir = stateDir.quarantine(name);
        long bound = FrameCodec.HEADER_BYTES + (long) settings.maxMessageBytes();
        String what = SafeFiles.moveAside(entry, quarantineDir, bound);
        incompleteSeq = -1;
        stats.quarantined();
        LOG.warn("channel {}: {}; {}; still waiting for message {}", name, reason, what, n);
        return new CorruptMessageException(
                from, n, reason + "; set aside in " + quarantineDir + ", still waiting for message " + n);
    }

    private CorruptMessageException quarantine(long n, String reason) throws IOException {
        if (ackFile != null) {
            Path msg = dir.resolve(names.msg(n));
            BasicFileAttributes a = SafeFiles.lstat(msg);
            if (a != null) {
                return refuseInPlace(n, Candidate.of(msg, a), reason); // the peer's file: never moved
            }
        }
        if (settings.corruptKeepsNumber()) {
            return setAside(n, dir.resolve(names.msg(n)), reason);
        }
        Path quarantineDir = stateDir.quarantine(name);
        long bound = FrameCodec.HEADER_BYTES + (long) settings.maxMessageBytes();
        String msg = SafeFiles.moveAside(dir.resolve(names.msg(n)), quarantineDir, bound);
        String ready = SafeFiles.moveAside(dir.resolve(names.ready(n)), quarantineDir, bound);
        moveTo(n + 1);
        acknowledge(); // the cursor must pass n now: its files are gone, a restart must not wait for them
        stats.quarantined();
        String what =
                (msg == null ? "" : msg) + (msg != null && ready != null ? "; " : "") + (ready == null ? "" : ready);
        LOG.warn("channel {}: message {} is corrupt ({}); {}", name, n, reason, what);
        return new CorruptMessageException(from, n, reason + "; files moved to " + quarantineDir);
    }
}
