package io.formix.transport.file;

import io.formix.transport.FrameCodec;
import io.formix.transport.PartyId;
import io.formix.transport.TransportException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending end of one channel {@code <self>_to_<to>}. Write order per message n:
 * temp file {@code .tmp-n.msg} (forced when durable), atomic rename to {@code n.msg} (the commit
 * point; folder forced when durable), the next number n+1 persisted, then the empty
 * {@code n.ready}. Recovery on first use finishes a committed message whose marker is missing,
 * deletes leftover temp files and continues numbering after everything ever committed.
 */
final class OutboundChannel {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundChannel.class);

    private final PartyId to;
    private final Path dir;
    private final FileOps ops;
    private final StateFiles state;
    private final boolean durable;
    private boolean recovered;
    private long next;

    OutboundChannel(Path root, PartyId self, PartyId to, FileOps ops, StateFiles state, boolean durable) {
        this.to = to;
        this.dir = root.resolve(ChannelNames.channel(self, to));
        this.ops = ops;
        this.state = state;
        this.durable = durable;
    }

    /** Writes one message and returns its sequence number. Serialised per channel. */
    synchronized long send(byte[] payload) throws IOException {
        try {
            recoverOnce();
        } catch (IOException e) {
            throw failure(next, "preparing the channel", e);
        }
        long n = next;
        Path temp = dir.resolve(ChannelNames.temp(n));
        Path msg = dir.resolve(ChannelNames.msg(n));
        try {
            ops.write(temp, FrameCodec.header(payload.length), payload, durable);
            ops.moveAtomic(temp, msg);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure(n, "writing", e);
        }
        try {
            if (durable) {
                ops.forceDirectory(dir);
            }
            state.write(dir.resolve(ChannelNames.NEXT_FILE), n + 1);
            ops.createEmpty(dir.resolve(ChannelNames.ready(n)));
        } catch (FileAlreadyExistsException e) {
            // A marker for n already exists: the message is published either way.
        } catch (IOException e) {
            // Not yet published (no marker): withdraw it so the number is used again, without a gap.
            deleteQuietly(msg);
            try {
                state.write(dir.resolve(ChannelNames.NEXT_FILE), n);
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw failure(n, "publishing", e);
        }
        next = n + 1;
        return n;
    }

    /** Finishes what a crashed predecessor left; runs once, on the first send or at open. */
    synchronized void recoverOnce() throws IOException {
        if (recovered) {
            return;
        }
        Files.createDirectories(dir);
        long highest = -1;
        Set<Long> msgs = new HashSet<>();
        Set<Long> readies = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                switch (ChannelNames.kind(name)) {
                    case MSG -> {
                        long n = ChannelNames.sequenceOf(name, ChannelNames.MSG);
                        msgs.add(n);
                        highest = Math.max(highest, n);
                    }
                    case READY -> {
                        long n = ChannelNames.sequenceOf(name, ChannelNames.READY);
                        readies.add(n);
                        highest = Math.max(highest, n);
                    }
                    case OWN -> {
                        if (ChannelNames.isTemp(name)) {
                            Files.deleteIfExists(p); // never renamed: never visible, the number is free
                        }
                    }
                    default -> { }
                }
            }
        }
        long persisted = StateFiles.read(dir.resolve(ChannelNames.NEXT_FILE)).orElse(0);
        long cursor = StateFiles.read(dir.resolve(ChannelNames.CURSOR_FILE)).orElse(0);
        for (long n : msgs) {
            if (n >= cursor && !readies.contains(n)) {
                // Renamed (committed) before a crash, marker missing: publish it now.
                try {
                    ops.createEmpty(dir.resolve(ChannelNames.ready(n)));
                } catch (FileAlreadyExistsException e) {
                    // raced with nobody: fine
                }
                LOG.info("channel {}: published message {} whose marker a crash had left out", dir.getFileName(), n);
            }
        }
        next = Math.max(Math.max(persisted, highest + 1), cursor);
        if (next != persisted) {
            state.write(dir.resolve(ChannelNames.NEXT_FILE), next);
        }
        recovered = true;
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
