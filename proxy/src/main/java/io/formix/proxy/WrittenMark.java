package io.formix.proxy;

import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Remembers, for one link, the inbound message that was written whole to the application but not
 * yet acknowledged to the transport, so that a proxy killed in between does not write it twice.
 *
 * <p>A message returned by {@code receive(peer)} is acknowledged at the start of the next
 * {@code receive(peer)} (see {@link io.formix.transport.Transport}); a receiver killed before that
 * gets it again, with the same sequence, after its restart. The pump therefore marks each message
 * right after its socket write ({@link #written}) and clears the mark once the next receive has
 * returned ({@link #acknowledged}). After a restart, a mark left behind names the one message the
 * transport may deliver again: if the first message taken has that sequence and length, the
 * previous run already wrote it and it is skipped.
 *
 * <p>The file {@code <state-dir>/<peer>.written} holds 24 bytes, overwritten in place: the
 * sequence, the payload length (both little-endian {@code long}s, -1 for "no mark") and the
 * complement of their XOR as a check. It is never forced to disk: it only has to survive the death
 * of the process, not of the machine (which takes the application and its connection with it).
 * Not thread-safe: one pump at a time uses it.
 */
final class WrittenMark implements AutoCloseable {
    static final int BYTES = 24;
    private static final long NONE = -1;

    private final Path file;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final Mark recovered;
    private boolean set;

    /** The sequence and payload length of a message that was written to the application. */
    record Mark(long sequence, long length) {
        boolean matches(Message m) {
            return m.sequence() == sequence && m.payload().length == length;
        }
    }

    private WrittenMark(Path file, FileChannel channel, Mark recovered) {
        this.file = file;
        this.channel = channel;
        this.recovered = recovered;
        this.set = recovered != null;
    }

    /** Opens (creating it if needed) the mark of the link to {@code peer} in {@code dir}. */
    static WrittenMark open(Path dir, PartyId peer) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(peer.value() + ".written");
        Mark left = read(file).orElse(null);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return new WrittenMark(file, ch, left);
    }

    /** Reads a mark; empty if the file is missing, has another size, fails its check or says "no mark". */
    static Optional<Mark> read(Path file) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (b.length != BYTES) {
            return Optional.empty();
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long seq = buf.getLong();
        long len = buf.getLong();
        long check = buf.getLong();
        if (check != ~(seq ^ len) || seq < 0 || len < 0) {
            return Optional.empty();
        }
        return Optional.of(new Mark(seq, len));
    }

    /** The mark the previous run left: a message it wrote to the application, maybe unacknowledged. */
    Optional<Mark> recovered() {
        return Optional.ofNullable(recovered);
    }

    /** Records that {@code m} was written whole to the application. */
    void written(Message m) throws IOException {
        put(m.sequence(), m.payload().length);
        set = true;
    }

    /** Clears the mark: the transport has acknowledged the message written before. */
    void acknowledged() throws IOException {
        if (set) {
            put(NONE, NONE);
            set = false;
        }
    }

    private void put(long seq, long len) throws IOException {
        buffer.clear();
        buffer.putLong(seq).putLong(len).putLong(~(seq ^ len)).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer, buffer.position());
        }
    }

    Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
