package io.formix.proxy;

import io.formix.transport.FrameCodec;
import io.formix.transport.Message;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's private copy of an inbound message it has taken from a channel but not yet written
 * whole to the application: {@code <state-dir>/<peer>.inhand}, holding the sequence number, an
 * 8-byte little-endian length and the payload. Written through a {@code .}-prefixed temp file and
 * a rename (and forced to disk when durable), so it is complete or absent; removed once the
 * message is written to the socket. At most one per link.
 */
final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private static final int HEADER = 16;

    private final Path dir;
    private final boolean durable;
    private final int maxMessageBytes;

    Spool(Path dir, boolean durable, int maxMessageBytes) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.durable = durable;
        this.maxMessageBytes = maxMessageBytes;
    }

    private Path file(PartyId peer) {
        return dir.resolve(peer.value() + ".inhand");
    }

    /** Saves {@code m}, replacing any earlier copy for its sender. */
    void save(Message m) throws IOException {
        Path tmp = dir.resolve("." + m.from().value() + ".inhand.tmp");
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        byte[] h = new byte[HEADER];
        FrameCodec.putLength(m.sequence(), h, 0);
        FrameCodec.putLength(m.payload().length, h, 8);
        header.put(h).flip();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer payload = ByteBuffer.wrap(m.payload());
            while (header.hasRemaining() || payload.hasRemaining()) {
                ch.write(new ByteBuffer[] {header, payload});
            }
            if (durable) {
                ch.force(true);
            }
        }
        Files.move(tmp, file(m.from()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (durable) {
            forceDirectory();
        }
    }

    /** Removes the copy for {@code peer}, after its message was written to the application. */
    void clear(PartyId peer) throws IOException {
        Files.deleteIfExists(file(peer));
    }

    /**
     * The copy left for {@code peer} by a previous run, if any. A copy that does not parse (it
     * cannot be torn, so this means foreign content) is set aside as {@code .bad} and ignored.
     */
    Optional<Message> load(PartyId peer) throws IOException {
        Path f = file(peer);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        long size = Files.size(f);
        if (size >= HEADER && size - HEADER <= maxMessageBytes) {
            byte[] all = Files.readAllBytes(f);
            long seq = FrameCodec.getLength(all, 0);
            long len = FrameCodec.getLength(all, 8);
            if (seq >= 0 && len == all.length - HEADER) {
                byte[] payload = new byte[(int) len];
                System.arraycopy(all, HEADER, payload, 0, payload.length);
                return Optional.of(new Message(peer, seq, payload));
            }
        }
        Path bad = dir.resolve(peer.value() + ".inhand.bad");
        Files.move(f, bad, StandardCopyOption.REPLACE_EXISTING);
        LOG.warn("ignored an unreadable in-hand copy for party {} ({} bytes), moved to {}", peer, size, bad);
        return Optional.empty();
    }

    private void forceDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for reading; the rename is then as durable
            // as that file system makes it.
            LOG.debug("could not force {}: {}", dir, e.getMessage());
        }
    }
}
