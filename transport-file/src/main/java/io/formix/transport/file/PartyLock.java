package io.formix.transport.file;

import io.formix.transport.ChannelLockedException;
import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The exclusive right of one open transport to speak for a party on a root: an OS file lock on
 * {@code <root>/.<party>.lock} (other processes) plus a JVM-wide registry (other opens in this
 * process, and file systems such as Jimfs whose locks are not enforced). One lock per party, not
 * per channel, so descriptors stay bounded.
 */
final class PartyLock implements AutoCloseable {

    /** Lock files held in this JVM, per file system (compared by identity). */
    private static final Map<FileSystem, Set<Path>> HELD_IN_THIS_JVM = new IdentityHashMap<>();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private PartyLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    static Path lockFile(Path root, PartyId self) {
        return root.resolve("." + self.value() + ".lock");
    }

    /** Takes the lock or fails with a {@link ChannelLockedException} naming the lock file. */
    static PartyLock acquire(Path root, PartyId self) throws IOException {
        Path file = lockFile(root, self);
        Path real = root.toRealPath();
        Path key = real.resolve(file.getFileName().toString());
        synchronized (HELD_IN_THIS_JVM) {
            if (!HELD_IN_THIS_JVM.computeIfAbsent(key.getFileSystem(), fs -> new HashSet<>()).add(key)) {
                throw new ChannelLockedException("party " + self + " is already open in this process on "
                        + root + " (lock file " + file + "); close the other FileTransport first");
            }
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new ChannelLockedException("party " + self + " is already open by another process"
                        + holder(file) + " on " + root + ": lock file " + file
                        + " is held; stop that process (two writers must never race on one channel)");
            }
            if (real.getFileSystem().equals(FileSystems.getDefault())) {
                byte[] pid = Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII);
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(pid), 0);
            }
            return new PartyLock(key, ch, lock);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            release(key);
            throw e;
        }
    }

    private static String holder(Path file) {
        try {
            String pid = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
            return pid.matches("[0-9]{1,10}") ? " (pid " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } finally {
            release(key);
        }
    }

    private static void release(Path key) {
        synchronized (HELD_IN_THIS_JVM) {
            Set<Path> held = HELD_IN_THIS_JVM.get(key.getFileSystem());
            if (held != null && held.remove(key) && held.isEmpty()) {
                HELD_IN_THIS_JVM.remove(key.getFileSystem());
            }
        }
    }
}
