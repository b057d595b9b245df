package io.formix.transport.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counters of a channel (receiver cursor, sender's next number) in the party's state folder:
 * 16 bytes, a little-endian {@code long} and its bitwise complement as a check, overwritten in
 * place (no rename per message). A bounded number of these files stay open for writing, in one pool
 * shared by every transport of the JVM ({@link #POOL_SIZE} descriptors in all), so neither a party
 * with thousands of channels nor a host with ten thousand parties holds descriptors per channel or
 * per party for them. Nothing is read or written through a symbolic link, and only regular files are
 * opened.
 */
final class StateFiles implements AutoCloseable {

    static final int BYTES = 16;
    private static final Logger LOG = LoggerFactory.getLogger(StateFiles.class);

    /** Counter files kept open for writing by all transports of the JVM together. */
    static final int POOL_SIZE = 256;

    /**
     * The open counter files of every instance, least recently written first; guarded by itself,
     * and locked only for lookups, insertions and evictions (never across file I/O).
     */
    private static final LinkedHashMap<Path, FileChannel> POOL = new LinkedHashMap<>(16, 0.75f, true);

    private final boolean force;
    /** The files this instance put into the pool (some may have been evicted since); guarded by POOL. */
    private final Set<Path> mine = new HashSet<>();

    private volatile boolean closed;

    StateFiles(boolean force) {
        this.force = force;
    }

    /** Counter files open in the pool now; for tests. */
    static int pooled() {
        synchronized (POOL) {
            return POOL.size();
        }
    }

    /**
     * Reads a counter; empty if the file is missing, not 16 bytes long or fails its check.
     *
     * @throws RegularFiles.NotRegularFileException if the entry is a link, FIFO, folder …
     */
    static OptionalLong read(Path file) throws IOException {
        byte[] b = new byte[BYTES];
        try (RegularFiles.Handle h = RegularFiles.open(file)) {
            if (h.size() != BYTES) {
                return OptionalLong.empty();
            }
            h.readFully(b, 0, BYTES, 0);
        } catch (NoSuchFileException | EOFException e) {
            return OptionalLong.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long v = buf.getLong();
        long check = buf.getLong();
        return check == ~v && v >= 0 ? OptionalLong.of(v) : OptionalLong.empty();
    }

    /**
     * A channel's counter: {@code value} if a readable record exists; {@code found} if a record
     * existed at all (false for a new channel, true with an empty value for a torn one).
     */
    record Loaded(OptionalLong value, boolean found) {}

    /**
     * Reads the record {@code record} in the state folder. If there is none, migrates
     * {@code legacy}, the file an earlier version kept in the channel folder: read only if it is a
     * regular file (never followed), written to {@code record} if valid, then deleted. A legacy
     * entry that is a link, FIFO or the like is removed unread (a folder is left alone).
     */
    Loaded load(Path record, Path legacy) throws IOException {
        if (SafeFiles.lstat(record) != null) {
            return new Loaded(read(record), true);
        }
        BasicFileAttributes a = SafeFiles.lstat(legacy);
        if (a == null) {
            return new Loaded(OptionalLong.empty(), false);
        }
        if (!a.isRegularFile()) {
            String kind = RegularFiles.kind(a, legacy);
            LOG.warn(
                    "ignoring {}: not a regular file ({}), not followed{}",
                    legacy,
                    kind,
                    a.isDirectory() ? "" : "; removed");
            if (!a.isDirectory()) {
                Files.deleteIfExists(legacy);
            }
            return new Loaded(OptionalLong.empty(), false);
        }
        OptionalLong v = read(legacy);
        if (v.isPresent()) {
            write(record, v.getAsLong());
        }
        Files.deleteIfExists(legacy);
        LOG.info(
                "moved {} ({}) to the state folder: {}",
                legacy,
                v.isPresent() ? Long.toString(v.getAsLong()) : "unreadable",
                record);
        return new Loaded(v, true);
    }

    /**
     * Overwrites the counter in {@code file} with {@code value}, creating the file if needed. The
     * writes of one instance (one party) are serialised; the JVM-wide pool is locked only to look
     * up, insert or evict a descriptor, never across an open, write or fsync, so thousands of
     * parties do not queue behind one another's file operations. If another party's write evicts
     * the descriptor while this one uses it, the write is done again on a descriptor of its own.
     */
    synchronized void write(Path file, long value) throws IOException {
        FileChannel ch = channelFor(file);
        try {
            writeCounter(ch, value);
        } catch (ClosedByInterruptException e) {
            forget(file, ch);
            throw e;
        } catch (ClosedChannelException e) { // also AsynchronousCloseException: evicted under us
            try (FileChannel own = openForWriting(file)) { // not pooled: sure to stay open for this write
                writeCounter(own, value);
            }
            return;
        } catch (IOException e) {
            forget(file, ch);
            ch.close();
            throw e;
        }
        if (closed) {
            ch.close(); // a write racing with close(): still done, but nothing stays open
        }
    }

    private void writeCounter(FileChannel ch, long value) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(value).putLong(~value).flip();
        while (buf.hasRemaining()) {
            ch.write(buf, buf.position());
        }
        if (force) {
            ch.force(false);
        }
    }

    /** The pooled descriptor of {@code file}, opened (outside the pool's lock) if it has none. */
    private FileChannel channelFor(Path file) throws IOException {
        synchronized (POOL) {
            FileChannel ch = POOL.get(file);
            if (ch != null && ch.isOpen()) {
                return ch;
            }
        }
        FileChannel opened = openForWriting(file);
        List<FileChannel> evicted;
        synchronized (POOL) {
            if (closed) {
                return opened; // not pooled: the write closes it
            }
            POOL.put(file, opened);
            mine.add(file);
            evicted = evictBeyondPoolSize();
        }
        for (FileChannel ch : evicted) {
            closeQuietly(ch); // a write using it meanwhile reopens its file
        }
        return opened;
    }

    private static void forget(Path file, FileChannel ch) {
        synchronized (POOL) {
            POOL.remove(file, ch);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.debug("closing an evicted counter file failed: {}", e.toString());
        }
    }

    private FileChannel openForWriting(Path file) throws IOException {
        BasicFileAttributes a = SafeFiles.lstat(file);
        if (a != null && !a.isRegularFile()) {
            throw new RegularFiles.NotRegularFileException(file, RegularFiles.kind(a, file));
        }
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        if (a == null && force) {
            try {
                FileOps.REAL.forceDirectory(file.getParent()); // the new file's name survives a power loss too
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        }
        return ch;
    }

    /** Takes the least recently written descriptors beyond {@link #POOL_SIZE} out of the pool; call under its lock. */
    private static List<FileChannel> evictBeyondPoolSize() {
        List<FileChannel> out = new ArrayList<>();
        Iterator<Map.Entry<Path, FileChannel>> it = POOL.entrySet().iterator();
        while (POOL.size() > POOL_SIZE && it.hasNext()) {
            out.add(it.next().getValue());
            it.remove();
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            closed = true; // after any write in progress; later writes leave nothing open
        }
        List<FileChannel> toClose = new ArrayList<>();
        synchronized (POOL) {
            for (Path file : mine) {
                FileChannel ch = POOL.remove(file);
                if (ch != null) {
                    toClose.add(ch); // else evicted (and closed) already
                }
            }
            mine.clear();
        }
        IOException first = null;
        for (FileChannel ch : toClose) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
