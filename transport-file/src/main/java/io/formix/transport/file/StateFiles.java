package io.formix.transport.file;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
     * The open counter files of every instance, least recently written first; guarded by itself.
     * Writes happen under its lock too: 16-byte positional writes, so one lock costs nothing next to
     * the descriptor each party would otherwise keep.
     */
    private static final LinkedHashMap<Path, FileChannel> POOL = new LinkedHashMap<>(16, 0.75f, true);

    private final boolean force;
    /** The files this instance put into the pool (some may have been evicted since); guarded by POOL. */
    private final Set<Path> mine = new HashSet<>();

    private boolean closed;

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

    /** Overwrites the counter in {@code file} with {@code value}, creating the file if needed. */
    void write(Path file, long value) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(value).putLong(~value).flip();
        synchronized (POOL) {
            FileChannel ch = POOL.get(file);
            if (ch == null || !ch.isOpen()) {
                ch = openForWriting(file);
                if (!closed) {
                    POOL.put(file, ch);
                    mine.add(file);
                    evictBeyondPoolSize();
                }
            }
            try {
                while (buf.hasRemaining()) {
                    ch.write(buf, buf.position());
                }
                if (force) {
                    ch.force(false);
                }
            } catch (IOException e) {
                POOL.remove(file);
                ch.close();
                throw e;
            }
            if (closed) {
                ch.close(); // a write racing with close(): still done, but nothing stays open
            }
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

    private static void evictBeyondPoolSize() throws IOException {
        Iterator<Map.Entry<Path, FileChannel>> it = POOL.entrySet().iterator();
        while (POOL.size() > POOL_SIZE && it.hasNext()) {
            FileChannel ch = it.next().getValue();
            it.remove();
            ch.close();
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        synchronized (POOL) {
            closed = true;
            for (Path file : mine) {
                FileChannel ch = POOL.remove(file);
                if (ch == null) {
                    continue; // evicted (and closed) already
                }
                try {
                    ch.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            mine.clear();
        }
        if (first != null) {
            throw first;
        }
    }
}
