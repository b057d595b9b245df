package io.formix.transport.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The hidden counters of a channel (receiver cursor, sender's next number): 16 bytes, a
 * little-endian {@code long} and its bitwise complement as a check, overwritten in place (no
 * rename per message). A bounded number of these files stay open for writing, so a party with
 * thousands of channels keeps its descriptors bounded.
 */
final class StateFiles implements AutoCloseable {

    static final int BYTES = 16;

    private final int maxOpen;
    private final boolean force;
    private final LinkedHashMap<Path, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private boolean closed;

    StateFiles(int maxOpen, boolean force) {
        this.maxOpen = maxOpen;
        this.force = force;
    }

    /** Reads a counter; empty if the file is missing, short or fails its check. */
    static OptionalLong read(Path file) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
        if (b.length != BYTES) {
            return OptionalLong.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long v = buf.getLong();
        long check = buf.getLong();
        return check == ~v && v >= 0 ? OptionalLong.of(v) : OptionalLong.empty();
    }

    /** Overwrites the counter in {@code file} with {@code value}, creating the file if needed. */
    synchronized void write(Path file, long value) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(value).putLong(~value).flip();
        FileChannel ch = open.get(file);
        if (ch == null || !ch.isOpen()) {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!closed) {
                open.put(file, ch);
                evict();
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
            open.remove(file);
            ch.close();
            throw e;
        }
        if (closed) {
            ch.close(); // a write racing with close(): still done, but nothing stays open
        }
    }

    private void evict() throws IOException {
        Iterator<Map.Entry<Path, FileChannel>> it = open.entrySet().iterator();
        while (open.size() > maxOpen && it.hasNext()) {
            FileChannel ch = it.next().getValue();
            it.remove();
            ch.close();
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException first = null;
        for (FileChannel ch : open.values()) {
            try {
                ch.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
